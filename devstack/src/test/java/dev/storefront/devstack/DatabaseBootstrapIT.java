package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the bootstrap against the machine's PostgreSQL (127.0.0.1:5432, trust authentication) in a
 * throwaway database. The five service roles are cluster-wide and stay; the extra role this test
 * adds to check passwords is dropped.
 */
class DatabaseBootstrapIT {

  private static final String SUFFIX =
      UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String DATABASE = "storefront_it_" + SUFFIX;
  private static final String PASSWORD_ROLE = "devstack_it_" + SUFFIX;

  private static DatabaseBootstrap.Settings settings;

  @BeforeAll
  static void bootstrapTwice() throws SQLException {
    var base = DatabaseBootstrap.Settings.fromEnv(Map.of("PG_DATABASE", DATABASE));
    var accounts = new ArrayList<>(base.accounts());
    accounts.add(new ServiceAccount(PASSWORD_ROLE, "it_" + SUFFIX, Optional.of("s3cr'et\\x")));
    settings = base.withAccounts(accounts);

    new DatabaseBootstrap(settings).run();
    // The second run must find everything in place and change nothing.
    new DatabaseBootstrap(settings).run();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection admin = adminConnection("postgres")) {
      admin.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      admin.createStatement().execute("DROP ROLE IF EXISTS " + PASSWORD_ROLE);
    }
  }

  @Test
  void createsTheDatabase() throws SQLException {
    try (Connection admin = adminConnection("postgres")) {
      assertThat(queryStrings(admin, "SELECT datname FROM pg_database WHERE datname = ?", DATABASE))
          .containsExactly(DATABASE);
    }
  }

  @Test
  void eachServiceOwnsItsSchemaThroughALoginRole() throws SQLException {
    try (Connection db = adminConnection(DATABASE)) {
      for (var expected :
          Map.of(
                  "gateway", "identity",
                  "catalog", "catalog",
                  "order", "orders",
                  "payment", "payments",
                  "notification", "notifications")
              .entrySet()) {
        assertThat(
                queryStrings(
                    db,
                    "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
                    expected.getValue()))
            .as("owner of schema %s", expected.getValue())
            .containsExactly(expected.getKey());
        assertThat(
                queryStrings(
                    db,
                    "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = ?",
                    expected.getKey()))
            .containsExactly("true");
      }
    }
  }

  @Test
  void theOrderRoleWorksInItsSchemaDespiteItsReservedName() throws SQLException {
    try (Connection order = DriverManager.getConnection(jdbcUrl(DATABASE), "order", "")) {
      order.createStatement().execute("CREATE TABLE IF NOT EXISTS probe (id int)");
      // search_path puts the role's own schema first, so the unqualified table lands there.
      assertThat(
              queryStrings(
                  order,
                  "SELECT table_schema FROM information_schema.tables WHERE table_name = ?",
                  "probe"))
          .containsExactly("orders");
      assertThatThrownBy(
              () -> order.createStatement().execute("CREATE TABLE public.intruder (id int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () -> order.createStatement().execute("CREATE TABLE catalog.intruder (id int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void setsAConfiguredPasswordHashed() throws SQLException {
    try (Connection admin = adminConnection("postgres")) {
      assertThat(
              queryStrings(
                  admin, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", PASSWORD_ROLE))
          .singleElement()
          .asString()
          .startsWith("SCRAM-SHA-256$");
    }
  }

  @Test
  void publicCannotCreateInSchemaPublic() throws SQLException {
    try (Connection db = adminConnection(DATABASE)) {
      assertThat(
              queryStrings(
                  db,
                  "SELECT count(*)::text FROM pg_namespace n, aclexplode(n.nspacl) a"
                      + " WHERE n.nspname = ? AND a.grantee = 0 AND a.privilege_type = 'CREATE'",
                  "public"))
          .containsExactly("0");
    }
  }

  private static String jdbcUrl(String database) {
    return "jdbc:postgresql://" + settings.host() + ":" + settings.port() + "/" + database;
  }

  private static Connection adminConnection(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
  }

  private static List<String> queryStrings(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      ResultSet rows = statement.executeQuery();
      var values = new ArrayList<String>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }
}
