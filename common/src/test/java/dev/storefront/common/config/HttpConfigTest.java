package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

  @Test
  void defaultsListenEverywhereOnTheServicePortWithOneServerPerCore() {
    HttpConfig config = HttpConfig.from(Env.of(Map.of()), 8082);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8082);
    assertThat(config.publicHost()).isEqualTo("127.0.0.1");
    assertThat(config.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.portFile()).isEmpty();
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.of(
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", "0",
                "PUBLIC_HOST", "catalog.internal",
                "VERTICLE_INSTANCES", "3",
                "SHUTDOWN_DRAIN_MS", "2500",
                "PORT_FILE", "/tmp/catalog.port",
                "REQUEST_HEAD_TIMEOUT_MS", "4000"));

    HttpConfig config = HttpConfig.from(env, 8082);

    assertThat(config)
        .isEqualTo(
            new HttpConfig(
                "127.0.0.1",
                0,
                "catalog.internal",
                3,
                Duration.ofMillis(2500),
                "/tmp/catalog.port",
                Duration.ofSeconds(4),
                "",
                ""));
  }

  @Test
  void badValuesAreRejected() {
    assertThatThrownBy(() -> HttpConfig.from(Env.of(Map.of("HTTP_PORT", "-1")), 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HTTP_PORT");
    assertThatThrownBy(() -> HttpConfig.from(Env.of(Map.of("VERTICLE_INSTANCES", "0")), 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VERTICLE_INSTANCES must be at least 1, got 0");
    assertThatThrownBy(() -> HttpConfig.from(Env.of(Map.of("SHUTDOWN_DRAIN_MS", "soon")), 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHUTDOWN_DRAIN_MS");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    assertThatThrownBy(
            () -> HttpConfig.from(Env.of(Map.of("TLS_CERT_PATH", "/etc/tls/cert.pem")), 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TLS_KEY_PATH");
  }

  @Test
  void withPortChangesOnlyThePort() {
    HttpConfig config =
        new HttpConfig(
            "0.0.0.0",
            0,
            "10.1.2.3",
            2,
            Duration.ofSeconds(1),
            "/run/port",
            Duration.ofSeconds(10),
            "",
            "");

    HttpConfig bound = config.withPort(41234);

    assertThat(bound)
        .isEqualTo(
            new HttpConfig(
                "0.0.0.0",
                41234,
                "10.1.2.3",
                2,
                Duration.ofSeconds(1),
                "/run/port",
                Duration.ofSeconds(10),
                "",
                ""));
    assertThat(config.port()).isZero();
  }
}
