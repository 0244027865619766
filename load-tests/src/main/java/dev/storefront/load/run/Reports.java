package dev.storefront.load.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** What a run or a capacity search says: on the console, and as a published summary. */
public final class Reports {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Reports() {}

  /** 12, 7.5, 1,850: rates and figures as people read them. */
  public static String rate(double value) {
    if (value >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value)
        .replaceAll("0+$", "")
        .replaceAll("\\.$", "");
  }

  public static void printRun(PrintStream out, RunResult run, List<SloCheck> checks) {
    GatlingReport report = run.report();
    out.println();
    out.printf(
        Locale.ROOT,
        "requests      %,d (%s/s), failed %,d, rate limited %,d (%s; not counted as errors)%n",
        report.all().requests(),
        rate(run.throughput()),
        report.all().failed(),
        run.rateLimited(),
        SloCheck.percent(run.rateLimitedPercent()));
    out.printf(
        Locale.ROOT,
        "  %-14s %9s %8s %8s %8s %7s%n",
        "group",
        "requests",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "failed");
    for (GroupStats group : report.groups().values()) {
      out.printf(
          Locale.ROOT,
          "  %-14s %,9d %8d %8d %8d %,7d%n",
          group.name(),
          group.requests(),
          group.p50(),
          group.p95(),
          group.p99(),
          group.failed());
    }
    if (run.count("orders.confirmed") + run.count("orders.cancelled") + run.count("orders.notFinal")
        > 0) {
      out.printf(
          Locale.ROOT,
          "orders        confirmed %,d, cancelled %,d, never final %,d, final the wrong way %,d;"
              + " checkouts refused as sold out %,d%n",
          run.count("orders.confirmed"),
          run.count("orders.cancelled"),
          run.count("orders.notFinal"),
          run.count("orders.unexpected"),
          run.count("checkout.soldOut"));
    }
    if (run.count("streams.opened") + run.count("streams.failed") > 0) {
      out.printf(
          Locale.ROOT,
          "streams       opened %,d, failed %,d, rate limited %,d; received %,d notifications and"
              + " %,d keep-alives; reconnected %,d times%n",
          run.count("streams.opened"),
          run.count("streams.failed"),
          run.count("streams.rateLimited"),
          run.count("streams.notifications"),
          run.count("streams.keepAlives"),
          run.count("streams.reconnects"));
    }
    out.printf(
        Locale.ROOT,
        "CPU           load generator %.2f cores (on the same machine as a local stack, it takes"
            + " from it)%s%n",
        run.generatorCores(),
        run.stackCpuMillisPerRequest() < 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; stack processes %.2f ms per request",
                run.stackCpuMillisPerRequest()));
    out.println("SLOs");
    for (SloCheck check : checks) {
      out.printf(
          Locale.ROOT,
          "  %-7s %-20s %-12s measured %s%n",
          check.held() ? "ok" : "BROKEN",
          check.name(),
          check.limit(),
          check.actual());
    }
    out.println("report        " + run.reportDir().resolve("index.html").toUri());
  }

  public static void printStepHeader(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%10s %10s %8s %8s %8s %9s %9s  %s%n",
        "visitors/s",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "limited",
        "gen cores",
        "SLOs");
  }

  public static void printStep(PrintStream out, CapacitySearch.StepResult step) {
    RunResult run = step.result();
    String broken =
        step.checks().stream()
            .filter(check -> !check.held())
            .map(check -> check.name() + " " + check.actual())
            .reduce((a, b) -> a + ", " + b)
            .orElse(step.rateLimited() ? "rate limited" : "held");
    out.printf(
        Locale.ROOT,
        "%10s %10s %8d %8d %8s %9s %9.2f  %s%n",
        rate(step.rate()),
        rate(run.throughput()),
        run.report().all().p50(),
        run.report().all().p99(),
        SloCheck.percent(run.errorPercent()),
        SloCheck.percent(run.rateLimitedPercent()),
        run.generatorCores(),
        broken);
  }

  /** The one line a capacity search ends with. */
  public static String capacityLine(CapacitySearch.Outcome outcome) {
    CapacitySearch.StepResult best = outcome.capacity();
    if (best == null) {
      return "capacity: below the first step's rate ("
          + outcome.stopReason()
          + "); start lower with --from";
    }
    RunResult run = best.result();
    return String.format(
        Locale.ROOT,
        "capacity: %s req/s (p99 %d ms, errors %s) at %s visitors/s",
        rate(run.throughput()),
        run.report().all().p99(),
        SloCheck.percent(run.errorPercent()),
        rate(best.rate()));
  }

  /** Writes {@code DATE-PROFILE-KIND.json} under {@code dir}; gives its path. */
  public static Path publish(
      Path dir,
      String profile,
      String kind,
      ObjectNode settings,
      List<CapacitySearch.StepResult> steps,
      CapacitySearch.StepResult capacity)
      throws IOException {
    ObjectNode summary = JSON.createObjectNode();
    summary.put("date", LocalDate.now().toString());
    summary.put("build", System.getProperty("storefront.build", "unknown"));
    summary.set("machine", machine());
    summary.put("profile", profile);
    summary.put("kind", kind);
    summary.set("settings", settings);
    ArrayNode rows = summary.putArray("steps");
    for (CapacitySearch.StepResult step : steps) {
      rows.add(row(step));
    }
    if (capacity != null) {
      summary.set("capacity", row(capacity));
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(LocalDate.now() + "-" + profile + "-" + kind + ".json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), summary);
    return file;
  }

  private static ObjectNode row(CapacitySearch.StepResult step) {
    RunResult run = step.result();
    ObjectNode row = JSON.createObjectNode();
    row.put("arrivalRate", round(step.rate()));
    row.put("requestsPerSecond", round(run.throughput()));
    row.put("requests", run.report().all().requests());
    row.put("p50Ms", run.report().all().p50());
    row.put("p95Ms", run.report().all().p95());
    row.put("p99Ms", run.report().all().p99());
    row.put("errorsPercent", round(run.errorPercent()));
    row.put("rateLimitedPercent", round(run.rateLimitedPercent()));
    row.put("generatorCores", round(run.generatorCores()));
    if (run.stackCpuMillisPerRequest() >= 0) {
      row.put("stackCpuMsPerRequest", round(run.stackCpuMillisPerRequest()));
    }
    row.put("slosHeld", step.held());
    ObjectNode groups = row.putObject("groups");
    for (GroupStats group : run.report().groups().values()) {
      ObjectNode g = groups.putObject(group.name());
      g.put("requests", group.requests());
      g.put("failed", group.failed());
      g.put("p50Ms", group.p50());
      g.put("p99Ms", group.p99());
    }
    ObjectNode counts = row.putObject("journeys");
    run.counts().forEach(counts::put);
    return row;
  }

  private static ObjectNode machine() {
    ObjectNode machine = JSON.createObjectNode();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      machine.put("memoryGiB", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    }
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.version"));
    return machine;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
