package dev.storefront.common.events;

import static dev.storefront.common.events.TopicReader.Tests.await;
import static dev.storefront.common.events.TopicReader.Tests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.db.Database;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against the local PostgreSQL (the {@code order} role in its {@code orders} schema of a
 * throwaway database) and a real broker the test starts, stops and restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxRelayIT {

  static final String OUTBOX_DDL =
      """
      CREATE TABLE outbox (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id     uuid NOT NULL UNIQUE,
        topic        text NOT NULL,
        event_key    text NOT NULL,
        event_type   text NOT NULL,
        payload      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
      """;

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration ONE_HOUR = Duration.ofHours(1);

  @TempDir static Path dataDir;

  private static ThrowawayDatabase database;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static Pool pool;
  private static KafkaConfig kafka;

  @BeforeAll
  static void start() throws Exception {
    database = ThrowawayDatabase.create("outbox_it");
    broker = KafkaBroker.start(dataDir, 0, 0);
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    DatabaseConfig config =
        new DatabaseConfig(
            database.host(), database.port(), database.name(), "order", "", "orders", 4);
    pool = Database.pool(vertx, config, 1);
    await(pool.query(OUTBOX_DDL).execute());
    kafka = new KafkaConfig(broker.bootstrapServers(), "orders-it", "orders-it");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (database != null) {
        database.close();
      }
    }
  }

  @Test
  @Order(1)
  void committedRowsArePublishedInOrderPerKeyRolledBackOnesNever() throws Exception {
    String topic = newTopic();
    List<String> keys = keys(4);
    Map<String, List<UUID>> appended = new LinkedHashMap<>();
    // Before the relay starts, then while it runs: a backlog and a stream.
    appendInTransactions(topic, keys, 3, 5, appended);
    List<UUID> rolledBack = appendAndRollBack(topic, keys);

    OutboxRelay relay = await(OutboxRelay.start(vertx, pool, kafka, fastOptions()));
    try (TopicReader reader = TopicReader.start(vertx, broker.bootstrapServers(), topic)) {
      appendInTransactions(topic, keys, 4, 3, appended);
      int total = appended.values().stream().mapToInt(List::size).sum();

      reader.awaitDistinct(total, WAIT);
      // Whatever else might come would come now.
      Thread.sleep(1_000);

      assertThat(reader.firstSeenByKey()).isEqualTo(appended);
      assertThat(reader.events())
          .extracting(EventEnvelope::eventId)
          .doesNotContainAnyElementsOf(rolledBack);
      for (KafkaConsumerRecord<Buffer, Buffer> record : reader.records()) {
        EventEnvelope event = EventEnvelope.fromBuffer(record.value());
        assertThat(event.orderId().toString()).isEqualTo(record.key().toString());
        assertThat(record.headers())
            .anySatisfy(h -> assertThat(h.key()).isEqualTo("storefront-event-type"));
      }
      eventually(WAIT, () -> unpublished() == 0, () -> "unpublished rows remain");

      String scrape = ((PrometheusMeterRegistry) Metrics.registry()).scrape();
      assertThat(scrape)
          .containsPattern(
              "storefront_outbox_published_total\\{[^}]*schema=\"orders\"[^}]*topic=\""
                  + topic.replace(".", "\\.")
                  + "\"[^}]*} "
                  + total)
          .contains("storefront_outbox_pending{")
          .contains("storefront_outbox_lag_seconds{");
    } finally {
      await(relay.stop());
    }
  }

  @Test
  @Order(1)
  void aCommitWakesTheRelayWithoutWaitingForItsPoll() throws Exception {
    String topic = newTopic();
    OutboxRelay relay =
        await(OutboxRelay.start(vertx, pool, kafka, fastOptions().withPollInterval(ONE_HOUR)));
    try (TopicReader reader = TopicReader.start(vertx, broker.bootstrapServers(), topic)) {
      // The relay's first round has looked and found nothing; its next poll is an hour away.
      eventually(WAIT, () -> unpublished() == 0, () -> "unpublished rows remain");
      Thread.sleep(500);
      Map<String, List<UUID>> appended = new LinkedHashMap<>();
      appendInTransactions(topic, keys(2), 2, 1, appended);

      reader.awaitDistinct(4, Duration.ofSeconds(20));
      assertThat(reader.firstSeenByKey()).isEqualTo(appended);
    } finally {
      await(relay.stop());
    }
  }

  @Test
  @Order(2)
  void aStoppedRelayPublishesNothingMore() throws Exception {
    String topic = newTopic();
    OutboxRelay relay = await(OutboxRelay.start(vertx, pool, kafka, fastOptions()));
    await(relay.stop());
    Map<String, List<UUID>> appended = new LinkedHashMap<>();
    appendInTransactions(topic, keys(2), 2, 2, appended);

    Thread.sleep(1_000);

    assertThat(unpublished()).isEqualTo(8);
    OutboxRelay again = await(OutboxRelay.start(vertx, pool, kafka, fastOptions()));
    try {
      eventually(WAIT, () -> unpublished() == 0, () -> "unpublished rows remain");
    } finally {
      await(again.stop());
    }
  }

  @Test
  @Order(3)
  void relaysOnOneSchemaTakeTurnsAndRespectTheLock() throws Exception {
    String topic = newTopic();
    List<String> keys = keys(6);
    Map<String, List<UUID>> appended = new LinkedHashMap<>();
    // Held by someone else: nobody publishes.
    SqlConnection holder = await(pool.getConnection());
    await(
        holder
            .query("SELECT pg_advisory_lock(hashtext('storefront.outbox'), hashtext('orders'))")
            .execute());
    List<OutboxRelay> relays = new ArrayList<>();
    try (TopicReader reader = TopicReader.start(vertx, broker.bootstrapServers(), topic)) {
      for (int i = 0; i < 3; i++) {
        relays.add(await(OutboxRelay.start(vertx, pool, kafka, fastOptions().withBatchSize(7))));
      }
      appendInTransactions(topic, keys, 5, 4, appended);
      Thread.sleep(1_500);
      assertThat(reader.records()).isEmpty();
      assertThat(unpublished()).isEqualTo(120);

      await(
          holder
              .query("SELECT pg_advisory_unlock(hashtext('storefront.outbox'), hashtext('orders'))")
              .execute());
      // More rows while three relays compete for small batches.
      appendInTransactions(topic, keys, 5, 4, appended);
      reader.awaitDistinct(240, WAIT);
      Thread.sleep(1_000);

      // Relays publishing side by side would have sent the same rows twice.
      assertThat(reader.records()).hasSize(240);
      assertThat(reader.firstSeenByKey()).isEqualTo(appended);
    } finally {
      await(holder.close());
      for (OutboxRelay relay : relays) {
        await(relay.stop());
      }
    }
  }

  @Test
  @Order(4)
  void rowsWrittenWhileTheBrokerIsDownArePublishedWhenItReturns() throws Exception {
    String topic = newTopic();
    List<String> keys = keys(5);
    Map<String, List<UUID>> appended = new LinkedHashMap<>();
    OutboxRelay relay =
        await(
            OutboxRelay.start(
                vertx, pool, kafka, fastOptions().withBackoffMax(Duration.ofSeconds(2))));
    try {
      appendInTransactions(topic, keys, 2, 2, appended);
      eventually(WAIT, () -> unpublished() == 0, () -> "first rows not published");

      await(
          vertx.executeBlocking(
              () -> {
                broker.stop();
                return null;
              }));
      appendInTransactions(topic, keys, 4, 3, appended);
      Thread.sleep(3_000);
      // Nothing acknowledged, nothing marked.
      assertThat(unpublished()).isEqualTo(60);

      await(
          vertx.executeBlocking(
              () -> {
                broker.restart();
                return null;
              }));
      appendInTransactions(topic, keys, 1, 2, appended);
      eventually(WAIT, () -> unpublished() == 0, () -> "rows left after the restart");

      try (TopicReader reader = TopicReader.start(vertx, broker.bootstrapServers(), topic)) {
        reader.awaitDistinct(90, WAIT);
        // Repeats are allowed; losses and a key's events out of order are not.
        assertThat(reader.firstSeenByKey()).isEqualTo(appended);
      }
    } finally {
      await(relay.stop());
    }
  }

  private static OutboxRelay.Options fastOptions() {
    return OutboxRelay.Options.defaults()
        .withPollInterval(Duration.ofMillis(50))
        .withMetricsInterval(Duration.ofMillis(200));
  }

  private static String newTopic() throws Exception {
    String topic = "it.outbox." + UUID.randomUUID();
    await(Topics.ensure(vertx, kafka, List.of(topic), new Topics.Settings(3, (short) 1)));
    return topic;
  }

  private static List<String> keys(int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(UUID.randomUUID().toString());
    }
    return keys;
  }

  /**
   * {@code transactions} transactions, each appending {@code perKey} events for every key, one key
   * after another; records what was appended per key in order.
   */
  private static void appendInTransactions(
      String topic,
      List<String> keys,
      int transactions,
      int perKey,
      Map<String, List<UUID>> appended)
      throws Exception {
    for (int t = 0; t < transactions; t++) {
      List<EventEnvelope> events = new ArrayList<>();
      for (String key : keys) {
        for (int i = 0; i < perKey; i++) {
          events.add(
              EventEnvelope.create(
                  "OrderCreated", UUID.fromString(key), new JsonObject().put("n", i)));
        }
      }
      await(pool.withTransaction(tx -> appendAll(tx, topic, events)));
      for (EventEnvelope event : events) {
        appended
            .computeIfAbsent(event.orderId().toString(), k -> new ArrayList<>())
            .add(event.eventId());
      }
    }
  }

  private static List<UUID> appendAndRollBack(String topic, List<String> keys) throws Exception {
    List<EventEnvelope> events =
        keys.stream()
            .map(k -> EventEnvelope.create("OrderCreated", UUID.fromString(k), new JsonObject()))
            .toList();
    Future<Void> attempt =
        pool.withTransaction(
            tx ->
                appendAll(tx, topic, events)
                    .compose(v -> Future.failedFuture(new IllegalStateException("rolled back"))));
    try {
      await(attempt);
    } catch (java.util.concurrent.ExecutionException expected) {
      assertThat(expected.getCause()).hasMessage("rolled back");
    }
    return events.stream().map(EventEnvelope::eventId).toList();
  }

  private static Future<Void> appendAll(
      SqlConnection tx, String topic, List<EventEnvelope> events) {
    Future<Void> chain = Future.succeededFuture();
    for (EventEnvelope event : events) {
      chain = chain.compose(v -> Outbox.append(tx, topic, event.orderId().toString(), event));
    }
    return chain;
  }

  private static long unpublished() {
    try {
      return await(
          pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL")
              .execute()
              .map(rows -> rows.iterator().next().getLong(0)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
