package dev.storefront.common.events;

import static dev.storefront.common.events.TopicReader.Tests.await;
import static dev.storefront.common.events.TopicReader.Tests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.devstack.KafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The consumer against a real broker the test starts, stops and restarts. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventConsumerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dataDir;

  private static KafkaBroker broker;
  private static Vertx vertx;
  private static KafkaProducer<String, String> producer;
  private static KafkaAdminClient admin;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start(dataDir, 0, 0);
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    KafkaConfig config = config("it-producer");
    producer = KafkaClients.producer(vertx, config);
    admin = KafkaClients.admin(vertx, config);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  @Order(1)
  void eachKeyIsHandledInOrderKeysSideBySideAndWhatWasHandledIsCommitted() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    Map<String, List<UUID>> handled = new ConcurrentHashMap<>();
    Map<String, Boolean> keyBusy = new ConcurrentHashMap<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    EventHandler handler =
        event -> {
          String key = event.orderId().toString();
          if (keyBusy.put(key, true) != null) {
            overlaps.add(key);
          }
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          Promise<Void> done = Promise.promise();
          // Handlers finish at different times; each key's order must hold regardless.
          vertx.setTimer(
              20 + ThreadLocalRandom.current().nextInt(20),
              id -> {
                handled
                    .computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                    .add(event.eventId());
                inFlight.decrementAndGet();
                keyBusy.remove(key);
                done.complete();
              });
          return done.future();
        };
    Map<String, List<UUID>> sent = new LinkedHashMap<>();
    for (int round = 0; round < 6; round++) {
      for (int k = 0; k < 8; k++) {
        String key = new UUID(0, k).toString();
        EventEnvelope event = event("OrderConfirmed", key);
        await(send(topic, key, event.toJson().encode()));
        sent.computeIfAbsent(key, x -> new ArrayList<>()).add(event.eventId());
      }
    }

    EventConsumer consumer =
        await(EventConsumer.start(vertx, config, List.of(topic), handler, options()));
    try {
      eventually(WAIT, () -> total(handled) == 48, () -> "handled " + handled);
      eventually(WAIT, () -> committed(config.groupId(), topic) == 48, () -> "not committed");
      assertThat(handled).isEqualTo(sent);
      assertThat(overlaps).as("keys handled twice at once").isEmpty();
      // Eight keys on three partitions: more keys at once than there are partitions.
      assertThat(mostInFlight.get()).isGreaterThan(3);
      String scrape = ((PrometheusMeterRegistry) Metrics.registry()).scrape();
      assertThat(scrape)
          .containsPattern(
              "storefront_events_consumed_total\\{outcome=\"handled\",topic=\""
                  + topic.replace(".", "\\.")
                  + "\",type=\"OrderConfirmed\"} 48");
    } finally {
      await(consumer.stop());
    }
  }

  @Test
  @Order(2)
  void aFailingHandlerIsRetriedThenItsRecordIsDeadLetteredWithHeaders() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    String key = UUID.randomUUID().toString();
    EventEnvelope flaky = event("OrderConfirmed", key);
    EventEnvelope hopeless = event("OrderCancelled", key);
    EventEnvelope fine = event("OrderConfirmed", key);
    Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<UUID> handled = new CopyOnWriteArrayList<>();
    EventHandler handler =
        event -> {
          int attempt =
              attempts
                  .computeIfAbsent(event.eventId(), id -> new AtomicInteger())
                  .incrementAndGet();
          if (event.eventId().equals(hopeless.eventId())
              || event.eventId().equals(flaky.eventId()) && attempt < 3) {
            return Future.failedFuture(new IllegalStateException("boom " + attempt));
          }
          handled.add(event.eventId());
          return Future.succeededFuture();
        };
    await(send(topic, key, flaky.toJson().encode()));
    String hopelessValue = hopeless.toJson().encode();
    RecordMetadata original =
        await(
            producer.send(
                KafkaProducerRecord.create(topic, key, hopelessValue)
                    .addHeader("traceparent", "00-abc-def-01")));
    await(send(topic, key, fine.toJson().encode()));

    EventConsumer consumer =
        await(
            EventConsumer.start(
                vertx, config, List.of(topic), handler, options().withMaxAttempts(3)));
    try (TopicReader dlq =
        TopicReader.start(vertx, broker.bootstrapServers(), Topics.deadLetterTopic(topic))) {
      eventually(WAIT, () -> handled.size() == 2, () -> "handled " + handled);
      dlq.awaitRecords(1, WAIT);
      eventually(WAIT, () -> committed(config.groupId(), topic) == 3, () -> "not committed");

      assertThat(handled).containsExactly(flaky.eventId(), fine.eventId());
      assertThat(attempts.get(flaky.eventId())).hasValue(3);
      assertThat(attempts.get(hopeless.eventId())).hasValue(3);
      assertThat(attempts.get(fine.eventId())).hasValue(1);

      KafkaConsumerRecord<Buffer, Buffer> dead = dlq.records().get(0);
      assertThat(dead.key().toString()).isEqualTo(key);
      assertThat(dead.value().toString()).isEqualTo(hopelessValue);
      Map<String, String> headers = headers(dead);
      assertThat(headers.get("storefront-error")).contains("boom 3");
      assertThat(headers)
          .containsEntry("storefront-consumer-group", config.groupId())
          .containsEntry("storefront-original-partition", Integer.toString(original.getPartition()))
          .containsEntry("storefront-original-offset", Long.toString(original.getOffset()))
          .containsEntry("traceparent", "00-abc-def-01");
      Thread.sleep(500);
      assertThat(dlq.records()).hasSize(1);

      String scrape = ((PrometheusMeterRegistry) Metrics.registry()).scrape();
      String quoted = topic.replace(".", "\\.");
      assertThat(scrape)
          .containsPattern("storefront_events_dead_lettered_total\\{topic=\"" + quoted + "\"} 1")
          .containsPattern(
              "storefront_events_consumed_total\\{outcome=\"dead_lettered\",topic=\""
                  + quoted
                  + "\",type=\"OrderCancelled\"} 1");
    } finally {
      await(consumer.stop());
    }
  }

  @Test
  @Order(3)
  void anUndecodableRecordIsDeadLetteredAtOnce() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    String key = UUID.randomUUID().toString();
    EventEnvelope after = event("OrderConfirmed", key);
    List<EventEnvelope> seen = new CopyOnWriteArrayList<>();
    await(send(topic, key, "{\"eventId\": 42, \"this is\": \"not an envelope\"}"));
    await(send(topic, key, "not even json"));
    await(send(topic, key, after.toJson().encode()));

    EventConsumer consumer =
        await(
            EventConsumer.start(
                vertx,
                config,
                List.of(topic),
                event -> {
                  seen.add(event);
                  return Future.succeededFuture();
                },
                options()));
    try (TopicReader dlq =
        TopicReader.start(vertx, broker.bootstrapServers(), Topics.deadLetterTopic(topic))) {
      dlq.awaitRecords(2, WAIT);
      eventually(WAIT, () -> seen.size() == 1, () -> "seen " + seen);
      eventually(WAIT, () -> committed(config.groupId(), topic) == 3, () -> "not committed");

      assertThat(seen).containsExactly(after);
      assertThat(dlq.records())
          .extracting(r -> r.value().toString())
          .containsExactly("{\"eventId\": 42, \"this is\": \"not an envelope\"}", "not even json");
      assertThat(dlq.records())
          .allSatisfy(
              r -> assertThat(headers(r).get("storefront-error")).startsWith("undecodable"));
    } finally {
      await(consumer.stop());
    }
  }

  @Test
  @Order(4)
  void aRestartedConsumerGetsWhatWasNotHandledAndNothingThatWas() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    String key = UUID.randomUUID().toString();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      EventEnvelope event = event("OrderConfirmed", key);
      events.add(event);
      await(send(topic, key, event.toJson().encode()));
    }
    UUID stuck = events.get(2).eventId();
    List<UUID> firstHandled = new CopyOnWriteArrayList<>();
    AtomicInteger stuckAttempts = new AtomicInteger();
    EventConsumer first = await(startStuckOn(config, topic, stuck, stuckAttempts, firstHandled));
    eventually(WAIT, () -> stuckAttempts.get() >= 3, () -> "attempts " + stuckAttempts);
    await(first.stop());
    assertThat(firstHandled).containsExactly(events.get(0).eventId(), events.get(1).eventId());
    assertThat(committed(config.groupId(), topic)).isEqualTo(2);

    List<UUID> secondHandled = new CopyOnWriteArrayList<>();
    EventConsumer second = await(startRecording(config, topic, secondHandled));
    try {
      eventually(WAIT, () -> secondHandled.size() >= 3, () -> "handled " + secondHandled);
      Thread.sleep(500);
      assertThat(secondHandled)
          .containsExactly(
              events.get(2).eventId(), events.get(3).eventId(), events.get(4).eventId());
    } finally {
      await(second.stop());
    }
  }

  @Test
  @Order(4)
  void aStuckKeyHoldsBackItsPartitionsCommitButNotTheOtherKeys() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    String slow = UUID.randomUUID().toString();
    String fast = UUID.randomUUID().toString();
    // One partition, keys interleaved: slow-0, fast-0, slow-1 (stuck), fast-1, slow-2.
    List<EventEnvelope> events = new ArrayList<>();
    for (String key : List.of(slow, fast, slow, fast, slow)) {
      EventEnvelope event = event("OrderConfirmed", key);
      events.add(event);
      await(
          producer.send(KafkaProducerRecord.create(topic, key, event.toJson().encode(), null, 0)));
    }
    UUID stuck = events.get(2).eventId();
    List<UUID> firstHandled = new CopyOnWriteArrayList<>();
    EventConsumer first =
        await(startStuckOn(config, topic, stuck, new AtomicInteger(), firstHandled));
    eventually(WAIT, () -> firstHandled.size() >= 3, () -> "handled " + firstHandled);
    await(first.stop());
    assertThat(firstHandled)
        .containsExactlyInAnyOrder(
            events.get(0).eventId(), events.get(1).eventId(), events.get(3).eventId());
    // Past slow-0 and fast-0 only: slow-1 was never handled.
    assertThat(committed(config.groupId(), topic)).isEqualTo(2);

    List<UUID> secondHandled = new CopyOnWriteArrayList<>();
    EventConsumer second = await(startRecording(config, topic, secondHandled));
    try {
      eventually(WAIT, () -> secondHandled.size() >= 3, () -> "handled " + secondHandled);
      eventually(WAIT, () -> committed(config.groupId(), topic) == 5, () -> "not committed");
      assertThat(secondHandled)
          .containsExactlyInAnyOrder(
              events.get(2).eventId(), events.get(3).eventId(), events.get(4).eventId());
      assertThat(secondHandled.indexOf(events.get(2).eventId()))
          .isLessThan(secondHandled.indexOf(events.get(4).eventId()));
    } finally {
      await(second.stop());
    }
  }

  @Test
  @Order(4)
  void handledOffsetsWaitForTheCommitIntervalAndAStopCommitsThem() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    for (int i = 0; i < 5; i++) {
      String key = UUID.randomUUID().toString();
      await(send(topic, key, event("OrderConfirmed", key).toJson().encode()));
    }
    AtomicInteger handled = new AtomicInteger();
    EventConsumer consumer =
        await(
            EventConsumer.start(
                vertx,
                config,
                List.of(topic),
                event -> {
                  handled.incrementAndGet();
                  return Future.succeededFuture();
                },
                options().withCommitInterval(Duration.ofHours(1))));
    eventually(WAIT, () -> handled.get() == 5, () -> "handled " + handled);
    // A few polls later, still nothing committed: the interval has not passed.
    Thread.sleep(1_500);
    assertThat(committed(config.groupId(), topic)).isNotPositive();

    await(consumer.stop());
    assertThat(committed(config.groupId(), topic)).isEqualTo(5);
  }

  @Test
  @Order(5)
  void consumingGoesOnAcrossABrokerRestart() throws Exception {
    String topic = newTopic();
    KafkaConfig config = config("group-" + UUID.randomUUID());
    String key = UUID.randomUUID().toString();
    List<UUID> handled = new CopyOnWriteArrayList<>();
    EventConsumer consumer =
        await(
            EventConsumer.start(
                vertx,
                config,
                List.of(topic),
                event -> {
                  handled.add(event.eventId());
                  return Future.succeededFuture();
                },
                options()));
    try {
      EventEnvelope before = event("OrderConfirmed", key);
      await(send(topic, key, before.toJson().encode()));
      eventually(WAIT, () -> handled.size() == 1, () -> "handled " + handled);

      await(
          vertx.executeBlocking(
              () -> {
                broker.stop();
                return null;
              }));
      Thread.sleep(3_000);
      await(
          vertx.executeBlocking(
              () -> {
                broker.restart();
                return null;
              }));

      EventEnvelope after = event("OrderConfirmed", key);
      await(send(topic, key, after.toJson().encode()));
      eventually(WAIT, () -> handled.size() >= 2, () -> "handled " + handled);
      eventually(WAIT, () -> committed(config.groupId(), topic) == 2, () -> "not committed");
      assertThat(handled).containsExactly(before.eventId(), after.eventId());
    } finally {
      await(consumer.stop());
    }
  }

  private static EventConsumer.Options options() {
    return EventConsumer.Options.defaults()
        .withRetry(Duration.ofMillis(20), Duration.ofMillis(100));
  }

  private static KafkaConfig config(String group) {
    return new KafkaConfig(broker.bootstrapServers(), group, group);
  }

  private static EventEnvelope event(String type, String key) {
    return EventEnvelope.create(
        type, UUID.fromString(key), new JsonObject().put("accountId", "a-1"));
  }

  private static String newTopic() throws Exception {
    String topic = "it.events." + UUID.randomUUID();
    await(
        Topics.ensure(
            vertx, config("it-admin"), List.of(topic), new Topics.Settings(3, (short) 1)));
    return topic;
  }

  /** A consumer that records every event it handles. */
  private static Future<EventConsumer> startRecording(
      KafkaConfig config, String topic, List<UUID> handled) {
    return EventConsumer.start(
        vertx,
        config,
        List.of(topic),
        event -> {
          handled.add(event.eventId());
          return Future.succeededFuture();
        },
        options());
  }

  /** A consumer that fails {@code stuck} for as long as it runs and records the rest. */
  private static Future<EventConsumer> startStuckOn(
      KafkaConfig config, String topic, UUID stuck, AtomicInteger attempts, List<UUID> handled) {
    return EventConsumer.start(
        vertx,
        config,
        List.of(topic),
        event -> {
          if (event.eventId().equals(stuck)) {
            attempts.incrementAndGet();
            return Future.failedFuture(new IllegalStateException("not yet"));
          }
          handled.add(event.eventId());
          return Future.succeededFuture();
        },
        options().withMaxAttempts(1_000).withRetry(Duration.ofMillis(100), Duration.ofMillis(100)));
  }

  private static Future<RecordMetadata> send(String topic, String key, String value) {
    return producer.send(KafkaProducerRecord.create(topic, key, value));
  }

  private static int total(Map<String, List<UUID>> handled) {
    return handled.values().stream().mapToInt(List::size).sum();
  }

  private static long committed(String group, String topic) {
    try {
      return await(
          admin
              .listConsumerGroupOffsets(group)
              .map(
                  offsets ->
                      offsets.entrySet().stream()
                          .filter(e -> e.getKey().getTopic().equals(topic))
                          .mapToLong(e -> e.getValue().getOffset())
                          .sum()));
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<String, String> headers(KafkaConsumerRecord<Buffer, Buffer> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (KafkaHeader header : record.headers()) {
      headers.put(header.key(), header.value().toString());
    }
    return headers;
  }
}
