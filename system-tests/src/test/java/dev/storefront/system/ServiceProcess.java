package dev.storefront.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service's packaged fat jar running as its own JVM, the way the local stack and production run
 * it. Its output goes to a log file; its service port and its management port (health, metrics) are
 * read from the port files it writes.
 */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path portFile;
  private final Path managementPortFile;
  private final Path log;

  private ServiceProcess(
      String name, Process process, Path portFile, Path managementPortFile, Path log) {
    this.name = name;
    this.process = process;
    this.portFile = portFile;
    this.managementPortFile = managementPortFile;
    this.log = log;
  }

  static ServiceProcess start(
      Path root, String module, String name, Path workDir, Map<String, String> env)
      throws IOException {
    Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package the service modules first");
    }
    Files.createDirectories(workDir);
    Path portFile = workDir.resolve(name + ".port");
    Path managementPortFile = workDir.resolve(name + ".management-port");
    Path log = workDir.resolve(name + ".log");
    Files.deleteIfExists(portFile);
    Files.deleteIfExists(managementPortFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PORT_FILE", portFile.toString());
    builder.environment().put("MANAGEMENT_PORT_FILE", managementPortFile.toString());
    builder.environment().putIfAbsent("VERTICLE_INSTANCES", "2");
    return new ServiceProcess(name, builder.start(), portFile, managementPortFile, log);
  }

  String name() {
    return name;
  }

  /** The service port, once the process listens. */
  int awaitPort(Duration timeout) throws Exception {
    return awaitPort(portFile, timeout);
  }

  /** The management port ({@code /health/*}, {@code /metrics}), once the process listens. */
  int awaitManagementPort(Duration timeout) throws Exception {
    return awaitPort(managementPortFile, timeout);
  }

  private int awaitPort(Path portFile, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      if (Files.exists(portFile)) {
        String text = Files.readString(portFile).trim();
        if (!text.isEmpty()) {
          return Integer.parseInt(text);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not listen within " + timeout + ":\n" + tail());
  }

  /** SIGKILL: no shutdown hook, no unpublishing, the way a crashed or OOM-killed process goes. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful path. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      Path dump = threadDump();
      process.destroyForcibly();
      process.waitFor();
      throw new IllegalStateException(
          name + " did not stop within " + timeout + "; its threads as it hung: " + dump);
    }
    return process.exitValue();
  }

  /**
   * The threads of a process that would not stop, written beside its log (jcmd from the JDK that
   * runs the tests): what it waited on is otherwise lost with the forced kill.
   */
  private Path threadDump() {
    Path dump = log.resolveSibling(name + ".threads.txt");
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process jstack =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(dump.toFile())
              .start();
      if (!jstack.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        jstack.destroyForcibly();
      }
      // Into the build's output too, where a CI run's reader finds it.
      System.err.println("=== threads of " + name + " that did not stop ===");
      System.err.println(Files.readString(dump));
    } catch (IOException e) {
      return Path.of("(no thread dump: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return dump;
  }

  boolean alive() {
    return process.isAlive();
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
