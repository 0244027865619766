package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

  @TempDir static Path dataDir;

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dataDir, 0, 0);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.kill();
    }
  }

  @Test
  void recordsSurviveARestartOnTheSamePortsAndData() throws Exception {
    int port = broker.port();
    int controllerPort = broker.controllerPort();
    assertThat(port).isNotEqualTo(controllerPort).isPositive();
    assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);

    String topic = "devstack.it." + UUID.randomUUID();
    RecordMetadata sent = produce(topic, "order-1", "{\"v\":1}");
    assertThat(sent.offset()).isZero();
    assertThat(consumeAll(topic, 1)).containsExactly("order-1={\"v\":1}");

    long firstPid = broker.pid();
    broker.stop();
    assertThat(broker.isRunning()).isFalse();
    assertThat(ProcessHandle.of(firstPid)).isEmpty();

    broker.restart();
    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.pid()).isNotEqualTo(firstPid);
    assertThat(broker.port()).isEqualTo(port);
    assertThat(broker.controllerPort()).isEqualTo(controllerPort);
    assertThat(consumeAll(topic, 1)).containsExactly("order-1={\"v\":1}");

    broker.stop();
    assertThat(broker.isRunning()).isFalse();
  }

  @Test
  void acknowledgedRecordsSurviveAKill() throws Exception {
    if (!broker.isRunning()) {
      broker.restart();
    }
    String topic = "devstack.it.crash." + UUID.randomUUID();
    produce(topic, "order-2", "{\"v\":2}");
    long pid = broker.pid();

    broker.kill();
    assertThat(ProcessHandle.of(pid)).isEmpty();
    broker.restart();

    assertThat(consumeAll(topic, 1)).containsExactly("order-2={\"v\":2}");
  }

  @Test
  void brokerOutputGoesToItsOwnLogFile() {
    assertThat(broker.logFile()).startsWith(dataDir).exists();
    assertThat(broker.tail(1000)).contains("Kafka Server started");
  }

  private static RecordMetadata produce(String topic, String key, String value) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<String> consumeAll(String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    var seen = new ArrayList<String>();
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
    }
    return seen;
  }
}
