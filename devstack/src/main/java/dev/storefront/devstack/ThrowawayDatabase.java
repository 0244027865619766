package dev.storefront.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database of its own for one test class on a PostgreSQL server that is already running: created
 * with every service's role and schema (as {@code ./storefront up} would), dropped again on close
 * together with any connection still open to it.
 *
 * <pre>
 *   static ThrowawayDatabase db;
 *   &#64;BeforeAll static void create() throws SQLException { db = ThrowawayDatabase.create("catalog_it"); }
 *   &#64;AfterAll static void drop() { db.close(); }
 *   ... Env.of(db.env()) or new DatabaseConfig(db.host(), db.port(), db.name(), ...)
 * </pre>
 *
 * <p>The server comes from PG_HOST / PG_PORT / PG_ADMIN_USER / PG_ADMIN_PASSWORD, like the rest of
 * devstack (127.0.0.1:5432 as {@code postgres} by default).
 */
public final class ThrowawayDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ThrowawayDatabase.class);

  private final DatabaseBootstrap.Settings settings;

  private ThrowawayDatabase(DatabaseBootstrap.Settings settings) {
    this.settings = settings;
  }

  /** Creates {@code storefront_<label>_<random>} with the service roles and schemas. */
  public static ThrowawayDatabase create(String label) throws SQLException {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String name = "storefront_" + label + "_" + suffix;
    SqlNames.requireValid(name);
    DatabaseBootstrap.Settings settings =
        DatabaseBootstrap.Settings.fromEnv(System.getenv()).withDatabase(name);
    new DatabaseBootstrap(settings).run();
    return new ThrowawayDatabase(settings);
  }

  public String host() {
    return settings.host();
  }

  public int port() {
    return settings.port();
  }

  public String name() {
    return settings.database();
  }

  /** {@code jdbc:postgresql://host:port/name}. */
  public String jdbcUrl() {
    return settings.jdbcUrl(settings.database());
  }

  /** The PG_HOST, PG_PORT and PG_DATABASE a service process needs to use this database. */
  public Map<String, String> env() {
    return Map.of(
        "PG_HOST", host(), "PG_PORT", String.valueOf(port()), "PG_DATABASE", settings.database());
  }

  /** A JDBC connection as the administrator, for test set-up and assertions. */
  public Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), settings.adminUser(), settings.adminPassword());
  }

  /** Drops the database, ending the sessions still connected to it. Never throws. */
  @Override
  public void close() {
    try (Connection admin =
        DriverManager.getConnection(
            settings.jdbcUrl(settings.adminDatabase()),
            settings.adminUser(),
            settings.adminPassword())) {
      try (PreparedStatement terminate =
          admin.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
        terminate.setString(1, settings.database());
        terminate.execute();
      }
      try (Statement drop = admin.createStatement()) {
        drop.execute("DROP DATABASE IF EXISTS " + SqlNames.quote(settings.database()));
      }
    } catch (SQLException e) {
      // A leftover database is harmless (and recognisable by its name); the test result is not.
      log.warn("Could not drop {}: {}", settings.database(), e.getMessage());
    }
  }
}
