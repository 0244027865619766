package dev.storefront.common.events;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Reads a topic from its start in a group of its own, for assertions on what was published. */
final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<Buffer, Buffer> consumer;
  private final List<KafkaConsumerRecord<Buffer, Buffer>> records = new CopyOnWriteArrayList<>();

  private TopicReader(KafkaConsumer<Buffer, Buffer> consumer) {
    this.consumer = consumer;
  }

  static TopicReader start(Vertx vertx, String bootstrapServers, String topic) throws Exception {
    String group = "reader-" + UUID.randomUUID();
    TopicReader reader =
        new TopicReader(
            KafkaClients.rawConsumer(vertx, new KafkaConfig(bootstrapServers, group, group)));
    reader.consumer.handler(reader.records::add);
    Tests.await(reader.consumer.subscribe(topic));
    return reader;
  }

  List<KafkaConsumerRecord<Buffer, Buffer>> records() {
    return List.copyOf(records);
  }

  /** The events read so far, decoded. */
  List<EventEnvelope> events() {
    return records.stream().map(r -> EventEnvelope.fromBuffer(r.value())).toList();
  }

  /** Event ids per key in the order read, each id at its first appearance only. */
  Map<String, List<UUID>> firstSeenByKey() {
    Map<String, List<UUID>> byKey = new LinkedHashMap<>();
    for (KafkaConsumerRecord<Buffer, Buffer> record : records) {
      UUID id = EventEnvelope.fromBuffer(record.value()).eventId();
      List<UUID> ids = byKey.computeIfAbsent(record.key().toString(), k -> new ArrayList<>());
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return byKey;
  }

  long distinctEvents() {
    return events().stream().map(EventEnvelope::eventId).distinct().count();
  }

  void awaitDistinct(long count, Duration timeout) throws InterruptedException {
    Tests.eventually(timeout, () -> distinctEvents() >= count, () -> "read " + distinctEvents());
  }

  void awaitRecords(int count, Duration timeout) throws InterruptedException {
    Tests.eventually(timeout, () -> records.size() >= count, () -> "read " + records.size());
  }

  @Override
  public void close() {
    consumer
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  /** Waiting helpers for test threads (never event loops). */
  static final class Tests {
    private Tests() {}

    static <T> T await(Future<T> future) throws Exception {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static void eventually(
        Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not within " + timeout + ": " + state.get());
        }
        Thread.sleep(50);
      }
    }
  }
}
