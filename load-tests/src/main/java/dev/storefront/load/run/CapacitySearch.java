package dev.storefront.load.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Steps the arrival rate up, by a factor each step, until an SLO breaks, the target's rate limit
 * refuses a noticeable share, or the highest rate allowed is reached. The capacity is the
 * throughput of the last step that held every SLO.
 */
public final class CapacitySearch {

  /** A step refused by the target's rate limit beyond this share measures the limit, not us. */
  static final double RATE_LIMITED_PERCENT = 1.0;

  /** Runs one step at an arrival rate. */
  @FunctionalInterface
  public interface Step {
    RunResult run(double rate, int index) throws IOException, InterruptedException;
  }

  /** One step: its rate, what it measured, its SLO checks. */
  public record StepResult(double rate, RunResult result, List<SloCheck> checks) {
    public boolean held() {
      return SloCheck.allHeld(checks) && !rateLimited();
    }

    public boolean rateLimited() {
      return result.rateLimitedPercent() > RATE_LIMITED_PERCENT;
    }
  }

  /**
   * @param steps every step run, in order
   * @param capacity the last step that held, or null when the first did not
   * @param stopReason why the search stopped
   */
  public record Outcome(List<StepResult> steps, StepResult capacity, String stopReason) {}

  private CapacitySearch() {}

  public static Outcome search(
      double from,
      double factor,
      double maxRate,
      Step step,
      Function<RunResult, List<SloCheck>> slos,
      Consumer<StepResult> progress)
      throws IOException, InterruptedException {
    List<StepResult> steps = new ArrayList<>();
    StepResult capacity = null;
    double rate = from;
    for (int index = 0; ; index++) {
      RunResult result = step.run(rate, index);
      StepResult done = new StepResult(rate, result, slos.apply(result));
      steps.add(done);
      progress.accept(done);
      if (done.rateLimited()) {
        return new Outcome(
            steps,
            capacity,
            String.format(
                Locale.ROOT,
                "the target's rate limit refused %.1f%% of requests at %s visitors/s: it measures"
                    + " the limit, not the system (raise the target's limits, or have it trust"
                    + " X-Forwarded-For from the load generator)",
                result.rateLimitedPercent(),
                Reports.rate(rate)));
      }
      if (!done.held()) {
        return new Outcome(
            steps, capacity, "an SLO broke at " + Reports.rate(rate) + " visitors/s");
      }
      capacity = done;
      if (rate >= maxRate) {
        return new Outcome(steps, capacity, "reached --max-rate with every SLO held");
      }
      rate = Math.min(maxRate, next(rate, factor));
    }
  }

  /** The next step's rate: rounded to two significant figures, yet always higher. */
  static double next(double rate, double factor) {
    double rounded = round(rate * factor);
    return rounded > rate ? rounded : rate * factor;
  }

  /** Two significant figures keep the steps' rates readable. */
  static double round(double rate) {
    double scale = Math.pow(10, Math.floor(Math.log10(rate)) - 1);
    return Math.round(rate / scale) * scale;
  }
}
