package dev.storefront.notification.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedConfigTest {

  @Test
  void defaults() {
    assertThat(FeedConfig.from(Env.of(Map.of())))
        .isEqualTo(new FeedConfig(Duration.ofSeconds(15), 5, 100));
  }

  @Test
  void readFromTheEnvironment() {
    Env env =
        Env.of(
            Map.of(
                "NOTIFICATION_STREAM_HEARTBEAT_S", "3",
                "NOTIFICATION_STREAMS_PER_ACCOUNT", "2",
                "NOTIFICATION_PAGE_SIZE_MAX", "50"));

    assertThat(FeedConfig.from(env)).isEqualTo(new FeedConfig(Duration.ofSeconds(3), 2, 50));
  }

  @Test
  void partOfTheServiceConfiguration() {
    Env env = Env.of(Map.of("NOTIFICATION_STREAMS_PER_ACCOUNT", "9"));

    assertThat(NotificationConfig.from(env, "i1").feed().streamsPerAccount()).isEqualTo(9);
  }

  @Test
  void aHeartbeatMustComeBeforeTheIdleTimeoutCutsTheStream() {
    assertThatThrownBy(
            () -> FeedConfig.from(Env.of(Map.of("NOTIFICATION_STREAM_HEARTBEAT_S", "60"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NOTIFICATION_STREAM_HEARTBEAT_S");
    assertThat(FeedConfig.from(Env.of(Map.of("NOTIFICATION_STREAM_HEARTBEAT_S", "59"))).heartbeat())
        .isEqualTo(Duration.ofSeconds(59));
  }

  @Test
  void zeroOrNegativeLimitsAreRefused() {
    assertThatThrownBy(
            () -> FeedConfig.from(Env.of(Map.of("NOTIFICATION_STREAMS_PER_ACCOUNT", "0"))))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> FeedConfig.from(Env.of(Map.of("NOTIFICATION_PAGE_SIZE_MAX", "-1"))))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () -> FeedConfig.from(Env.of(Map.of("NOTIFICATION_STREAM_HEARTBEAT_S", "0"))))
        .isInstanceOf(ConfigException.class);
  }
}
