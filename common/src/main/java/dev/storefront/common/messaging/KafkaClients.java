package dev.storefront.common.messaging;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.http.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.serialization.BufferDeserializer;
import io.vertx.kafka.client.serialization.BufferSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * Kafka producers, consumers and the admin client, configured once for the whole project: durable,
 * idempotent producers; consumers that commit only what they have processed, whose partitions move
 * to the other instances within seconds of a crash, and that close within {@link
 * KafkaConfig#closeTimeout()} whether the broker answers or not.
 */
public final class KafkaClients {

  private KafkaClients() {}

  /** acks=all and idempotence: a record the broker acknowledged survives and is not doubled. */
  public static Map<String, String> producerConfig(KafkaConfig config) {
    Map<String, String> map = common(config);
    map.put("client.id", config.clientId() + "-producer");
    map.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    map.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    map.put("acks", "all");
    map.put("enable.idempotence", "true");
    map.put("max.in.flight.requests.per.connection", "5");
    map.put("linger.ms", "5");
    map.put("compression.type", "lz4");
    map.put("delivery.timeout.ms", "30000");
    map.put("request.timeout.ms", "10000");
    return map;
  }

  /**
   * Manual commits after processing; a new group reads from the start of the topic.
   *
   * <p>A short session (the broker notices a crashed instance within {@link
   * KafkaConfig#sessionTimeout()}) and frequent heartbeats (the others learn of the rebalance
   * within {@link KafkaConfig#heartbeatInterval()}). Cooperative rebalancing: only the partitions
   * that move are revoked, so the instances that stay keep consuming theirs while a dead one's are
   * handed out. Membership is dynamic: a static member ({@code group.instance.id}) does not leave
   * its group when it stops, so every stop, not only a crash, would leave its partitions unread for
   * the session timeout, and a restarted process here gets a new instance id anyway.
   */
  public static Map<String, String> consumerConfig(KafkaConfig config) {
    Map<String, String> map = common(config);
    map.put("client.id", config.clientId() + "-consumer");
    map.put("group.id", config.groupId());
    map.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("enable.auto.commit", "false");
    map.put("auto.offset.reset", "earliest");
    map.put("isolation.level", "read_committed");
    map.put("session.timeout.ms", Long.toString(config.sessionTimeout().toMillis()));
    map.put("heartbeat.interval.ms", Long.toString(config.heartbeatInterval().toMillis()));
    map.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
    map.put("default.api.timeout.ms", Long.toString(config.apiTimeout().toMillis()));
    return map;
  }

  public static KafkaProducer<String, String> producer(Vertx vertx, KafkaConfig config) {
    return KafkaProducer.create(vertx, producerConfig(config));
  }

  public static KafkaConsumer<String, String> consumer(Vertx vertx, KafkaConfig config) {
    return create(vertx, consumerConfig(config), config.closeTimeout());
  }

  /**
   * A consumer that hands keys and values over as the bytes the broker holds, for readers that must
   * pass a record on unchanged (to a dead-letter topic) whatever it contains.
   */
  public static KafkaConsumer<Buffer, Buffer> rawConsumer(Vertx vertx, KafkaConfig config) {
    Map<String, String> map = consumerConfig(config);
    map.put("client.id", config.clientId() + "-events-consumer");
    map.put("key.deserializer", BufferDeserializer.class.getName());
    map.put("value.deserializer", BufferDeserializer.class.getName());
    return create(vertx, map, config.closeTimeout());
  }

  /** A producer of raw bytes, with the same durability as {@link #producer}. */
  public static KafkaProducer<Buffer, Buffer> rawProducer(Vertx vertx, KafkaConfig config) {
    Map<String, String> map = producerConfig(config);
    map.put("client.id", config.clientId() + "-raw-producer");
    map.put("key.serializer", BufferSerializer.class.getName());
    map.put("value.serializer", BufferSerializer.class.getName());
    return KafkaProducer.create(vertx, map);
  }

  public static KafkaAdminClient admin(Vertx vertx, KafkaConfig config) {
    Map<String, String> map = common(config);
    map.put("client.id", config.clientId() + "-admin");
    // Readiness asks often and must answer fast, broker or not.
    map.put("request.timeout.ms", "2000");
    map.put("default.api.timeout.ms", "2000");
    return KafkaAdminClient.create(vertx, map);
  }

  /** Readiness probe: the broker answers a cluster description. */
  public static Future<?> ping(KafkaAdminClient admin) {
    return admin.describeCluster();
  }

  /** An admin client whose broker answers are part of the service's readiness. */
  public static KafkaAdminClient watched(Vertx vertx, KafkaConfig config, Health health) {
    KafkaAdminClient admin = admin(vertx, config);
    health.check("kafka", () -> ping(admin));
    return admin;
  }

  private static <K, V> KafkaConsumer<K, V> create(
      Vertx vertx, Map<String, String> config, Duration closeTimeout) {
    Map<String, Object> map = new HashMap<>(config);
    return KafkaConsumer.create(
        vertx,
        new PromptlyClosingConsumer<K, V>(map, closeTimeout),
        KafkaClientOptions.fromMap(map, false));
  }

  /**
   * Vert.x closes its consumer with Kafka's argument-less {@code close()}, which waits up to 30 s
   * for the broker (to leave the group, to end fetch sessions): a stop with the broker away would
   * wait all of it. This consumer waits {@code closeTimeout} instead.
   */
  private static final class PromptlyClosingConsumer<K, V>
      extends org.apache.kafka.clients.consumer.KafkaConsumer<K, V> {

    private final Duration closeTimeout;

    PromptlyClosingConsumer(Map<String, Object> config, Duration closeTimeout) {
      super(config);
      this.closeTimeout = closeTimeout;
    }

    @Override
    public void close() {
      close(closeTimeout);
    }
  }

  private static Map<String, String> common(KafkaConfig config) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", config.bootstrapServers());
    map.put("reconnect.backoff.max.ms", "2000");
    return map;
  }
}
