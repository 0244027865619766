package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

  @Test
  void defaultsListenOnTheGivenInterfaceWithOneServerPerCoreAndManagementOnLoopback() {
    HttpConfig config = HttpConfig.from(Env.of(Map.of()), HttpConfig.LOOPBACK, 8082);

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8082);
    assertThat(config.publicHost()).isEqualTo("127.0.0.1");
    assertThat(config.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.portFile()).isEmpty();
    assertThat(config.managementHost()).isEqualTo("127.0.0.1");
    assertThat(config.managementPort()).isZero();
    assertThat(config.managementPortFile()).isEmpty();
  }

  @Test
  void theEdgeListensEverywhereByDefaultButItsManagementPortDoesNot() {
    HttpConfig config = HttpConfig.from(Env.of(Map.of()), HttpConfig.ALL_INTERFACES, 8080);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.managementHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void aRemotePublicHostNeedsAServicePortBeyondLoopback() {
    Env remote = Env.of(Map.of("PUBLIC_HOST", "10.1.2.3"));

    assertThatThrownBy(() -> HttpConfig.from(remote, HttpConfig.LOOPBACK, 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PUBLIC_HOST=10.1.2.3")
        .hasMessageContaining("HTTP_HOST=127.0.0.1");
    assertThat(HttpConfig.from(remote.with(Map.of("HTTP_HOST", "0.0.0.0")), HttpConfig.LOOPBACK, 0))
        .extracting(HttpConfig::host, HttpConfig::publicHost)
        .containsExactly("0.0.0.0", "10.1.2.3");
    assertThat(HttpConfig.from(Env.of(Map.of("PUBLIC_HOST", "localhost")), HttpConfig.LOOPBACK, 0))
        .extracting(HttpConfig::publicHost)
        .isEqualTo("localhost");
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.ofEntries(
                Map.entry("HTTP_HOST", "10.0.0.8"),
                Map.entry("HTTP_PORT", "0"),
                Map.entry("PUBLIC_HOST", "catalog.internal"),
                Map.entry("VERTICLE_INSTANCES", "3"),
                Map.entry("SHUTDOWN_DRAIN_MS", "2500"),
                Map.entry("PORT_FILE", "/tmp/catalog.port"),
                Map.entry("MANAGEMENT_HOST", "0.0.0.0"),
                Map.entry("MANAGEMENT_PORT", "9090"),
                Map.entry("MANAGEMENT_PORT_FILE", "/tmp/catalog.management-port"),
                Map.entry("REQUEST_HEAD_TIMEOUT_MS", "4000")));

    HttpConfig config = HttpConfig.from(env, HttpConfig.LOOPBACK, 8082);

    assertThat(config)
        .isEqualTo(
            new HttpConfig(
                "10.0.0.8",
                0,
                "catalog.internal",
                3,
                Duration.ofMillis(2500),
                "/tmp/catalog.port",
                "0.0.0.0",
                9090,
                "/tmp/catalog.management-port",
                Duration.ofSeconds(4),
                "",
                ""));
  }

  @Test
  void badValuesAreRejected() {
    assertThatThrownBy(
            () -> HttpConfig.from(Env.of(Map.of("HTTP_PORT", "-1")), HttpConfig.LOOPBACK, 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HTTP_PORT");
    assertThatThrownBy(
            () ->
                HttpConfig.from(
                    Env.of(Map.of("VERTICLE_INSTANCES", "0")), HttpConfig.LOOPBACK, 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VERTICLE_INSTANCES must be at least 1, got 0");
    assertThatThrownBy(
            () ->
                HttpConfig.from(
                    Env.of(Map.of("SHUTDOWN_DRAIN_MS", "soon")), HttpConfig.LOOPBACK, 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHUTDOWN_DRAIN_MS");
    assertThatThrownBy(
            () ->
                HttpConfig.from(Env.of(Map.of("MANAGEMENT_PORT", "70000")), HttpConfig.LOOPBACK, 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MANAGEMENT_PORT");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    assertThatThrownBy(
            () ->
                HttpConfig.from(
                    Env.of(Map.of("TLS_CERT_PATH", "/etc/tls/cert.pem")),
                    HttpConfig.LOOPBACK,
                    8082))
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
            "127.0.0.1",
            0,
            "",
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
                "127.0.0.1",
                0,
                "",
                Duration.ofSeconds(10),
                "",
                ""));
    assertThat(config.port()).isZero();
  }
}
