package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  private static CapacitySearch.StepResult step(double rate, long p99, Map<String, Long> counts) {
    RunResult result = Runs.catalogRun(rate, 1000, 0, p99, counts);
    return new CapacitySearch.StepResult(
        rate, result, SloCheck.evaluate(result, Map.of("catalog", 300L), 1));
  }

  @Test
  void ratesReadAsPeopleReadThem() {
    assertThat(Reports.rate(1850)).isEqualTo("1,850");
    assertThat(Reports.rate(12)).isEqualTo("12");
    assertThat(Reports.rate(7.5)).isEqualTo("7.5");
    assertThat(Reports.rate(2.25)).isEqualTo("2.25");
    assertThat(Reports.rate(10.5)).isEqualTo("10.5");
    assertThat(Reports.rate(28.09)).isEqualTo("28.1");
    assertThat(Reports.rate(150.4)).isEqualTo("150");
    assertThat(Reports.rate(99.96)).isEqualTo("100");
    assertThat(Reports.rate(0)).isEqualTo("0");
  }

  @Test
  void aStepLineNamesWhatBroke() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Reports.printStep(out, step(10, 100, Map.of()));
    Reports.printStep(out, step(40, 400, Map.of()));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).endsWith("  held");
    assertThat(lines[1]).endsWith("  catalog p99 400 ms");
  }

  @Test
  void publishWritesASummary(@TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    CapacitySearch.StepResult held = step(10, 100, Map.of("orders.confirmed", 3L));
    CapacitySearch.StepResult broken = step(20, 400, Map.of());

    Path file =
        Reports.publish(
            dir.resolve("results"),
            "browse",
            "capacity",
            json.createObjectNode().put("model", "open"),
            List.of(held, broken),
            held);

    assertThat(file.getParent()).isEqualTo(dir.resolve("results"));
    assertThat(file.getFileName().toString()).endsWith("-browse-capacity.json");
    JsonNode summary = json.readTree(file.toFile());
    assertThat(summary.path("profile").asText()).isEqualTo("browse");
    assertThat(summary.path("kind").asText()).isEqualTo("capacity");
    assertThat(summary.path("settings").path("model").asText()).isEqualTo("open");
    assertThat(summary.path("steps")).hasSize(2);
    assertThat(summary.path("steps").get(1).path("slosHeld").asBoolean()).isFalse();
    assertThat(summary.path("steps").get(1).path("p99Ms").asLong()).isEqualTo(400);
    JsonNode capacity = summary.path("capacity");
    assertThat(capacity.path("arrivalRate").asDouble()).isEqualTo(10.0);
    assertThat(capacity.path("slosHeld").asBoolean()).isTrue();
    assertThat(capacity.path("groups").path("catalog").path("p99Ms").asLong()).isEqualTo(100);
    assertThat(capacity.path("journeys").path("orders.confirmed").asLong()).isEqualTo(3);
    assertThat(capacity.has("stackCpuMsPerRequest")).isFalse();
  }

  @Test
  void aRunsSummaryHasNoCapacity(@TempDir Path dir) throws Exception {
    Path file =
        Reports.publish(
            dir,
            "mix",
            "run",
            new ObjectMapper().createObjectNode(),
            List.of(step(10, 100, Map.of())),
            null);

    JsonNode summary = new ObjectMapper().readTree(file.toFile());
    assertThat(summary.has("capacity")).isFalse();
    assertThat(summary.path("steps")).hasSize(1);
  }
}
