package dev.storefront.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A stack's topics read and written directly, as an auditor or a misbehaving broker would. */
final class KafkaTopics {

  private KafkaTopics() {}

  /** Every record of {@code topic}, from the beginning, read until nothing new comes for 2 s. */
  static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", "system-test-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", "false");
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
        var batch = consumer.poll(Duration.ofMillis(200));
        if (!batch.isEmpty()) {
          batch.forEach(records::add);
          quietSince = System.nanoTime();
        }
      }
    }
    return records;
  }

  /** Sends each record again, same topic, key and value: a redelivery as consumers see it. */
  static void republish(String bootstrapServers, List<ConsumerRecord<String, String>> records)
      throws Exception {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("key.serializer", StringSerializer.class.getName());
    config.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (ConsumerRecord<String, String> record : records) {
        producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())).get();
      }
    }
  }
}
