package dev.storefront.common.messaging;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.http.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.serialization.BufferDeserializer;
import io.vertx.kafka.client.serialization.BufferSerializer;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka producers, consumers and the admin client, configured once for the whole project: durable,
 * idempotent producers; consumers that commit only what they have processed.
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

  /** Manual commits after processing; a new group reads from the start of the topic. */
  public static Map<String, String> consumerConfig(KafkaConfig config) {
    Map<String, String> map = common(config);
    map.put("client.id", config.clientId() + "-consumer");
    map.put("group.id", config.groupId());
    map.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("enable.auto.commit", "false");
    map.put("auto.offset.reset", "earliest");
    map.put("isolation.level", "read_committed");
    return map;
  }

  public static KafkaProducer<String, String> producer(Vertx vertx, KafkaConfig config) {
    return KafkaProducer.create(vertx, producerConfig(config));
  }

  public static KafkaConsumer<String, String> consumer(Vertx vertx, KafkaConfig config) {
    return KafkaConsumer.create(vertx, consumerConfig(config));
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
    return KafkaConsumer.create(vertx, map);
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

  private static Map<String, String> common(KafkaConfig config) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", config.bootstrapServers());
    map.put("reconnect.backoff.max.ms", "2000");
    return map;
  }
}
