package dev.storefront.load.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storefront.load.run.CapacitySearch;
import dev.storefront.load.run.GatlingRun;
import dev.storefront.load.run.Reports;
import dev.storefront.load.run.RunResult;
import dev.storefront.load.run.SloCheck;
import dev.storefront.load.run.SvgPlot;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./storefront load}: one run of a profile with its SLOs, or a capacity search. Exit status:
 * 0 every SLO held, 1 an SLO broke, 2 a bad command line or an unreachable target, 3 the load
 * generator itself failed.
 */
public final class LoadCli {

  static final int SLO_BROKEN = 1;
  static final int USAGE = 2;
  static final int FAILED = 3;

  private final PrintStream out;

  LoadCli(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new LoadCli(System.out).run(Arrays.asList(args)));
  }

  int run(List<String> args) {
    if (args.contains("-h") || args.contains("--help")) {
      out.print(LoadOptions.USAGE);
      return 0;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
      checkReachable(options);
    } catch (UsageException e) {
      System.err.println("storefront load: " + e.getMessage());
      return USAGE;
    }
    try {
      return options.capacity() ? capacity(options) : once(options);
    } catch (IOException e) {
      System.err.println("storefront load: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
  }

  /** A run that is not measured: the stack's JIT compilers and caches get to work first. */
  private void warmUp(LoadOptions options, double rate, Path dir)
      throws IOException, InterruptedException {
    if (options.warmupSeconds() == 0) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "    warming up: %s visitors/s for %ds, not counted (--warmup 0 to skip)%n",
        Reports.rate(rate),
        options.warmupSeconds());
    GatlingRun.run(
        options.journeys(),
        rate,
        options.warmupSeconds(),
        dir.resolve("warm-up"),
        dir.resolve("warm-up.log"),
        null);
  }

  private int once(LoadOptions options) throws IOException, InterruptedException {
    Path runDir = runDir(options, "run");
    warmUp(options, options.journeys().rate(), runDir);
    out.printf(
        Locale.ROOT,
        "==> %s against %s: %s for %ds%n",
        options.journeys().profile(),
        options.journeys().target(),
        options.journeys().closed()
            ? options.journeys().users() + " visitors at a time (closed model)"
            : Reports.rate(options.journeys().rate()) + " visitors/s arriving (open model)",
        options.journeys().closed()
            ? options.journeys().durationSeconds()
            : options.journeys().rampSeconds() + options.journeys().durationSeconds());
    RunResult result =
        GatlingRun.run(
            options.journeys(),
            options.journeys().rate(),
            options.journeys().durationSeconds(),
            runDir,
            null,
            options.stackDir());
    List<SloCheck> checks = slos(options, result);
    Reports.printRun(out, result, checks);
    if (options.publishDir() != null) {
      var step = new CapacitySearch.StepResult(options.journeys().rate(), result, checks);
      out.println(
          "published     "
              + Reports.publish(
                  options.publishDir(),
                  options.journeys().profile(),
                  "run",
                  settings(options),
                  List.of(step),
                  null));
    }
    boolean held = SloCheck.allHeld(checks);
    out.println(held ? "result        every SLO held" : "result        SLO broken");
    return held ? 0 : SLO_BROKEN;
  }

  private int capacity(LoadOptions options) throws IOException, InterruptedException {
    Path searchDir = runDir(options, "capacity");
    out.printf(
        Locale.ROOT,
        "==> capacity of %s against %s: from %s visitors/s, x%s per %ds step, up to %s%n",
        options.journeys().profile(),
        options.journeys().target(),
        Reports.rate(options.fromRate()),
        Reports.rate(options.factor()),
        options.stepSeconds(),
        Reports.rate(options.maxRate()));
    out.println("    each step's Gatling output: " + searchDir.resolve("step-N.log"));
    warmUp(options, options.fromRate(), searchDir);
    Reports.printStepHeader(out);
    CapacitySearch.Outcome outcome =
        CapacitySearch.search(
            options.fromRate(),
            options.factor(),
            options.maxRate(),
            (rate, index) ->
                GatlingRun.run(
                    options.journeys(),
                    rate,
                    options.stepSeconds(),
                    searchDir.resolve("step-" + (index + 1)),
                    searchDir.resolve("step-" + (index + 1) + ".log"),
                    options.stackDir()),
            result -> slos(options, result),
            step -> Reports.printStep(out, step));
    out.println("stopped: " + outcome.stopReason());
    Path plot = searchDir.resolve(options.journeys().profile() + "-capacity.svg");
    String title =
        "Storefront capacity, "
            + options.journeys().profile()
            + " ("
            + options.journeys().target().getHost()
            + ")";
    Files.writeString(plot, SvgPlot.capacity(title, outcome.steps()));
    if (options.publishDir() != null) {
      Path json =
          Reports.publish(
              options.publishDir(),
              options.journeys().profile(),
              "capacity",
              settings(options),
              outcome.steps(),
              outcome.capacity());
      Path published = Path.of(json.toString().replaceAll("\\.json$", ".svg"));
      Files.copy(plot, published, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      out.println("published: " + json + ", " + published);
    }
    out.println("plot: " + plot);
    out.println(Reports.capacityLine(outcome));
    return outcome.capacity() == null ? SLO_BROKEN : 0;
  }

  private static List<SloCheck> slos(LoadOptions options, RunResult result) {
    return SloCheck.evaluate(result, options.sloP99Millis(), options.maxErrorsPercent());
  }

  private static ObjectNode settings(LoadOptions options) {
    ObjectNode settings = new ObjectMapper().createObjectNode();
    settings.put("target", options.journeys().target().toString());
    settings.put("model", options.journeys().closed() ? "closed" : "open");
    settings.put("thinkSeconds", options.journeys().thinkSeconds());
    settings.put(
        "mix",
        options.journeys().mix().browse()
            + ","
            + options.journeys().mix().shop()
            + ","
            + options.journeys().mix().listen());
    settings.put("declinedPercent", options.journeys().declinedPercent());
    settings.put("returningPercent", options.journeys().returningPercent());
    settings.put(
        "durationSeconds",
        options.capacity() ? options.stepSeconds() : options.journeys().durationSeconds());
    settings.put("stack", System.getProperty("storefront.stackSettings", "not stated"));
    ObjectNode slos = settings.putObject("sloP99Ms");
    options.sloP99Millis().forEach(slos::put);
    settings.put("maxErrorsPercent", options.maxErrorsPercent());
    return settings;
  }

  private static Path runDir(LoadOptions options, String kind) throws IOException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir =
        options.resultsDir().resolve(stamp + "-" + options.journeys().profile() + "-" + kind);
    Files.createDirectories(dir);
    return dir.toAbsolutePath();
  }

  /** A target that does not answer its catalog is refused before any load is made. */
  private static void checkReachable(LoadOptions options) throws UsageException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(options.journeys().target().resolve("/api/products?size=1"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new UsageException(
            "target " + options.journeys().target() + " answered GET /api/products with " + status);
      }
    } catch (IOException e) {
      throw new UsageException(
          "target "
              + options.journeys().target()
              + " is unreachable ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted");
    }
  }
}
