package dev.storefront.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode, run as a child JVM from Kafka's own classes on
 * this JVM's class path, so it works from a test class path and from the devstack fat jar alike.
 *
 * <p>A child process rather than an in-process {@code KafkaServer}: the broker can be stopped,
 * killed and restarted like a real one, its logging stays out of the caller's output, and Kafka's
 * Scala internals never meet the caller's classes.
 *
 * <p>The data directory holds {@code server.properties}, the partitions ({@code kafka-logs/}) and
 * the broker's own output ({@code broker.log}). Starting again on the same directory keeps the
 * data.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String HEAP = "-Xmx512m";

  /** Brokers this JVM started and has not stopped, for the shutdown hook. */
  private static final Set<KafkaBroker> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    // A test that forgets stop() must not leave a broker holding ports after the JVM exits, and
    // the devstack command forwards its own SIGTERM this way. Graceful first, killed if slow.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(RUNNING).forEach(KafkaBroker::stop), "kafka-reaper"));
  }

  private final Path dataDir;
  private final BrokerSettings settings;
  private volatile Process process;
  private volatile boolean stopRequested;

  private KafkaBroker(Path dataDir, BrokerSettings settings) {
    this.dataDir = dataDir;
    this.settings = settings;
  }

  /**
   * Starts a broker and returns once it answers clients.
   *
   * @param dataDir created if missing; reused data is kept
   * @param port the client port, or 0 for a free one
   * @param controllerPort the KRaft controller port, or 0 for a free one
   */
  public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
    List<Integer> free = FreePorts.pick(2);
    int clientPort = port != 0 ? port : pickOther(free, controllerPort);
    int quorumPort = controllerPort != 0 ? controllerPort : pickOther(free, clientPort);
    Path dir = dataDir.toAbsolutePath();
    var broker =
        new KafkaBroker(dir, new BrokerSettings(dir.resolve("kafka-logs"), clientPort, quorumPort));
    broker.launch();
    return broker;
  }

  private static int pickOther(List<Integer> free, int taken) {
    return free.get(0) != taken ? free.get(0) : free.get(1);
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  public int port() {
    return settings.port();
  }

  public int controllerPort() {
    return settings.controllerPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The file the broker's own log goes to. */
  public Path logFile() {
    return dataDir.resolve("broker.log");
  }

  /** The broker process's id; fails when it is not running. */
  public long pid() {
    Process current = process;
    if (current == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return current.pid();
  }

  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** Whether {@link #stop()} or {@link #kill()} was called since the last start. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** Graceful stop (SIGTERM, controlled shutdown), killing the broker if it takes too long. */
  public void stop() {
    stopRequested = true;
    Process current = process;
    if (current == null) {
      return;
    }
    current.destroy();
    try {
      if (!current.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Kafka broker {} did not stop within {} s; killing it",
            current.pid(),
            STOP_TIMEOUT.toSeconds());
        current.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      current.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    forget(current);
    log.info("Kafka broker on {} stopped", bootstrapServers());
  }

  /** Abrupt stop (SIGKILL), as a crash would. The data stays for {@link #restart()}. */
  public void kill() {
    stopRequested = true;
    Process current = process;
    if (current == null) {
      return;
    }
    current.destroyForcibly();
    try {
      current.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forget(current);
  }

  /** Stops the broker if it runs and starts it again on the same ports and data. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Blocks until the broker process exits and returns its exit code. */
  public int awaitExit() throws InterruptedException {
    Process current = process;
    return current == null ? 0 : current.waitFor();
  }

  @Override
  public void close() {
    stop();
  }

  private void forget(Process stopped) {
    if (process == stopped) {
      process = null;
    }
    RUNNING.remove(this);
  }

  private synchronized void launch() {
    stopRequested = false;
    Path propertiesFile = dataDir.resolve("server.properties");
    Path logbackFile = dataDir.resolve("broker-logback.xml");
    try {
      Files.createDirectories(settings.logDir());
      Files.writeString(propertiesFile, settings.toFileText(), StandardCharsets.UTF_8);
      Files.writeString(logbackFile, brokerLogbackConfig(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka data directory " + dataDir, e);
    }
    if (!Files.exists(settings.logDir().resolve("meta.properties"))) {
      format(propertiesFile, logbackFile);
    }
    List<String> command = javaCommand(logbackFile);
    command.add(BrokerMain.class.getName());
    command.add(propertiesFile.toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
    } catch (IOException e) {
      throw new DevStackException("cannot start the Kafka broker JVM: " + e.getMessage(), e);
    }
    RUNNING.add(this);
    log.info(
        "Kafka broker starting on {} (pid {}, log {})",
        bootstrapServers(),
        process.pid(),
        logFile());
    awaitReady();
  }

  /** Formats the log dir for KRaft: a fresh cluster id, the metadata log's first records. */
  private void format(Path propertiesFile, Path logbackFile) {
    List<String> command = javaCommand(logbackFile);
    command.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--config",
            propertiesFile.toString(),
            "--ignore-formatted"));
    String output = ExternalCommand.run(command, FORMAT_TIMEOUT);
    log.debug("Formatted {}: {}", settings.logDir(), output.strip());
  }

  private List<String> javaCommand(Path logbackFile) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    var command = new ArrayList<String>();
    command.add(java.toString());
    command.add(HEAP);
    command.add("-XX:+UseG1GC");
    command.add("-Djava.awt.headless=true");
    command.add("-Dlogback.configurationFile=" + logbackFile);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      // Probe the port first: an admin client retrying a closed port fills the caller's log.
      while (!Ports.accepting("127.0.0.1", port())) {
        checkStillStarting(deadline);
        Thread.sleep(200);
      }
      Map<String, Object> config =
          Map.of(
              AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
              AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
              AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
      try (Admin admin = Admin.create(config)) {
        while (true) {
          checkStillStarting(deadline);
          try {
            // Listening is not enough: the broker answers once it has elected its controller.
            if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
              log.info("Kafka broker ready on {}", bootstrapServers());
              return;
            }
          } catch (ExecutionException | TimeoutException e) {
            log.debug("Kafka broker not ready yet: {}", e.getMessage());
          }
          Thread.sleep(200);
        }
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while waiting for the Kafka broker", e);
    }
  }

  private void checkStillStarting(long deadline) {
    if (stopRequested) {
      throw new DevStackException("the Kafka broker was stopped during start-up");
    }
    if (!isRunning()) {
      forget(process);
      throw new DevStackException(
          "the Kafka broker exited during start-up; last lines of " + logFile() + ":\n" + tail(40));
    }
    if (System.nanoTime() > deadline) {
      kill();
      throw new DevStackException(
          "the Kafka broker did not become ready within "
              + READY_TIMEOUT.toSeconds()
              + " s; last lines of "
              + logFile()
              + ":\n"
              + tail(40));
    }
  }

  /** The last {@code lines} lines of the broker's log, for failure messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String brokerLogbackConfig() {
    // Standard output of the child is the broker.log file; INFO is what a broker operator reads.
    return """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder>
              <pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern>
            </encoder>
          </appender>
          <logger name="state.change.logger" level="WARN"/>
          <logger name="kafka.request.logger" level="WARN"/>
          <logger name="org.apache.kafka.clients" level="WARN"/>
          <root level="INFO">
            <appender-ref ref="STDOUT"/>
          </root>
        </configuration>
        """;
  }
}
