package dev.storefront.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.devstack.KafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The project's Kafka client settings against a real broker started from Kafka's own jars. */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaRoundTripIT {

  private static final int RECORDS = 10;
  private static final int PARTITIONS = 3;

  @TempDir static Path dataDir;

  private static KafkaBroker broker;
  private static Vertx vertx;
  private static KafkaConfig config;
  private static KafkaAdminClient admin;
  private static KafkaProducer<String, String> producer;
  private static KafkaConsumer<String, String> consumer;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dataDir, 0, 0);
    vertx = Vertx.vertx();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    config = new KafkaConfig(broker.bootstrapServers(), "it-group-" + suffix, "it-" + suffix);
    admin = KafkaClients.admin(vertx, config);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    if (consumer != null) {
      closing.add(consumer.close());
    }
    if (producer != null) {
      closing.add(producer.close());
    }
    if (admin != null) {
      closing.add(admin.close());
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void keyedRecordsArriveInOrderPerKeyAndAreCommitted(VertxTestContext ctx) {
    String topic = "it.roundtrip." + UUID.randomUUID();
    producer = KafkaClients.producer(vertx, config);
    consumer = KafkaClients.consumer(vertx, config);
    List<KafkaConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();
    Promise<Void> allReceived = Promise.promise();
    consumer.handler(
        record -> {
          received.add(record);
          if (received.size() == RECORDS) {
            allReceived.tryComplete();
          }
        });

    admin
        .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
        .compose(v -> consumer.subscribe(topic))
        .compose(v -> sendAll(topic))
        .compose(sent -> allReceived.future().map(sent))
        .compose(sent -> consumer.commit().map(sent))
        .compose(sent -> committedOffsets(topic).map(committed -> Map.entry(sent, committed)))
        // Closed while the broker is up; the next test stops it.
        .compose(result -> closeClients().map(result))
        .onComplete(
            ctx.succeeding(
                result ->
                    ctx.verify(
                        () -> {
                          List<RecordMetadata> sent = result.getKey();
                          assertThat(sent).hasSize(RECORDS);
                          assertThat(received).hasSize(RECORDS);

                          Map<String, List<String>> valuesByKey = new LinkedHashMap<>();
                          Map<String, Integer> partitionByKey = new LinkedHashMap<>();
                          for (KafkaConsumerRecord<String, String> r : received) {
                            valuesByKey
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(r.value());
                            Integer earlier = partitionByKey.putIfAbsent(r.key(), r.partition());
                            assertThat(earlier == null || earlier == r.partition())
                                .as("every record of %s in one partition", r.key())
                                .isTrue();
                          }
                          assertThat(valuesByKey)
                              .containsOnlyKeys("order-0", "order-1", "order-2")
                              .containsEntry("order-0", values("order-0", 0, 3, 6, 9))
                              .containsEntry("order-1", values("order-1", 1, 4, 7))
                              .containsEntry("order-2", values("order-2", 2, 5, 8));

                          // What was processed is committed, so a restart does not redo it.
                          long committed =
                              result.getValue().values().stream()
                                  .mapToLong(OffsetAndMetadata::getOffset)
                                  .sum();
                          assertThat(committed).isEqualTo(RECORDS);
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(2)
  void pingAnswersWhileTheBrokerRunsAndFailsSoonAfterItStops(VertxTestContext ctx) {
    KafkaClients.ping(admin)
        .compose(
            up ->
                vertx.executeBlocking(
                    () -> {
                      broker.stop();
                      return System.nanoTime();
                    }))
        .compose(
            stoppedAt ->
                KafkaClients.ping(admin)
                    .transform(ar -> Future.succeededFuture(Map.entry(ar, stoppedAt))))
        .onComplete(
            ctx.succeeding(
                result ->
                    ctx.verify(
                        () -> {
                          long millis = (System.nanoTime() - result.getValue()) / 1_000_000;
                          System.out.printf(
                              "[KafkaRoundTripIT] ping failed %d ms after the broker stopped: %s%n",
                              millis, result.getKey().cause());
                          assertThat(result.getKey().failed()).isTrue();
                          assertThat(millis).isLessThan(5_000);
                          ctx.completeNow();
                        })));
  }

  private static Future<Void> closeClients() {
    Future<Void> closed = Future.join(consumer.close(), producer.close()).mapEmpty();
    consumer = null;
    producer = null;
    return closed;
  }

  private static Future<List<RecordMetadata>> sendAll(String topic) {
    // One at a time: the first writes to a partition created a moment ago may be refused with
    // NOT_LEADER_OR_FOLLOWER, and an idempotent producer with later batches of that partition
    // already accepted then retries the refused one with OUT_OF_ORDER_SEQUENCE_NUMBER until the
    // delivery timeout (KAFKA-14359). Sequential sends keep one batch in flight.
    Future<List<RecordMetadata>> sent = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < RECORDS; i++) {
      String key = "order-" + (i % 3);
      KafkaProducerRecord<String, String> record =
          KafkaProducerRecord.create(topic, key, key + ":" + i);
      sent =
          sent.compose(
              list ->
                  producer
                      .send(record)
                      .map(
                          metadata -> {
                            list.add(metadata);
                            return list;
                          }));
    }
    return sent;
  }

  private static Future<Map<TopicPartition, OffsetAndMetadata>> committedOffsets(String topic) {
    return admin
        .listConsumerGroupOffsets(config.groupId())
        .map(
            offsets ->
                offsets.entrySet().stream()
                    .filter(e -> e.getKey().getTopic().equals(topic))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private static List<String> values(String key, int... sequence) {
    return IntStream.of(sequence).mapToObj(i -> key + ":" + i).toList();
  }
}
