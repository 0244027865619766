package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  @Test
  void defaultsUseTheLocalBrokerAndTheServiceAsGroup() {
    KafkaConfig config = KafkaConfig.from(Env.of(Map.of()), "order", "a1b2c3d4");

    assertThat(config).isEqualTo(new KafkaConfig("127.0.0.1:9092", "order", "order-a1b2c3d4"));
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "KAFKA_GROUP_ID", "order-replay",
                "KAFKA_CLIENT_ID", "order-debug"));

    KafkaConfig config = KafkaConfig.from(env, "order", "a1b2c3d4");

    assertThat(config).isEqualTo(new KafkaConfig("k1:9092,k2:9092", "order-replay", "order-debug"));
  }

  @Test
  void instancesOfOneServiceShareTheGroupButNotTheClientId() {
    Env env = Env.of(Map.of());

    KafkaConfig first = KafkaConfig.from(env, "notification", "11111111");
    KafkaConfig second = KafkaConfig.from(env, "notification", "22222222");

    assertThat(first.groupId()).isEqualTo(second.groupId());
    assertThat(first.clientId()).isNotEqualTo(second.clientId());
  }
}
