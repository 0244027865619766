package dev.storefront.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a PostgreSQL server for the services: the database, and for each service a login role
 * and a schema owned by it. Idempotent: it converges on that state however often it runs, and
 * leaves what the services created inside their schemas alone.
 *
 * <p>Roles are cluster-wide in PostgreSQL, so two stacks sharing a server share the roles; each
 * stack has its own database. A role's password is set only when one is configured, so that a
 * password managed elsewhere is not wiped by a run without one.
 */
public final class DatabaseBootstrap {

  private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);

  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String DUPLICATE_OBJECT = "42710";

  private final Settings settings;

  public DatabaseBootstrap(Settings settings) {
    this.settings = settings;
  }

  /**
   * Where and as whom to connect, and what to create.
   *
   * @param adminDatabase an existing database to connect to while the target may not exist yet
   */
  public record Settings(
      String host,
      int port,
      String adminUser,
      String adminPassword,
      String adminDatabase,
      String database,
      List<ServiceAccount> accounts) {

    public Settings {
      SqlNames.requireValid(database);
      accounts = List.copyOf(accounts);
    }

    /**
     * From PG_HOST (127.0.0.1), PG_PORT (5432), PG_ADMIN_USER (postgres), PG_ADMIN_PASSWORD
     * (empty), PG_ADMIN_DATABASE (postgres), PG_DATABASE (storefront) and
     * PG_PASSWORD_&lt;SERVICE&gt;.
     */
    public static Settings fromEnv(Map<String, String> env) {
      return new Settings(
          value(env, "PG_HOST", "127.0.0.1"),
          port(env),
          value(env, "PG_ADMIN_USER", "postgres"),
          env.getOrDefault("PG_ADMIN_PASSWORD", ""),
          value(env, "PG_ADMIN_DATABASE", "postgres"),
          value(env, "PG_DATABASE", "storefront"),
          ServiceAccount.defaults(env));
    }

    public Settings withDatabase(String newDatabase) {
      return new Settings(
          host, port, adminUser, adminPassword, adminDatabase, newDatabase, accounts);
    }

    public Settings withAccounts(List<ServiceAccount> newAccounts) {
      return new Settings(
          host, port, adminUser, adminPassword, adminDatabase, database, newAccounts);
    }

    String jdbcUrl(String db) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    private static String value(Map<String, String> env, String name, String defaultValue) {
      String value = env.get(name);
      return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static int port(Map<String, String> env) {
      String text = value(env, "PG_PORT", "5432");
      try {
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("PG_PORT must be a port number, got '" + text + "'");
      }
    }

    @Override
    public String toString() {
      // Never print the password.
      return adminUser + "@" + host + ":" + port + "/" + database + " " + accounts;
    }
  }

  /** Creates what is missing and corrects what differs. */
  public void run() throws SQLException {
    try (Connection admin = connect(settings.adminDatabase())) {
      createDatabaseIfMissing(admin);
      for (ServiceAccount account : settings.accounts()) {
        createOrUpdateRole(admin, account);
      }
    }
    try (Connection db = connect(settings.database())) {
      execute(db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      for (ServiceAccount account : settings.accounts()) {
        prepareSchema(db, account);
      }
    }
    log.info(
        "Database {} on {}:{} ready for {} services",
        settings.database(),
        settings.host(),
        settings.port(),
        settings.accounts().size());
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        settings.jdbcUrl(database), settings.adminUser(), settings.adminPassword());
  }

  private void createDatabaseIfMissing(Connection admin) throws SQLException {
    if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", settings.database())) {
      return;
    }
    try {
      execute(admin, "CREATE DATABASE " + SqlNames.quote(settings.database()) + " ENCODING 'UTF8'");
      log.info("Created database {}", settings.database());
    } catch (SQLException e) {
      // Another bootstrap created it between the check and the CREATE.
      if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  private void createOrUpdateRole(Connection admin, ServiceAccount account) throws SQLException {
    String role = SqlNames.quote(account.role());
    if (exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", account.role())) {
      execute(admin, "ALTER ROLE " + role + " LOGIN");
    } else {
      try {
        execute(admin, "CREATE ROLE " + role + " LOGIN");
        log.info("Created role {}", account.role());
      } catch (SQLException e) {
        if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
          throw e;
        }
      }
    }
    if (account.password().isPresent()) {
      // The driver hashes the password (SCRAM) before sending it: no clear text in server logs.
      admin
          .unwrap(PGConnection.class)
          .alterUserPassword(account.role(), account.password().get().toCharArray(), null);
    }
  }

  private void prepareSchema(Connection db, ServiceAccount account) throws SQLException {
    String role = SqlNames.quote(account.role());
    String schema = SqlNames.quote(account.schema());
    execute(db, "CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + role);
    // An existing schema may have been created by someone else: the service must own it.
    execute(db, "ALTER SCHEMA " + schema + " OWNER TO " + role);
    execute(db, "GRANT CONNECT ON DATABASE " + SqlNames.quote(settings.database()) + " TO " + role);
    // Unqualified names in the service's SQL and migrations resolve to its own schema.
    execute(
        db,
        "ALTER ROLE "
            + role
            + " IN DATABASE "
            + SqlNames.quote(settings.database())
            + " SET search_path TO "
            + schema);
  }

  private static boolean exists(Connection connection, String query, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      return statement.executeQuery().next();
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
