package dev.storefront.order.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Migrations;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.order.model.Money;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderItem;
import dev.storefront.order.repository.IdempotencyRepository;
import dev.storefront.order.repository.OrderRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two order processes' worth of transitions (each its own pool, as separate instances have) on one
 * database, racing: deadline sweeps over the same overdue orders, and the same payment event
 * delivered to both at once. Every order moves once and has one event.
 */
class ConcurrentTransitionsIT {

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static Pool first;
  private static Pool second;
  private static OrderTransitions one;
  private static OrderTransitions two;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("order_race");
    vertx = Vertx.vertx();
    DatabaseConfig config =
        new DatabaseConfig(db.host(), db.port(), db.name(), "order", "", "orders", 4);
    await(Migrations.migrate(vertx, config));
    first = Database.pool(vertx, config, 1);
    second = Database.pool(vertx, config, 1);
    one = transitions(first);
    two = transitions(second);
  }

  private static OrderTransitions transitions(Pool pool) {
    return new OrderTransitions(
        pool,
        new OrderRepository(pool),
        new IdempotencyRepository(pool),
        new OrderMetrics(new SimpleMeterRegistry()),
        Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    try {
      if (vertx != null) {
        await(vertx.close());
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void twoSweepersCancelEveryOverdueOrderExactlyOnce() throws Exception {
    String account = "sweep-" + UUID.randomUUID();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(insert(account, Instant.now().minusSeconds(5)));
    }
    UUID notYetDue = insert(account, Instant.now().plusSeconds(600));

    List<Integer> counts = await(Future.all(drain(one), drain(two))).list();

    assertThat(counts.get(0) + counts.get(1)).isEqualTo(30);
    assertThat(
            sql(
                "SELECT count(*) FROM orders.orders WHERE account_id = '"
                    + account
                    + "' AND status = 'cancelled' AND cancel_reason = 'payment_timeout' AND version = 1"))
        .isEqualTo(30);
    assertThat(
            sql(
                "SELECT count(*) FROM orders.outbox o JOIN orders.orders r"
                    + " ON o.event_key = r.id::text WHERE r.account_id = '"
                    + account
                    + "' AND o.event_type = 'OrderCancelled'"))
        .isEqualTo(30);
    assertThat(
            sql(
                "SELECT count(DISTINCT event_key) FROM orders.outbox o JOIN orders.orders r"
                    + " ON o.event_key = r.id::text WHERE r.account_id = '"
                    + account
                    + "' AND o.event_type = 'OrderCancelled'"))
        .isEqualTo(30);
    assertThat(
            sql(
                "SELECT count(*) FROM orders.orders WHERE id = '"
                    + notYetDue
                    + "' AND status = 'pending'"))
        .isEqualTo(1);
  }

  @Test
  void theSamePaymentEventHandledTwiceAtOnceMovesTheOrderOnce() throws Exception {
    String account = "race-" + UUID.randomUUID();
    for (int round = 0; round < 10; round++) {
      UUID id = insert(account, Instant.now().plusSeconds(600));
      EventEnvelope succeeded =
          EventEnvelope.create(
              "PaymentSucceeded",
              id,
              new JsonObject()
                  .put("paymentId", UUID.randomUUID().toString())
                  .put("accountId", account)
                  .put("amount", new Money(500, "EUR").toJson()));

      await(Future.all(one.onPaymentEvent(succeeded), two.onPaymentEvent(succeeded)));

      assertThat(
              sql(
                  "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                      + id
                      + "' AND event_type = 'OrderConfirmed'"))
          .isEqualTo(1);
      assertThat(sql("SELECT version FROM orders.orders WHERE id = '" + id + "'")).isEqualTo(1);
    }
  }

  /** Sweeps until nothing is overdue; how many this one cancelled. */
  private static Future<Integer> drain(OrderTransitions transitions) {
    return drain(transitions, 0);
  }

  private static Future<Integer> drain(OrderTransitions transitions, int done) {
    return transitions
        .cancelNextOverdue()
        .compose(found -> found ? drain(transitions, done + 1) : Future.succeededFuture(done));
  }

  private static UUID insert(String account, Instant deadline) {
    UUID id = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Order order =
        Order.pending(
            id,
            account,
            List.of(new OrderItem(UUID.randomUUID(), "Thing", 1, new Money(500, "EUR"))),
            null,
            now,
            deadline.truncatedTo(ChronoUnit.MICROS));
    OrderRepository orders = new OrderRepository(first);
    await(first.withTransaction(tx -> orders.insert(tx, order)));
    return id;
  }

  private static long sql(String query) throws Exception {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
