package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  @Test
  void defaultsUseTheLocalBrokerAndTheServiceAsGroup() {
    KafkaConfig config = KafkaConfig.from(Env.of(Map.of()), "order", "a1b2c3d4");

    assertThat(config).isEqualTo(new KafkaConfig("127.0.0.1:9092", "order", "order-a1b2c3d4"));
    // A crashed instance's partitions move after the session timeout plus about one heartbeat.
    assertThat(config.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(config.sessionTimeout().plus(config.heartbeatInterval()))
        .isLessThan(Duration.ofSeconds(10));
    assertThat(config.apiTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "KAFKA_GROUP_ID", "order-replay",
                "KAFKA_CLIENT_ID", "order-debug",
                "KAFKA_SESSION_TIMEOUT_MS", "10000",
                "KAFKA_HEARTBEAT_INTERVAL_MS", "3000",
                "KAFKA_API_TIMEOUT_MS", "4000",
                "KAFKA_CLOSE_TIMEOUT_MS", "0"));

    KafkaConfig config = KafkaConfig.from(env, "order", "a1b2c3d4");

    assertThat(config)
        .isEqualTo(
            new KafkaConfig(
                "k1:9092,k2:9092",
                "order-replay",
                "order-debug",
                Duration.ofSeconds(10),
                Duration.ofSeconds(3),
                Duration.ofSeconds(4),
                Duration.ZERO));
  }

  @Test
  void aHeartbeatNotBelowTheSessionTimeoutIsRefused() {
    Env env =
        Env.of(Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "6000"));

    assertThatThrownBy(() -> KafkaConfig.from(env, "order", "a1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_HEARTBEAT_INTERVAL_MS");
  }

  @Test
  void aZeroApiTimeoutIsRefused() {
    assertThatThrownBy(
            () -> KafkaConfig.from(Env.of(Map.of("KAFKA_API_TIMEOUT_MS", "0")), "order", "a1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_API_TIMEOUT_MS");
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
