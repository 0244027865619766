package dev.storefront.common.events;

import static dev.storefront.common.events.TopicReader.Tests.await;
import static dev.storefront.common.events.TopicReader.Tests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.devstack.KafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.ConsumerGroupDescription;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.MemberDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances of a service sharing a consumer group: a crashed one's partitions move to the others
 * within seconds, and a consumer whose broker is gone still stops promptly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerFailoverIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(10);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
  private static final int PARTITIONS = 4;

  @TempDir static Path dataDir;

  private static KafkaBroker broker;
  private static Vertx vertx;
  private static KafkaProducer<String, String> producer;
  private static KafkaAdminClient admin;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start(dataDir.resolve("kafka"), 0, 0);
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    KafkaConfig config = new KafkaConfig(broker.bootstrapServers(), "it", "it");
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
  void aKilledConsumersPartitionsGoToTheSurvivorWithinTenSeconds() throws Exception {
    String topic = newTopic();
    String group = "failover-" + UUID.randomUUID();
    Path victimLog = dataDir.resolve("victim.log");
    Process victim =
        ConsumerProcess.launch(
            new KafkaConfig(broker.bootstrapServers(), group, "victim"), topic, victimLog);
    EventConsumer survivor = null;
    try {
      // The victim owns every partition before the survivor joins.
      eventually(
          WAIT,
          () -> partitionsOf(group, "victim").size() == PARTITIONS,
          () -> "victim not consuming; its output:\n" + read(victimLog));

      Map<UUID, Long> handledAt = new ConcurrentHashMap<>();
      KafkaConfig survivorConfig = new KafkaConfig(broker.bootstrapServers(), group, "survivor");
      survivor =
          await(
              EventConsumer.start(
                  vertx,
                  survivorConfig,
                  List.of(topic),
                  event -> {
                    handledAt.putIfAbsent(event.eventId(), System.nanoTime());
                    return Future.succeededFuture();
                  },
                  EventConsumer.Options.defaults()));
      eventually(
          WAIT,
          () -> {
            Optional<ConsumerGroupDescription> described = describe(group);
            return described.isPresent()
                && described.get().getState() == ConsumerGroupState.STABLE
                && partitionsOf(group, "victim").size() == PARTITIONS / 2
                && partitionsOf(group, "survivor").size() == PARTITIONS / 2;
          },
          () -> "partitions not shared: " + describe(group));
      Set<Integer> victims = partitionsOf(group, "victim");
      Set<Integer> survivors = partitionsOf(group, "survivor");

      // Both are alive: each handles what arrives on its own partitions.
      for (int partition : victims) {
        UUID id = send(topic, partition);
        eventually(
            WAIT,
            () -> read(victimLog).contains(ConsumerProcess.HANDLED + id),
            () -> "victim did not handle " + id);
      }
      for (int partition : survivors) {
        UUID id = send(topic, partition);
        eventually(WAIT, () -> handledAt.containsKey(id), () -> "survivor did not handle " + id);
      }
      double revokedBefore = partitions(group, "revoked").count();
      double assignedBefore = partitions(group, "assigned").count();

      long killedAt = System.nanoTime();
      victim.destroyForcibly();
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
      UUID orphan = send(topic, victims.iterator().next());
      eventually(WAIT, () -> handledAt.containsKey(orphan), () -> "orphan never handled");

      Duration failover = Duration.ofNanos(handledAt.get(orphan) - killedAt);
      System.out.printf(
          "Consumer failover: a record on a killed consumer's partition was handled %d ms after"
              + " the kill%n",
          failover.toMillis());
      assertThat(failover).isLessThan(FAILOVER_LIMIT);
      assertThat(partitionsOf(group, "survivor")).hasSize(PARTITIONS);
      // Cooperative rebalancing: the survivor gained the dead one's partitions and gave up none.
      assertThat(partitions(group, "assigned").count() - assignedBefore).isEqualTo(victims.size());
      assertThat(partitions(group, "revoked").count()).isEqualTo(revokedBefore);
    } finally {
      victim.destroyForcibly();
      if (survivor != null) {
        await(survivor.stop());
      }
    }
  }

  @Test
  @Order(2)
  void aConsumerWhoseBrokerIsGoneStopsAndClosesWithinSeconds() throws Exception {
    String topic = newTopic();
    String group = "stop-" + UUID.randomUUID();
    KafkaConfig config = new KafkaConfig(broker.bootstrapServers(), group, group);
    Set<UUID> handled = ConcurrentHashMap.newKeySet();
    // Handled offsets wait for the stop to commit them: the stop has to try the broker.
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
                EventConsumer.Options.defaults().withCommitInterval(Duration.ofHours(1))));
    UUID id = send(topic, 0);
    eventually(WAIT, () -> handled.contains(id), () -> "not handled");
    ObjectName consumerInfo =
        new ObjectName("kafka.consumer:type=app-info,id=" + group + "-events-consumer");
    ObjectName producerInfo =
        new ObjectName("kafka.producer:type=app-info,id=" + group + "-raw-producer");
    assertThat(registered(consumerInfo)).isTrue();
    assertThat(registered(producerInfo)).isTrue();

    broker.stop();
    long stopping = System.nanoTime();
    await(consumer.stop());
    Duration returned = Duration.ofNanos(System.nanoTime() - stopping);
    // Kafka's clients drop their app-info bean as the last step of closing.
    eventually(
        STOP_LIMIT,
        () -> !registered(consumerInfo) && !registered(producerInfo),
        () -> "clients still open");
    Duration closed = Duration.ofNanos(System.nanoTime() - stopping);
    System.out.printf(
        "Consumer stop with the broker gone: returned after %d ms, clients closed after %d ms%n",
        returned.toMillis(), closed.toMillis());
    assertThat(returned).isLessThan(STOP_LIMIT);
    assertThat(closed).isLessThan(STOP_LIMIT);
  }

  private static boolean registered(ObjectName name) {
    return ManagementFactory.getPlatformMBeanServer().isRegistered(name);
  }

  private static Counter partitions(String group, String change) {
    return Counter.builder("storefront.events.partitions." + change)
        .tags("group", group)
        .register(Metrics.registry());
  }

  private static String newTopic() throws Exception {
    String topic = "it.failover." + UUID.randomUUID();
    await(
        Topics.ensure(
            vertx,
            new KafkaConfig(broker.bootstrapServers(), "it-admin", "it-admin"),
            List.of(topic),
            new Topics.Settings(PARTITIONS, (short) 1)));
    return topic;
  }

  private static UUID send(String topic, int partition) throws Exception {
    UUID orderId = UUID.randomUUID();
    EventEnvelope event =
        EventEnvelope.create("OrderConfirmed", orderId, new JsonObject().put("accountId", "a-1"));
    await(
        producer.send(
            KafkaProducerRecord.create(
                topic, orderId.toString(), event.toJson().encode(), null, partition)));
    return event.eventId();
  }

  private static Optional<ConsumerGroupDescription> describe(String group) {
    try {
      return Optional.ofNullable(await(admin.describeConsumerGroups(List.of(group))).get(group));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The partitions the group's member with {@code clientId} holds, by the broker's account. */
  private static Set<Integer> partitionsOf(String group, String clientId) {
    return describe(group).map(ConsumerGroupDescription::getMembers).orElse(List.of()).stream()
        .filter(m -> m.getClientId().equals(clientId + "-events-consumer"))
        .map(MemberDescription::getAssignment)
        .flatMap(a -> a.getTopicPartitions().stream())
        .map(TopicPartition::getPartition)
        .collect(Collectors.toSet());
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
