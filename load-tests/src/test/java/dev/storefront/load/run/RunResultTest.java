package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {

  private static final GroupStats ALL = new GroupStats("All Requests", 200, 10, 50, 90, 120);

  private static RunResult run(GroupStats all, Map<String, Long> counts) {
    return Runs.result(10, Runs.report(all, 20, all), counts);
  }

  @Test
  void countsThatWereNotMadeAre0() {
    RunResult run = run(ALL, Map.of("orders.confirmed", 7L));

    assertThat(run.count("orders.confirmed")).isEqualTo(7);
    assertThat(run.count("orders.cancelled")).isZero();
  }

  @Test
  void rateLimitedSumsTheRateLimitedCountsOfEveryGroup() {
    RunResult run =
        run(
            ALL,
            Map.of(
                "rateLimited.catalog", 3L,
                "rateLimited.cart", 2L,
                // Not a request in Gatling's figures: the event stream's own count.
                "streams.rateLimited", 9L,
                "orders.confirmed", 4L));

    assertThat(run.rateLimited()).isEqualTo(5);
  }

  @Test
  void errorsAreFailedRequestsOtherThanRateLimitedOnesPlusFailedJourneys() {
    RunResult run =
        run(
            ALL,
            Map.of(
                "rateLimited.catalog", 3L,
                "rateLimited.cart", 2L,
                "orders.notFinal", 1L,
                "orders.unexpected", 2L,
                "streams.failed", 4L,
                "streams.opened", 46L,
                "streams.rateLimited", 9L,
                "orders.confirmed", 30L));

    // 10 failed requests - 5 rate limited + 1 never final + 2 final the wrong way + 4 streams.
    assertThat(run.errors()).isEqualTo(12);
    // Attempts: 200 requests + 46 streams opened + 4 that failed.
    assertThat(run.errorPercent()).isCloseTo(100.0 * 12 / 250, within(1e-9));
    assertThat(run.rateLimitedPercent()).isCloseTo(2.5, within(1e-9));
  }

  @Test
  void onlyRateLimitedFailuresAreNoErrors() {
    RunResult run = run(ALL, Map.of("rateLimited.auth", 10L));

    assertThat(run.errors()).isZero();
    assertThat(run.errorPercent()).isZero();
    assertThat(run.rateLimitedPercent()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void failedRequestsNeverCountBelow0() {
    GroupStats all = new GroupStats("All Requests", 200, 2, 50, 90, 120);
    RunResult run = run(all, Map.of("rateLimited.auth", 5L, "orders.notFinal", 1L));

    assertThat(run.errors()).isEqualTo(1);
  }

  @Test
  void failedRequestsWithoutAnyCountAreErrors() {
    RunResult run = run(ALL, Map.of());

    assertThat(run.errors()).isEqualTo(10);
    assertThat(run.errorPercent()).isCloseTo(5.0, within(1e-9));
    assertThat(run.rateLimitedPercent()).isZero();
  }

  @Test
  void aRunWithoutRequestsHas0Percentages() {
    GroupStats none = new GroupStats("All Requests", 0, 0, 0, 0, 0);
    RunResult run = run(none, Map.of());

    assertThat(run.errorPercent()).isZero();
    assertThat(run.rateLimitedPercent()).isZero();
    assertThat(run.stackCpuMillisPerRequest()).isEqualTo(-1);
  }

  @Test
  void streamsThatFailedToOpenAreAttempts() {
    GroupStats none = new GroupStats("All Requests", 0, 0, 0, 0, 0);
    RunResult run = run(none, Map.of("streams.failed", 1L, "streams.opened", 3L));

    assertThat(run.errors()).isEqualTo(1);
    assertThat(run.errorPercent()).isCloseTo(25.0, within(1e-9));
  }

  @Test
  void generatorCoresAreCpuTimeOverWallTime() {
    RunResult run =
        run(ALL, Map.of("generator.cpuMillis", 30_000L, "generator.wallMillis", 20_000L));

    assertThat(run.generatorCores()).isCloseTo(1.5, within(1e-9));
    assertThat(run(ALL, Map.of("generator.cpuMillis", 30_000L)).generatorCores()).isZero();
  }

  @Test
  void stackCpuPerRequest() {
    GatlingReport report = Runs.report(ALL, 20);

    assertThat(
            new RunResult(10, report, Map.of(), Path.of("r"), 1000, 0).stackCpuMillisPerRequest())
        .isCloseTo(5.0, within(1e-9));
    assertThat(new RunResult(10, report, Map.of(), Path.of("r"), -1, 0).stackCpuMillisPerRequest())
        .isEqualTo(-1);
  }

  @Test
  void throughputIsTheRequestsOfTheArrivalsPerSecondOfArrivals() {
    GroupStats all = new GroupStats("All Requests", 600, 0, 10, 20, 30);
    GatlingReport report = new GatlingReport(all, 15.0, Map.of());
    assertThat(new RunResult(5, report, Map.of(), Path.of("r"), -1, 20).throughput())
        .as("600 requests of 20 s of arrivals, not Gatling's mean over the tail too")
        .isEqualTo(30.0);
    assertThat(new RunResult(5, report, Map.of(), Path.of("r"), -1, 0).throughput())
        .as("without an arrival window, Gatling's mean")
        .isEqualTo(15.0);
  }
}
