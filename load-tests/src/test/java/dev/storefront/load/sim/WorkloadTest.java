package dev.storefront.load.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  private static Properties properties(Workload workload) {
    Properties properties = new Properties();
    properties.putAll(workload.toProperties());
    return properties;
  }

  @Test
  void anOpenWorkloadRoundTripsThroughProperties() {
    Workload workload =
        new Workload(
            "mix",
            URI.create("https://shop.example.com:8443"),
            false,
            12.5,
            10,
            4,
            0,
            120,
            0.75,
            new Workload.Mix(70, 20, 10),
            25,
            40,
            Path.of("/tmp/run/journeys.json"));

    assertThat(Workload.fromProperties(properties(workload))).isEqualTo(workload);
  }

  @Test
  void aClosedWorkloadRoundTripsThroughProperties() {
    Workload workload =
        new Workload(
            "listen",
            URI.create("http://127.0.0.1:8080"),
            true,
            0,
            0,
            1,
            300,
            30,
            0,
            Workload.Mix.STOREFRONT,
            0,
            100,
            Path.of("target/gatling/journeys.json"));

    assertThat(Workload.fromProperties(properties(workload))).isEqualTo(workload);
  }

  @Test
  void propertiesAreUnderStorefrontLoad() {
    Workload workload =
        new Workload(
            "shop",
            URI.create("http://127.0.0.1:8080"),
            false,
            7.5,
            0,
            1,
            0,
            30,
            1,
            Workload.Mix.STOREFRONT,
            10,
            50,
            Path.of("counts.json"));

    Map<String, String> properties = workload.toProperties();

    assertThat(properties.keySet()).allMatch(key -> key.startsWith("storefront.load."));
    assertThat(properties)
        .containsEntry("storefront.load.profile", "shop")
        .containsEntry("storefront.load.rate", "7.5")
        .containsEntry("storefront.load.mix", "85,5,10")
        .hasSize(13);
  }

  @Test
  void aMissingPropertyIsNamed() {
    Properties properties = new Properties();
    properties.setProperty("storefront.load.profile", "browse");

    assertThatThrownBy(() -> Workload.fromProperties(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("storefront.load.");
  }

  @Test
  void arrivalSecondsIncludeTheRampOfAnOpenModelOnly() {
    Workload open =
        new Workload(
            "browse",
            URI.create("http://127.0.0.1:8080"),
            false,
            10,
            15,
            1,
            0,
            30,
            1,
            Workload.Mix.STOREFRONT,
            10,
            50,
            Path.of("c.json"));
    Workload closed =
        new Workload(
            "browse",
            URI.create("http://127.0.0.1:8080"),
            true,
            0,
            15,
            1,
            20,
            30,
            1,
            Workload.Mix.STOREFRONT,
            10,
            50,
            Path.of("c.json"));

    assertThat(open.arrivalSeconds()).isEqualTo(45);
    assertThat(closed.arrivalSeconds()).isEqualTo(30);
  }

  @Test
  void mixSharesMustAddUpTo100() {
    assertThat(new Workload.Mix(100, 0, 0).browse()).isEqualTo(100);
    assertThat(Workload.Mix.STOREFRONT)
        .extracting(Workload.Mix::browse, Workload.Mix::shop, Workload.Mix::listen)
        .containsExactly(85, 5, 10);

    assertThatThrownBy(() -> new Workload.Mix(80, 10, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 100")
        .hasMessageContaining("browse=80, shop=10, listen=5");
    assertThatThrownBy(() -> new Workload.Mix(50, 50, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Workload.Mix(110, 0, -10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 or more");
  }
}
