package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {

  private static final Map<String, Long> SLOS = Map.of("catalog", 300L);

  /** The steps' SLOs: the catalog's p99 within 300 ms, at most 1% errors. */
  private static final Function<RunResult, List<SloCheck>> CHECKS =
      result -> SloCheck.evaluate(result, SLOS, 1);

  /** The rates and indices the search ran its steps at. */
  private final List<Double> rates = new ArrayList<>();

  private final List<Integer> indices = new ArrayList<>();
  private final List<CapacitySearch.StepResult> progress = new ArrayList<>();

  /** A target whose catalog p99 is 10 ms per visitor/s, without failures or rate limits. */
  private CapacitySearch.Step linear() {
    return (rate, index) -> {
      rates.add(rate);
      indices.add(index);
      return Runs.catalogRun(rate, 1000, 0, Math.round(rate * 10), Map.of());
    };
  }

  private CapacitySearch.Outcome search(
      double from, double factor, double maxRate, CapacitySearch.Step step)
      throws IOException, InterruptedException {
    return CapacitySearch.search(from, factor, maxRate, step, CHECKS, progress::add);
  }

  @Test
  void stopsAtTheFirstStepThatBreaksAnSlo() throws Exception {
    CapacitySearch.Outcome outcome = search(10, 2, 1000, linear());

    // 100 ms, 200 ms, then 400 ms: above the catalog's 300 ms.
    assertThat(rates).containsExactly(10.0, 20.0, 40.0);
    assertThat(indices).containsExactly(0, 1, 2);
    assertThat(outcome.steps())
        .extracting(CapacitySearch.StepResult::rate)
        .containsExactly(10.0, 20.0, 40.0);
    assertThat(outcome.steps())
        .extracting(CapacitySearch.StepResult::held)
        .containsExactly(true, true, false);
    assertThat(outcome.capacity()).isSameAs(outcome.steps().get(1));
    assertThat(outcome.capacity().rate()).isEqualTo(20.0);
    assertThat(outcome.stopReason()).isEqualTo("an SLO broke at 40 visitors/s");
    assertThat(progress).containsExactlyElementsOf(outcome.steps());
  }

  @Test
  void aStepsChecksAreTheSloFunctionsOfItsResult() throws Exception {
    CapacitySearch.Outcome outcome = search(10, 2, 1000, linear());

    CapacitySearch.StepResult broken = outcome.steps().get(2);
    assertThat(broken.checks()).isEqualTo(SloCheck.evaluate(broken.result(), SLOS, 1));
    assertThat(broken.checks()).contains(new SloCheck("catalog p99", "<= 300 ms", "400 ms", false));
  }

  @Test
  void stopsWhenTheRateLimitRefusesMoreThan1Percent() throws Exception {
    CapacitySearch.Step step =
        (rate, index) -> {
          rates.add(rate);
          // 1% rate limited at 20 is tolerated; 2% at 40 is not.
          long limited = rate < 20 ? 0 : rate < 40 ? 10 : 20;
          return Runs.catalogRun(rate, 1000, limited, 50, Map.of("rateLimited.catalog", limited));
        };

    CapacitySearch.Outcome outcome = search(10, 2, 1000, step);

    assertThat(rates).containsExactly(10.0, 20.0, 40.0);
    CapacitySearch.StepResult last = outcome.steps().get(2);
    assertThat(SloCheck.allHeld(last.checks())).as("the SLOs themselves held").isTrue();
    assertThat(last.rateLimited()).isTrue();
    assertThat(last.held()).isFalse();
    assertThat(outcome.steps().get(1).rateLimited()).isFalse();
    assertThat(outcome.capacity()).isSameAs(outcome.steps().get(1));
    assertThat(outcome.stopReason())
        .startsWith("the target's rate limit refused 2.0% of requests at 40 visitors/s");
  }

  @Test
  void aFirstStepRateLimitedGivesNoCapacity() throws Exception {
    CapacitySearch.Step step =
        (rate, index) -> Runs.catalogRun(rate, 100, 50, 50, Map.of("rateLimited.auth", 50L));

    CapacitySearch.Outcome outcome = search(10, 2, 1000, step);

    assertThat(outcome.steps()).hasSize(1);
    assertThat(outcome.capacity()).isNull();
    assertThat(outcome.stopReason()).contains("rate limit refused 50.0%");
  }

  @Test
  void stopsAtTheMaxRate() throws Exception {
    CapacitySearch.Outcome outcome = search(5, 1.5, 30, (rate, index) -> held(rate));

    assertThat(outcome.steps()).hasSize(6);
    double[] expected = {5, 7.5, 11, 17, 26, 30};
    for (int i = 0; i < expected.length; i++) {
      assertThat(outcome.steps().get(i).rate()).isCloseTo(expected[i], within(1e-9));
    }
    assertThat(outcome.capacity()).isSameAs(outcome.steps().get(5));
    assertThat(outcome.stopReason()).isEqualTo("reached --max-rate with every SLO held");
  }

  @Test
  void aFromAtTheMaxRateRunsOneStep() throws Exception {
    CapacitySearch.Outcome outcome = search(50, 2, 50, (rate, index) -> held(rate));

    assertThat(outcome.steps()).extracting(CapacitySearch.StepResult::rate).containsExactly(50.0);
    assertThat(outcome.capacity()).isNotNull();
    assertThat(outcome.stopReason()).startsWith("reached --max-rate");
  }

  @Test
  void aFirstStepThatBreaksGivesNoCapacity() throws Exception {
    CapacitySearch.Outcome outcome = search(40, 2, 1000, linear());

    assertThat(rates).containsExactly(40.0);
    assertThat(outcome.steps()).hasSize(1);
    assertThat(outcome.capacity()).isNull();
    assertThat(outcome.stopReason()).isEqualTo("an SLO broke at 40 visitors/s");
  }

  @Test
  void aStepThatFailsEndsTheSearch() {
    CapacitySearch.Step step =
        (rate, index) -> {
          if (index == 1) {
            throw new IOException("gatling exited with 1");
          }
          return held(rate);
        };

    assertThatThrownBy(() -> search(10, 2, 1000, step))
        .isInstanceOf(IOException.class)
        .hasMessage("gatling exited with 1");
    assertThat(progress).hasSize(1);
  }

  @Test
  void nextGrowsByTheFactorRoundedToTwoSignificantFigures() {
    assertThat(CapacitySearch.next(10, 1.5)).isCloseTo(15, within(1e-9));
    assertThat(CapacitySearch.next(5, 1.5)).isCloseTo(7.5, within(1e-9));
    assertThat(CapacitySearch.next(7.5, 1.5)).isCloseTo(11, within(1e-9)); // 11.25
    assertThat(CapacitySearch.next(11, 1.5)).isCloseTo(17, within(1e-9)); // 16.5
    assertThat(CapacitySearch.next(130, 1.5)).isCloseTo(200, within(1e-9)); // 195
    assertThat(CapacitySearch.next(1000, 1.3)).isCloseTo(1300, within(1e-9));
    assertThat(CapacitySearch.next(1234, 2)).isCloseTo(2500, within(1e-9)); // 2468
  }

  @Test
  void nextAlwaysGrows() {
    assertThat(CapacitySearch.next(10, 1.01)).isGreaterThan(10);
    assertThat(CapacitySearch.next(10, 1.01)).isCloseTo(10.1, within(1e-9));
    assertThat(CapacitySearch.next(100, 1.04)).isGreaterThan(100);
    for (double factor : new double[] {1.01, 1.05, 1.1, 1.25, 1.5, 2, 3, 10}) {
      for (double rate = 0.5; rate < 5000; rate = rate * 1.07 + 0.3) {
        double next = CapacitySearch.next(rate, factor);
        assertThat(next).as("next(%s, %s)", rate, factor).isGreaterThan(rate);
        assertThat(next)
            .as("next(%s, %s)", rate, factor)
            .isCloseTo(rate * factor, withinPercentage(5));
      }
    }
  }

  @Test
  void roundKeepsTwoSignificantFigures() {
    assertThat(CapacitySearch.round(1234)).isCloseTo(1200, within(1e-9));
    assertThat(CapacitySearch.round(1250)).isCloseTo(1300, within(1e-9));
    assertThat(CapacitySearch.round(99.5)).isCloseTo(100, within(1e-9));
    assertThat(CapacitySearch.round(16.5)).isCloseTo(17, within(1e-9));
    assertThat(CapacitySearch.round(7.5)).isCloseTo(7.5, within(1e-9));
    assertThat(CapacitySearch.round(0.456)).isCloseTo(0.46, within(1e-9));
    assertThat(CapacitySearch.round(20)).isCloseTo(20, within(1e-9));
  }

  @Test
  void capacityLineNamesTheLastStepThatHeld() throws Exception {
    CapacitySearch.Step step =
        (rate, index) -> {
          GroupStats all = new GroupStats("All Requests", 1000, 0, 50, 150, rate < 40 ? 210 : 900);
          GroupStats catalog = new GroupStats("catalog", 1000, 0, 50, 150, rate < 40 ? 210 : 900);
          return Runs.result(rate, Runs.report(all, rate * 1.979, catalog), Map.of());
        };
    CapacitySearch.Outcome outcome = search(10, 2, 1000, step);

    assertThat(outcome.capacity().rate()).isEqualTo(20.0);
    assertThat(Reports.capacityLine(outcome))
        .isEqualTo("capacity: 39.6 req/s (p99 210 ms, errors 0.00%) at 20 visitors/s");
  }

  @Test
  void capacityLineWithoutCapacitySaysStartLower() throws Exception {
    CapacitySearch.Outcome outcome = search(40, 2, 1000, linear());

    assertThat(Reports.capacityLine(outcome))
        .isEqualTo(
            "capacity: below the first step's rate (an SLO broke at 40 visitors/s); start lower"
                + " with --from");
  }

  private static RunResult held(double rate) {
    return Runs.catalogRun(rate, 1000, 0, 100, Map.of());
  }
}
