package dev.storefront.load.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs built from records, as the tests of this package need them. */
final class Runs {

  private Runs() {}

  static GatlingReport report(GroupStats all, double requestsPerSecond, GroupStats... groups) {
    Map<String, GroupStats> byName = new LinkedHashMap<>();
    for (GroupStats group : groups) {
      byName.put(group.name(), group);
    }
    return new GatlingReport(all, requestsPerSecond, byName);
  }

  static RunResult result(double rate, GatlingReport report, Map<String, Long> counts) {
    return new RunResult(rate, report, counts, Path.of("target/report"), -1, 0);
  }

  /**
   * A run at {@code rate} whose every request is in the catalog group: {@code requests} of them,
   * {@code failed} failed, with that p99.
   */
  static RunResult catalogRun(
      double rate, long requests, long failed, long p99, Map<String, Long> counts) {
    GroupStats catalog = new GroupStats("catalog", requests, failed, p99 / 2, p99 - 1, p99);
    GroupStats all = new GroupStats("All Requests", requests, failed, p99 / 2, p99 - 1, p99);
    return result(rate, report(all, rate * 2, catalog), counts);
  }
}
