package dev.storefront.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SloCheckTest {

  private static final Map<String, Long> SLOS =
      Map.of(
          "catalog", 300L,
          "auth", 2000L,
          "cart", 300L,
          "checkout", 1000L,
          "order final", 3000L,
          "notifications", 300L);

  private static RunResult run(long failed, Map<String, Long> counts, GroupStats... groups) {
    GroupStats all = new GroupStats("All Requests", 1000, failed, 40, 200, 900);
    return Runs.result(10, Runs.report(all, 33.3, groups), counts);
  }

  private static SloCheck named(List<SloCheck> checks, String name) {
    return checks.stream()
        .filter(check -> check.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check named " + name + " in " + checks));
  }

  @Test
  void aGroupWhoseP99IsAboveItsLimitBreaks() {
    RunResult run =
        run(
            0,
            Map.of(),
            new GroupStats("catalog", 600, 0, 40, 250, 350),
            new GroupStats("cart", 100, 0, 30, 80, 100));

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 1);

    assertThat(named(checks, "catalog p99"))
        .isEqualTo(new SloCheck("catalog p99", "<= 300 ms", "350 ms", false));
    assertThat(named(checks, "cart p99"))
        .isEqualTo(new SloCheck("cart p99", "<= 300 ms", "100 ms", true));
    assertThat(SloCheck.allHeld(checks)).isFalse();
  }

  @Test
  void aP99AtItsLimitHolds() {
    RunResult run = run(0, Map.of(), new GroupStats("checkout", 50, 0, 400, 900, 1000));

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 1);

    assertThat(named(checks, "checkout p99").held()).isTrue();
    assertThat(SloCheck.allHeld(checks)).isTrue();
  }

  @Test
  void groupsThatDidNotRunAreSkipped() {
    RunResult run =
        run(
            0,
            Map.of(),
            new GroupStats("catalog", 600, 0, 40, 250, 280),
            // Every request failed: there is no successful request to take a p99 of.
            new GroupStats("auth", 20, 20, 0, 0, 0));

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 1);

    assertThat(checks).extracting(SloCheck::name).containsExactly("catalog p99", "errors");
    assertThat(SloCheck.allHeld(checks)).isTrue();
  }

  @Test
  void groupChecksComeInOrderOfNameAndTheErrorShareLast() {
    RunResult run =
        run(
            0,
            Map.of(),
            new GroupStats("order final", 10, 0, 900, 1500, 2000),
            new GroupStats("catalog", 600, 0, 40, 250, 280),
            new GroupStats("auth", 20, 0, 300, 800, 900));

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 1);

    assertThat(checks)
        .extracting(SloCheck::name)
        .containsExactly("auth p99", "catalog p99", "order final p99", "errors");
  }

  @Test
  void aGroupWithoutAnSloIsNotChecked() {
    RunResult run = run(0, Map.of(), new GroupStats("admin", 10, 0, 900, 1500, 99_000));

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 1);

    assertThat(checks).extracting(SloCheck::name).containsExactly("errors");
  }

  @Test
  void theErrorShareIsChecked() {
    GroupStats catalog = new GroupStats("catalog", 1000, 25, 40, 200, 250);

    // 25 failed requests of 1000, 5 of them rate limited: 2.00% errors.
    List<SloCheck> broken =
        SloCheck.evaluate(run(25, Map.of("rateLimited.catalog", 5L), catalog), SLOS, 1);
    assertThat(named(broken, "errors"))
        .isEqualTo(new SloCheck("errors", "<= 1.00%", "2.00% (20)", false));
    assertThat(SloCheck.allHeld(broken)).isFalse();

    List<SloCheck> held =
        SloCheck.evaluate(run(25, Map.of("rateLimited.catalog", 5L), catalog), SLOS, 2);
    assertThat(named(held, "errors"))
        .isEqualTo(new SloCheck("errors", "<= 2.00%", "2.00% (20)", true));
    assertThat(SloCheck.allHeld(held)).isTrue();
  }

  @Test
  void failedJourneysCountAgainstTheErrorShare() {
    GroupStats catalog = new GroupStats("catalog", 1000, 0, 40, 200, 250);

    List<SloCheck> checks =
        SloCheck.evaluate(run(0, Map.of("orders.notFinal", 11L), catalog), SLOS, 1);

    assertThat(named(checks, "errors").held()).isFalse();
    assertThat(named(checks, "errors").actual()).isEqualTo("1.10% (11)");
  }

  @Test
  void aRunWithoutRequestsBreaks() {
    GroupStats none = new GroupStats("All Requests", 0, 0, 0, 0, 0);
    RunResult run = Runs.result(10, Runs.report(none, 0), Map.of());

    List<SloCheck> checks = SloCheck.evaluate(run, SLOS, 100);

    assertThat(checks).containsExactly(new SloCheck("requests", "> 0", "0", false));
    assertThat(SloCheck.allHeld(checks)).isFalse();
  }

  @Test
  void allHeld() {
    SloCheck ok = new SloCheck("a", "<= 1 ms", "1 ms", true);
    SloCheck broken = new SloCheck("b", "<= 1 ms", "2 ms", false);

    assertThat(SloCheck.allHeld(List.of(ok, ok))).isTrue();
    assertThat(SloCheck.allHeld(List.of(ok, broken))).isFalse();
  }

  @Test
  void percentHasTwoDecimalsWhateverTheLocale() {
    assertThat(SloCheck.percent(1)).isEqualTo("1.00%");
    assertThat(SloCheck.percent(12.3456)).isEqualTo("12.35%");
  }
}
