package dev.storefront.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.model.Money;
import dev.storefront.payment.processor.SimulatedCardProcessor;
import dev.storefront.payment.processor.TestCards;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two payment service instances sharing the partitions of {@code orders.events} and one card
 * processor that fails a third of its calls; every order is delivered twice. Each order still ends
 * with exactly one outcome, and money is taken exactly for the orders reported paid.
 */
class PaymentInstancesIT {

  private static final int ORDERS = 40;
  private static final String[] CARDS = {
    TestCards.APPROVED, TestCards.DECLINED, TestCards.INSUFFICIENT_FUNDS, "5555555555554444"
  };

  @TempDir static Path kafkaDir;

  private static ThrowawayDatabase db;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static SimulatedCardProcessor processor;
  private static KafkaProducer<String, String> producer;
  private static KafkaConsumer<String, String> consumer;
  private static final Map<String, List<JsonObject>> published = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("payment_instances");
    broker = KafkaBroker.start(kafkaDir, 0, 0);
    vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "1");
    env.put("PG_POOL_SIZE", "4");
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("KAFKA_TOPIC_PARTITIONS", "4");
    env.put("PAYMENT_CHARGE_TIMEOUT_MS", "1000");
    env.put("PAYMENT_RETRY_BACKOFF_MS", "20");
    env.put("PAYMENT_RETRY_BACKOFF_MAX_MS", "40");
    env.put("OUTBOX_POLL_INTERVAL_MS", "50");
    byte[] cardKey = new byte[32];
    new java.security.SecureRandom().nextBytes(cardKey);
    env.put("PAYMENT_CARD_KEY", java.util.Base64.getEncoder().encodeToString(cardKey));
    processor =
        new SimulatedCardProcessor(
            vertx,
            new PaymentConfig.Processor(Duration.ofMillis(5), 1.0 / 3, Duration.ofSeconds(30)));
    for (int i = 0; i < 2; i++) {
      await(
          vertx.deployVerticle(
              new PaymentVerticle(Env.of(env), new SimpleMeterRegistry(), processor)));
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    KafkaConfig client =
        new KafkaConfig(broker.bootstrapServers(), "instances-it-" + suffix, "it-" + suffix);
    producer = KafkaClients.producer(vertx, client);
    consumer = KafkaClients.consumer(vertx, client);
    consumer.handler(
        r ->
            published
                .computeIfAbsent(r.key(), k -> new CopyOnWriteArrayList<>())
                .add(new JsonObject(r.value())));
    await(consumer.subscribe("payments.events"));
  }

  @AfterAll
  static void stop() {
    try {
      if (vertx != null) {
        List<Future<?>> closing = new ArrayList<>();
        if (consumer != null) {
          closing.add(consumer.close());
        }
        if (producer != null) {
          closing.add(producer.close());
        }
        await(Future.join(closing));
        await(vertx.close());
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void everyOrderEndsWithExactlyOneOutcomeAndOnlyPaidOrdersAreCharged() throws Exception {
    Map<UUID, String> cards = new LinkedHashMap<>();
    for (int i = 0; i < ORDERS; i++) {
      cards.put(UUID.randomUUID(), CARDS[i % CARDS.length]);
    }
    // Every order twice, the copies interleaved with other orders.
    for (int round = 0; round < 2; round++) {
      for (Map.Entry<UUID, String> order : cards.entrySet()) {
        String event = orderCreated(order.getKey(), order.getValue());
        await(
            producer.send(
                KafkaProducerRecord.create("orders.events", order.getKey().toString(), event)));
      }
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (published.keySet().size() < ORDERS && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    // Time for a second outcome to show up, had one been recorded.
    Thread.sleep(2_000);

    assertThat(published).hasSize(ORDERS);
    int paid = 0;
    for (Map.Entry<UUID, String> order : cards.entrySet()) {
      List<JsonObject> events = published.get(order.getKey().toString());
      assertThat(events).as("events of order %s", order.getKey()).hasSize(1);
      JsonObject event = events.get(0);
      long captures =
          processor.ledger(order.getKey().toString()).map(e -> (long) e.captures()).orElse(0L);
      String card = order.getValue();
      if (event.getString("type").equals("PaymentSucceeded")) {
        paid++;
        assertThat(card).isIn(TestCards.APPROVED, "5555555555554444");
        assertThat(captures).isEqualTo(1);
      } else {
        assertThat(event.getString("type")).isEqualTo("PaymentFailed");
        String reason = event.getJsonObject("data").getString("reason");
        String expected =
            card.equals(TestCards.DECLINED)
                ? "declined"
                : card.equals(TestCards.INSUFFICIENT_FUNDS) ? "insufficient_funds" : "none";
        // An outage may fail any card, three requests in a row; never with money taken.
        assertThat(reason).isIn(expected, "processor_error");
        assertThat(captures).isZero();
      }
    }
    assertThat(processor.captures()).isEqualTo(paid);
    assertThat(queryLong("SELECT count(*) FROM payments")).isEqualTo(ORDERS);
    assertThat(queryLong("SELECT count(*) FROM payments WHERE status = 'pending'")).isZero();
    assertThat(queryLong("SELECT count(*) FROM outbox")).isEqualTo(ORDERS);
  }

  /**
   * A version 1 event, with the card number itself: what waits on the topic from before payment
   * tokens must be charged exactly once too, and it needs no token issued over HTTP.
   */
  private static String orderCreated(UUID order, String card) {
    Money total = new Money(1_000, "EUR");
    JsonObject data =
        new JsonObject()
            .put("accountId", "acc-" + order.toString().substring(0, 4))
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("productId", UUID.randomUUID().toString())
                            .put("quantity", 1)
                            .put("unitPrice", total.toJson())))
            .put("total", total.toJson())
            .put("paymentToken", card)
            .put("cartUpdatedAt", "2026-11-22T02:39:00Z");
    // One event id per order: the second copy is a redelivery.
    return new EventEnvelope(
            UUID.nameUUIDFromBytes(
                order.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "OrderCreated",
            1,
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            order,
            data)
        .toJson()
        .encode();
  }

  private static long queryLong(String query) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO payments");
      ResultSet rs = s.executeQuery(query);
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }
}
