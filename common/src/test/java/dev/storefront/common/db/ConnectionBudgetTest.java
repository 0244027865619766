package dev.storefront.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

  @Test
  void anEmptyServerGivesTheWantedSize() {
    // 100 slots, 3 reserved, only this reading connected.
    ConnectionBudget budget = new ConnectionBudget(100, 3, 1, -1, 1);

    assertThat(budget.free()).isEqualTo(97);
    assertThat(budget.roleFree()).isEqualTo(Integer.MAX_VALUE);
    assertThat(budget.poolSize(4)).isEqualTo(4);
    assertThat(budget.poolSize(16)).isEqualTo(16);
  }

  @Test
  void aProcessTakesAQuarterOfWhatIsFree() {
    ConnectionBudget budget = new ConnectionBudget(100, 3, 80, -1, 1);

    assertThat(budget.free()).isEqualTo(18);
    assertThat(budget.poolSize(16)).isEqualTo(4);
    assertThat(budget.poolSize(2)).isEqualTo(2);
  }

  @Test
  void aFullServerStillGivesOneConnection() {
    ConnectionBudget budget = new ConnectionBudget(100, 3, 98, -1, 1);

    assertThat(budget.free()).isZero();
    assertThat(budget.poolSize(4)).isEqualTo(1);
  }

  @Test
  void theRoleLimitCaps() {
    // CONNECTION LIMIT 3, two of them taken besides this reading.
    ConnectionBudget budget = new ConnectionBudget(100, 3, 10, 3, 3);

    assertThat(budget.roleFree()).isEqualTo(1);
    assertThat(budget.poolSize(4)).isEqualTo(1);
  }

  @Test
  void refusalsAreToldFromErrors() {
    assertThat(Database.unavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(
            Database.unavailable(
                new CompletionException(
                    new RuntimeException(
                        new SQLException("too many connections for role", "53300")))))
        .isTrue();
    assertThat(
            Database.unavailable(
                new PgException("the database system is starting up", "FATAL", "57P03", null)))
        .isTrue();
    assertThat(
            Database.unavailable(
                new PgException("relation \"products\" does not exist", "ERROR", "42P01", null)))
        .isFalse();
    assertThat(Database.unavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(
            Database.unavailable(
                new io.vertx.core.VertxException("Timeout waiting for connection", true)))
        .isTrue();
    assertThat(Database.unavailable(new io.vertx.core.VertxException("Connection closed")))
        .isFalse();
  }
}
