package dev.storefront.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.KafkaConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  private static final KafkaConfig CONFIG = new KafkaConfig("k1:9092", "order", "order-a1");

  @Test
  void producersAreDurableAndIdempotent() {
    var config = KafkaClients.producerConfig(CONFIG);

    assertThat(config)
        .containsEntry("bootstrap.servers", "k1:9092")
        .containsEntry("client.id", "order-a1-producer")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer")
        .containsEntry(
            "value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    // Idempotence keeps order only with at most five requests in flight.
    assertThat(Integer.parseInt(config.get("max.in.flight.requests.per.connection")))
        .isBetween(1, 5);
  }

  @Test
  void consumersCommitThemselvesAndStartAtTheBeginning() {
    var config = KafkaClients.consumerConfig(CONFIG);

    assertThat(config)
        .containsEntry("bootstrap.servers", "k1:9092")
        .containsEntry("client.id", "order-a1-consumer")
        .containsEntry("group.id", "order")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry(
            "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer")
        .containsEntry(
            "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
  }

  @Test
  void aCrashedConsumersPartitionsMoveWithinSecondsAndTheOthersKeepTheirs() {
    var config = KafkaClients.consumerConfig(CONFIG);

    assertThat(config)
        .containsEntry("session.timeout.ms", "6000")
        .containsEntry("heartbeat.interval.ms", "1500")
        .containsEntry(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
        // Dynamic membership: a stopping instance leaves the group and its partitions move at once.
        .doesNotContainKey("group.instance.id");
  }

  @Test
  void consumerCallsWaitSecondsNotAMinuteForTheBroker() {
    KafkaConfig config =
        new KafkaConfig(
            "k1:9092",
            "order",
            "order-a1",
            Duration.ofSeconds(8),
            Duration.ofSeconds(2),
            Duration.ofMillis(2_500),
            Duration.ofSeconds(1));

    assertThat(KafkaClients.consumerConfig(config))
        .containsEntry("default.api.timeout.ms", "2500")
        .containsEntry("session.timeout.ms", "8000")
        .containsEntry("heartbeat.interval.ms", "2000");
  }

  @Test
  void eachClientHasItsOwnClientId() {
    assertThat(KafkaClients.producerConfig(CONFIG).get("client.id"))
        .isNotEqualTo(KafkaClients.consumerConfig(CONFIG).get("client.id"));
  }
}
