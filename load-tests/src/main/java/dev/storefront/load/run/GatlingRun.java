package dev.storefront.load.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storefront.load.sim.StorefrontSimulation;
import dev.storefront.load.sim.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

/**
 * Runs the simulation once, in a JVM of its own (Gatling keeps state per process, and a capacity
 * search runs it many times), and reads what it measured.
 */
public final class GatlingRun {

  private GatlingRun() {}

  /**
   * Runs {@code journeys} at {@code rate} for {@code seconds}, with the report and the journeys'
   * counts under {@code runDir}; the JVM's output goes to this process's when {@code log} is null,
   * else to {@code log}.
   */
  public static RunResult run(
      Workload journeys, double rate, int seconds, Path runDir, Path log, Path stackDir)
      throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    Workload workload = journeys.forRun(rate, seconds, runDir.resolve("journeys.json"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // Gatling reads strings' internals to write its log quickly.
    command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    workload.toProperties().forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.gatling.app.Gatling");
    command.add("--simulation");
    command.add(StorefrontSimulation.class.getName());
    command.add("--results-folder");
    command.add(runDir.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (log == null) {
      builder.inheritIO();
    } else {
      builder.redirectOutput(log.toFile());
    }
    markVersionCheckDone();
    long stackBefore = StackCpu.millis(stackDir);
    Process gatling = builder.start();
    int status;
    try {
      status = gatling.waitFor();
    } finally {
      gatling.destroy();
    }
    long stackAfter = StackCpu.millis(stackDir);
    Path reportDir = reportDir(runDir);
    if (status != 0 || reportDir == null || !Files.exists(workload.countsFile())) {
      throw new IOException(
          "Gatling exited with status "
              + status
              + (log == null ? "" : "; its output is in " + log)
              + (reportDir == null ? ", and wrote no report" : ""));
    }
    Map<String, Long> counts =
        new ObjectMapper()
            .readValue(workload.countsFile().toFile(), new TypeReference<Map<String, Long>>() {});
    return new RunResult(
        workload.closed() ? 0 : workload.rate(),
        GatlingReport.read(reportDir),
        counts,
        reportDir,
        stackBefore < 0 || stackAfter < 0 ? -1 : stackAfter - stackBefore,
        workload.arrivalSeconds());
  }

  /**
   * Gatling looks for a newer release of itself on the internet once a day, remembering the last
   * look in the user's preferences. Marking it as just done keeps every request of a run on its
   * target.
   */
  private static void markVersionCheckDone() {
    try {
      Preferences latest = Preferences.userRoot().node("/io/gatling/latestVersion");
      latest.putLong("lastCheckTimestamp", System.currentTimeMillis());
      latest.putBoolean("lastCheckSuccess", false);
      latest.flush();
    } catch (BackingStoreException | SecurityException e) {
      // Without a preferences store the look is made, and fails where there is no network.
    }
  }

  private static Path reportDir(Path runDir) throws IOException {
    try (Stream<Path> entries = Files.list(runDir)) {
      return entries
          .filter(dir -> Files.exists(dir.resolve("index.html")))
          .max(Path::compareTo)
          .orElse(null);
    }
  }
}
