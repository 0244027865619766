package dev.storefront.load.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one run measured: Gatling's figures, the journeys' own counts, and the CPU spent by the load
 * generator and, for a local stack, by the stack's processes.
 *
 * @param arrivalRate visitors arriving per second (the open model's rate; 0 for a closed run)
 * @param report Gatling's figures
 * @param counts the journeys' counts (see the simulation's JourneyCounts)
 * @param reportDir Gatling's HTML report
 * @param stackCpuMillis CPU time of the local stack's processes over the run, or -1 when unknown
 * @param arrivalSeconds how long visitors arrived (or, closed, were kept in the system)
 */
public record RunResult(
    double arrivalRate,
    GatlingReport report,
    Map<String, Long> counts,
    Path reportDir,
    long stackCpuMillis,
    int arrivalSeconds) {

  /**
   * Requests per second of arrivals: every request of the visitors who arrived, over the time they
   * arrived in. While the system keeps up this is its steady throughput at the run's arrival rate;
   * Gatling's own mean also counts the tail after the last arrival, when visitors only finish.
   */
  public double throughput() {
    return arrivalSeconds <= 0
        ? report.requestsPerSecond()
        : (double) report.all().requests() / arrivalSeconds;
  }

  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** Requests the target's rate limit refused (429): reported, not counted as errors. */
  public long rateLimited() {
    return counts.entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("rateLimited."))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * Failures: failed requests other than rate-limited ones, plus journeys that failed outside a
   * request (an order never final or final the wrong way, a stream that would not open).
   */
  public long errors() {
    long failedRequests = Math.max(0, report.all().failed() - rateLimited());
    return failedRequests
        + count("orders.notFinal")
        + count("orders.unexpected")
        + count("streams.failed");
  }

  public double errorPercent() {
    long attempts = report.all().requests() + count("streams.opened") + count("streams.failed");
    return attempts == 0 ? 0 : 100.0 * errors() / attempts;
  }

  public double rateLimitedPercent() {
    long requests = report.all().requests();
    return requests == 0 ? 0 : 100.0 * rateLimited() / requests;
  }

  /** Cores the load generator kept busy on average. */
  public double generatorCores() {
    long wall = count("generator.wallMillis");
    return wall == 0 ? 0 : (double) count("generator.cpuMillis") / wall;
  }

  /** The local stack's CPU per request in milliseconds, or -1 when unknown. */
  public double stackCpuMillisPerRequest() {
    long requests = report.all().requests();
    return stackCpuMillis < 0 || requests == 0 ? -1 : (double) stackCpuMillis / requests;
  }
}
