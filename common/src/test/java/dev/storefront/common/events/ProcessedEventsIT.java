package dev.storefront.common.events;

import static dev.storefront.common.events.TopicReader.Tests.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.db.Database;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Processed events and outbox rows in the {@code orders} schema of a throwaway database. */
class ProcessedEventsIT {

  private static ThrowawayDatabase database;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    database = ThrowawayDatabase.create("processed_it");
    vertx = Vertx.vertx();
    pool =
        Database.pool(
            vertx,
            new DatabaseConfig(
                database.host(), database.port(), database.name(), "order", "", "orders", 2),
            1);
    await(
        pool.query(
                OutboxRelayIT.OUTBOX_DDL
                    + """
                    CREATE TABLE processed_events (
                      event_id      uuid PRIMARY KEY,
                      event_type    text NOT NULL,
                      processed_at  timestamptz NOT NULL DEFAULT now()
                    );
                    """)
            .execute());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      database.close();
    }
  }

  @Test
  void anEventIsNewOnceThenKnown() throws Exception {
    EventEnvelope event =
        EventEnvelope.create("OrderConfirmed", UUID.randomUUID(), new JsonObject());

    boolean first = await(pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, event)));
    boolean second = await(pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, event)));

    assertThat(first).isTrue();
    assertThat(second).isFalse();
  }

  @Test
  void aRolledBackFirstTimeLeavesTheEventNew() throws Exception {
    EventEnvelope event =
        EventEnvelope.create("OrderCancelled", UUID.randomUUID(), new JsonObject());

    assertThatThrownBy(
            () ->
                await(
                    pool.withTransaction(
                        tx ->
                            ProcessedEvents.firstTime(tx, event)
                                .compose(
                                    first ->
                                        Future.<Boolean>failedFuture(
                                            new IllegalStateException("effect failed"))))))
        .isInstanceOf(ExecutionException.class);

    boolean again = await(pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, event)));
    assertThat(again).isTrue();
  }

  @Test
  void appendWritesTheRowTheRelayReads() throws Exception {
    UUID order = UUID.randomUUID();
    EventEnvelope event =
        EventEnvelope.create("OrderCreated", order, new JsonObject().put("accountId", "a-7"));

    await(pool.withTransaction(tx -> Outbox.append(tx, "orders.events", order.toString(), event)));

    Row row =
        await(
            pool.preparedQuery(
                    "SELECT topic, event_key, event_type, payload, published_at FROM outbox"
                        + " WHERE event_id = $1")
                .execute(Tuple.of(event.eventId()))
                .map(rows -> rows.iterator().next()));
    assertThat(row.getString("topic")).isEqualTo("orders.events");
    assertThat(row.getString("event_key")).isEqualTo(order.toString());
    assertThat(row.getString("event_type")).isEqualTo("OrderCreated");
    assertThat(EventEnvelope.fromJson(row.getJsonObject("payload"))).isEqualTo(event);
    assertThat(row.getValue("published_at")).isNull();
  }
}
