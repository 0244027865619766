package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads {@code gatling-stats.js}: the {@code js/stats.js} of a real Gatling 3.13.5 run. */
class GatlingReportTest {

  private static String statsJs() throws IOException {
    try (InputStream in = GatlingReportTest.class.getResourceAsStream("/gatling-stats.js")) {
      assertThat(in).as("test resource gatling-stats.js").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsAllRequests() throws IOException {
    GatlingReport report = GatlingReport.parse(statsJs());

    assertThat(report.all()).isEqualTo(new GroupStats("All Requests", 955, 0, 850, 3656, 5697));
    assertThat(report.requestsPerSecond()).isCloseTo(28.09, within(1e-9));
  }

  @Test
  void readsTheTopLevelGroupsInTheReportsOrder() throws IOException {
    GatlingReport report = GatlingReport.parse(statsJs());

    assertThat(report.groups())
        .containsOnlyKeys("auth", "catalog", "notifications", "cart", "checkout", "order final");
    assertThat(report.groups().keySet())
        .containsExactly("auth", "catalog", "notifications", "cart", "checkout", "order final");
    // Requests inside the groups (sign in, home page, ...) are not groups.
    assertThat(report.groups()).doesNotContainKeys("sign in", "home page", "order status");
  }

  @Test
  void readsEachGroupsFigures() throws IOException {
    GatlingReport report = GatlingReport.parse(statsJs());

    assertThat(report.groups().get("auth"))
        .isEqualTo(new GroupStats("auth", 93, 0, 3022, 6470, 8799));
    assertThat(report.groups().get("catalog"))
        .isEqualTo(new GroupStats("catalog", 673, 0, 802, 2827, 3684));
    assertThat(report.groups().get("notifications"))
        .isEqualTo(new GroupStats("notifications", 47, 0, 524, 2549, 4148));
    assertThat(report.groups().get("cart"))
        .isEqualTo(new GroupStats("cart", 75, 0, 979, 2923, 4162));
    assertThat(report.groups().get("checkout"))
        .isEqualTo(new GroupStats("checkout", 25, 0, 1420, 2754, 3773));
    // A group's figures are per group (useGroupDurationMetric): 24 orders awaited, not the 42
    // status polls it made.
    assertThat(report.groups().get("order final"))
        .isEqualTo(new GroupStats("order final", 24, 0, 1714, 2689, 2899));
  }

  @Test
  void readsTheReportDirectorysStatsJs(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("js"));
    Files.writeString(dir.resolve("js/stats.js"), statsJs());

    GatlingReport report = GatlingReport.read(dir);

    assertThat(report.all().requests()).isEqualTo(955);
    assertThat(report.groups()).hasSize(6);
  }

  @Test
  void aMissingFigureReadsAs0AndFailuresAreCounted() throws IOException {
    String statsJs =
        """
        var stats = {
            type: "GROUP",
        name: "All Requests",
        stats: {
            "name": "All Requests",
            "numberOfRequests": {"total": "10", "ok": "0", "ko": "10"},
            "percentiles1": {"total": "5", "ok": "-", "ko": "5"},
            "percentiles3": {"total": "7", "ok": "-", "ko": "7"},
            "percentiles4": {"total": "9", "ok": "-", "ko": "9"},
            "meanNumberOfRequestsPerSecond": {"total": "2.5", "ok": "-", "ko": "2.5"}
        },
        contents: {
        "group_cart-1": {
                  type: "GROUP",
        name: "cart",
        stats: {
            "name": "cart",
            "numberOfRequests": {"total": "10", "ok": "0", "ko": "10"},
            "percentiles1": {"total": "5", "ok": "-", "ko": "5"},
            "percentiles3": {"total": "7", "ok": "-", "ko": "7"},
            "percentiles4": {"total": "9", "ok": "-", "ko": "9"}
        }
        }
        }
        };

        function fillStats(stat){
        }
        """;

    GatlingReport report = GatlingReport.parse(statsJs);

    assertThat(report.all()).isEqualTo(new GroupStats("All Requests", 10, 10, 0, 0, 0));
    assertThat(report.requestsPerSecond()).isEqualTo(2.5);
    assertThat(report.groups()).containsOnlyKeys("cart");
    assertThat(report.groups().get("cart")).isEqualTo(new GroupStats("cart", 10, 10, 0, 0, 0));
  }

  @Test
  void aFileWithoutTheLayoutIsRefused() {
    assertThatThrownBy(() -> GatlingReport.parse("")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> GatlingReport.parse("<html><body>no statistics</body></html>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("layout");
    // An object, but not followed by Gatling's fillStats function.
    assertThatThrownBy(() -> GatlingReport.parse("var stats = { name: \"All Requests\" };"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Gatling 3.13");
    // fillStats before any object.
    assertThatThrownBy(() -> GatlingReport.parse("\nfunction fillStats(stat){ var a = {}; }"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aLiteralThatIsNotAnObjectIsRefused() {
    assertThatThrownBy(
            () -> GatlingReport.parse("var stats = { name: \"x\", stats: {\n\nfunction fillStats"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aMissingReportIsAnIoException(@TempDir Path dir) {
    assertThatThrownBy(() -> GatlingReport.read(dir)).isInstanceOf(IOException.class);
  }
}
