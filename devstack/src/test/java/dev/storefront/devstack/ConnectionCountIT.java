package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connection counts {@code pg-connections} prints, on the machine's PostgreSQL. */
class ConnectionCountIT {

  private static ThrowawayDatabase database;

  @BeforeAll
  static void create() throws SQLException {
    database = ThrowawayDatabase.create("count_it");
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @Test
  void countsTheConnectionsToOneDatabaseAndTheServer() throws SQLException {
    List<Connection> open = new ArrayList<>();
    try (Connection admin = adminOfServer()) {
      for (int i = 0; i < 3; i++) {
        open.add(DriverManager.getConnection(database.jdbcUrl(), "catalog", ""));
      }
      ConnectionCount withThree = ConnectionCount.read(admin, database.name());

      assertThat(withThree.database()).isEqualTo(3);
      assertThat(withThree.server()).isGreaterThanOrEqualTo(3);
      assertThat(withThree.maxConnections()).isGreaterThanOrEqualTo(withThree.server());

      for (Connection connection : open) {
        connection.close();
      }
      open.clear();
      // A backend leaves pg_stat_activity a moment after its client hangs up.
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (ConnectionCount.read(admin, database.name()).database() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ConnectionCount.read(admin, database.name()).database()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      for (Connection connection : open) {
        connection.close();
      }
    }
  }

  private static Connection adminOfServer() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + database.host() + ":" + database.port() + "/postgres",
        "postgres",
        "");
  }
}
