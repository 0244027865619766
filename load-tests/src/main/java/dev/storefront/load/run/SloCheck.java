package dev.storefront.load.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One service level objective checked against a run.
 *
 * @param name what is checked, e.g. "catalog p99"
 * @param limit the objective, e.g. "<= 300 ms"
 * @param actual what the run measured
 * @param held whether the run met it
 */
public record SloCheck(String name, String limit, String actual, boolean held) {

  /**
   * The p99 of every group that ran against its limit, and the error share against {@code
   * maxErrorsPercent}. A run that made no request breaks its SLOs: it measured nothing.
   */
  public static List<SloCheck> evaluate(
      RunResult run, Map<String, Long> p99Millis, double maxErrorsPercent) {
    List<SloCheck> checks = new ArrayList<>();
    if (run.report().all().requests() == 0) {
      checks.add(new SloCheck("requests", "> 0", "0", false));
      return checks;
    }
    p99Millis.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            slo -> {
              GroupStats group = run.report().groups().get(slo.getKey());
              if (group != null && group.requests() > group.failed()) {
                checks.add(
                    new SloCheck(
                        slo.getKey() + " p99",
                        "<= " + slo.getValue() + " ms",
                        group.p99() + " ms",
                        group.p99() <= slo.getValue()));
              }
            });
    checks.add(
        new SloCheck(
            "errors",
            "<= " + percent(maxErrorsPercent),
            percent(run.errorPercent()) + " (" + run.errors() + ")",
            run.errorPercent() <= maxErrorsPercent));
    return checks;
  }

  public static boolean allHeld(List<SloCheck> checks) {
    return checks.stream().allMatch(SloCheck::held);
  }

  static String percent(double value) {
    return String.format(Locale.ROOT, "%.2f%%", value);
  }
}
