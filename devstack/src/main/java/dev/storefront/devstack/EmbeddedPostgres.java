package dev.storefront.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server from the zonky binaries, for machines where none answers at the configured
 * address. The server is a normal daemon ({@code pg_ctl start}): it outlives the JVM that started
 * it, and {@link #stopAt(Path)} stops it later by its data directory alone.
 *
 * <p>Local use only: it listens on 127.0.0.1, trusts every local connection and has the superuser
 * {@code postgres} without a password. Its log is {@code postgres.log} in the data directory.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

  public static final String SUPERUSER = "postgres";

  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
  private static final String PG_CTL_WAIT_SECONDS = "60";

  /** Appended to postgresql.conf after initdb; the port is given at each start instead. */
  private static final String SETTINGS =
      """

      # devstack: loopback TCP only. No Unix socket, whose default directory the
      # unprivileged user may not be able to write.
      listen_addresses = '127.0.0.1'
      unix_socket_directories = ''
      # Several processes of each service, each with its own pool.
      max_connections = 300
      """;

  private final Path dataDir;
  private final int port;

  private EmbeddedPostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts a server on {@code dataDir}, initialising it first when empty, and returns once it
   * accepts connections. A server already running on that directory and port is reused.
   *
   * @param port the port to listen on, or 0 for a free one
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath();
    int actualPort = port != 0 ? port : FreePorts.pick();
    var binaries = PostgresBinaries.install();
    var user = PostgresOsUser.forThisProcess();
    prepare(dir, binaries, user);

    Integer running = runningPort(dir, binaries, user);
    if (running != null) {
      if (running != actualPort) {
        throw new DevStackException(
            "PostgreSQL already runs on " + dir + " with port " + running + ", not " + actualPort);
      }
      log.info("PostgreSQL already running on 127.0.0.1:{} ({})", actualPort, dir);
      return new EmbeddedPostgres(dir, actualPort);
    }
    if (Ports.accepting("127.0.0.1", actualPort)) {
      throw new DevStackException("port " + actualPort + " is already taken by another process");
    }
    try {
      ExternalCommand.run(
          user.command(
              List.of(
                  binaries.bin("pg_ctl").toString(),
                  "start",
                  "--wait",
                  "--timeout=" + PG_CTL_WAIT_SECONDS,
                  "--pgdata=" + dir,
                  "--log=" + logFile(dir),
                  "--options=-p " + actualPort)),
          PG_CTL_TIMEOUT);
    } catch (DevStackException e) {
      throw new DevStackException(
          e.getMessage() + "\nlast lines of " + logFile(dir) + ":\n" + tail(dir), e);
    }
    log.info("PostgreSQL started on 127.0.0.1:{} ({}, as {})", actualPort, dir, user.describe());
    return new EmbeddedPostgres(dir, actualPort);
  }

  /**
   * Fast shutdown of the server on {@code dataDir} (sessions are ended); no-op when not running.
   */
  public static void stopAt(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    var binaries = PostgresBinaries.install();
    var user = PostgresOsUser.forThisProcess();
    if (runningPort(dir, binaries, user) == null) {
      log.info("PostgreSQL is not running on {}", dir);
      return;
    }
    ExternalCommand.run(
        user.command(
            List.of(
                binaries.bin("pg_ctl").toString(),
                "stop",
                "--wait",
                "--timeout=" + PG_CTL_WAIT_SECONDS,
                "--pgdata=" + dir,
                "--mode=fast")),
        PG_CTL_TIMEOUT);
    log.info("PostgreSQL on {} stopped", dir);
  }

  /** Whether a server runs on {@code dataDir}. */
  public static boolean isRunningAt(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    return runningPort(dir, PostgresBinaries.install(), PostgresOsUser.forThisProcess()) != null;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public boolean isRunning() {
    return isRunningAt(dataDir);
  }

  public void stop() {
    stopAt(dataDir);
  }

  @Override
  public void close() {
    stop();
  }

  private static Path logFile(Path dataDir) {
    return dataDir.resolve("postgres.log");
  }

  /** Creates and initialises the data directory unless it already holds a cluster. */
  private static void prepare(Path dir, PostgresBinaries binaries, PostgresOsUser user) {
    if (Files.exists(dir.resolve("PG_VERSION"))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      if (!isEmpty(dir)) {
        throw new DevStackException(dir + " is neither empty nor a PostgreSQL data directory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    user.own(dir);
    if (user.switchesUser() && !user.canWrite(dir)) {
      throw new DevStackException(
          "PostgreSQL runs as user "
              + user.describe()
              + ", who cannot write "
              + dir
              + ": every directory above it must be searchable by others (chmod o+x)");
    }
    log.info("Initialising a PostgreSQL data directory in {}", dir);
    ExternalCommand.run(
        user.command(
            List.of(
                binaries.bin("initdb").toString(),
                "--pgdata=" + dir,
                "--username=" + SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                // A throwaway local cluster: not worth waiting for fsync of every template file.
                "--no-sync")),
        INITDB_TIMEOUT);
    try {
      Files.writeString(
          dir.resolve("postgresql.conf"),
          SETTINGS,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure " + dir, e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The port of the server running on {@code dir}, or null when none runs. */
  private static Integer runningPort(Path dir, PostgresBinaries binaries, PostgresOsUser user) {
    if (!Files.exists(dir.resolve("PG_VERSION"))) {
      return null;
    }
    boolean running =
        ExternalCommand.succeeds(
            user.command(List.of(binaries.bin("pg_ctl").toString(), "status", "--pgdata=" + dir)),
            PG_CTL_TIMEOUT);
    if (!running) {
      return null;
    }
    // postmaster.pid: pid, data directory, start time, port, ...
    try {
      List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
      return Integer.parseInt(lines.get(3).strip());
    } catch (IOException | RuntimeException e) {
      throw new DevStackException("PostgreSQL runs on " + dir + " but its port cannot be read", e);
    }
  }

  private static String tail(Path dir) {
    try {
      List<String> lines = Files.readAllLines(logFile(dir));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
