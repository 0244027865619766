package dev.storefront.devstack;

import dev.storefront.devstack.CommandLine.Command;
import dev.storefront.devstack.CommandLine.DbInit;
import dev.storefront.devstack.CommandLine.Help;
import dev.storefront.devstack.CommandLine.Kafka;
import dev.storefront.devstack.CommandLine.Mail;
import dev.storefront.devstack.CommandLine.PgConnections;
import dev.storefront.devstack.CommandLine.PostgresStart;
import dev.storefront.devstack.CommandLine.PostgresStatus;
import dev.storefront.devstack.CommandLine.PostgresStop;
import dev.storefront.devstack.CommandLine.Reconcile;
import dev.storefront.devstack.CommandLine.UsageException;
import dev.storefront.devstack.CommandLine.WaitPort;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The devstack fat jar's entry point: the local stack's infrastructure as commands for the {@code
 * storefront} script. Results go to standard output, progress and logs to standard error.
 */
public final class DevStack {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_RUNNING = 3;
  static final int FINDINGS = 4;

  /** The JVM is already shutting down: main must return instead of calling System.exit. */
  private static final int SHUTTING_DOWN = Integer.MIN_VALUE;

  private final PrintStream out;
  private final Map<String, String> env;

  DevStack(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  public static void main(String[] args) {
    // Before the first logger exists. A distinct name, so that a logback.xml of a module that
    // has devstack on its test class path is never shadowed by this one.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", "dev/storefront/devstack/devstack-logback.xml");
    }
    int code = new DevStack(System.out, System.getenv()).execute(args);
    if (code != SHUTTING_DOWN) {
      System.exit(code);
    }
  }

  int execute(String... args) {
    Command command;
    try {
      command = CommandLine.parse(args);
    } catch (UsageException e) {
      System.err.println("devstack: " + e.getMessage());
      System.err.print(CommandLine.USAGE);
      return USAGE;
    }
    try {
      return run(command);
    } catch (DevStackException | IllegalArgumentException e) {
      System.err.println("devstack: " + e.getMessage());
      return FAILED;
    } catch (SQLException e) {
      System.err.println("devstack: database error: " + e.getMessage());
      return FAILED;
    } catch (Exception e) {
      System.err.println("devstack: " + e);
      e.printStackTrace(System.err);
      return FAILED;
    }
  }

  private int run(Command command) throws Exception {
    if (command instanceof Kafka kafka) {
      return runKafka(kafka);
    }
    if (command instanceof Mail mail) {
      return runMail(mail);
    }
    if (command instanceof PostgresStart start) {
      var postgres = EmbeddedPostgres.start(start.data(), start.port());
      out.println(
          "PostgreSQL ready on 127.0.0.1:"
              + postgres.port()
              + " (data "
              + postgres.dataDir()
              + ")");
      return OK;
    }
    if (command instanceof PostgresStop stop) {
      EmbeddedPostgres.stopAt(stop.data());
      out.println("PostgreSQL on " + stop.data().toAbsolutePath() + " is stopped");
      return OK;
    }
    if (command instanceof PostgresStatus status) {
      boolean running = EmbeddedPostgres.isRunningAt(status.data());
      out.println(
          "PostgreSQL on "
              + status.data().toAbsolutePath()
              + (running ? " is running" : " is not running"));
      return running ? OK : NOT_RUNNING;
    }
    if (command instanceof DbInit) {
      var settings = DatabaseBootstrap.Settings.fromEnv(env);
      new DatabaseBootstrap(settings).run();
      out.println(
          "Database "
              + settings.database()
              + " on "
              + settings.host()
              + ":"
              + settings.port()
              + " is ready");
      return OK;
    }
    if (command instanceof PgConnections) {
      var settings = DatabaseBootstrap.Settings.fromEnv(env);
      try (var db =
          DriverManager.getConnection(
              settings.jdbcUrl(settings.adminDatabase()),
              settings.adminUser(),
              settings.adminPassword())) {
        var count = ConnectionCount.read(db, settings.database());
        out.println(count.database() + " " + count.server() + " " + count.maxConnections());
        return OK;
      }
    }
    if (command instanceof Reconcile reconcile) {
      var settings = DatabaseBootstrap.Settings.fromEnv(env);
      try (var db =
          DriverManager.getConnection(
              settings.jdbcUrl(settings.database()),
              settings.adminUser(),
              settings.adminPassword())) {
        var report = Reconciliation.audit(db, reconcile.grace());
        report.print(out);
        return report.clean() ? OK : FINDINGS;
      }
    }
    if (command instanceof WaitPort wait) {
      if (Ports.awaitAccepting(wait.host(), wait.port(), wait.timeout())) {
        return OK;
      }
      System.err.println(
          "devstack: "
              + wait.host()
              + ":"
              + wait.port()
              + " did not accept connections within "
              + wait.timeout().toSeconds()
              + " s");
      return FAILED;
    }
    if (command instanceof Help) {
      out.print(CommandLine.USAGE);
      return OK;
    }
    throw new IllegalStateException("no handler for " + command);
  }

  /** Runs the mail server in the foreground until SIGTERM. */
  private int runMail(Mail mail) throws IOException, InterruptedException {
    MailSink sink = MailSink.start(mail.port(), mail.dir());
    Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "mail-sink-stop"));
    out.println(
        "Mail server ready on 127.0.0.1:" + sink.port() + ", filing into " + sink.directory());
    out.flush();
    new java.util.concurrent.CountDownLatch(1).await();
    return SHUTTING_DOWN;
  }

  /**
   * Runs the broker in the foreground. SIGTERM reaches the broker through KafkaBroker's shutdown
   * hook, which stops it gracefully; a broker that dies on its own makes this command fail.
   */
  private int runKafka(Kafka kafka) throws IOException, InterruptedException {
    var broker = KafkaBroker.start(kafka.data(), kafka.port(), kafka.controllerPort());
    if (kafka.pidFile().isPresent()) {
      Path pidFile = kafka.pidFile().get().toAbsolutePath();
      Files.createDirectories(pidFile.getParent());
      Files.writeString(pidFile, broker.pid() + "\n");
    }
    out.println(
        "Kafka broker ready on "
            + broker.bootstrapServers()
            + " (pid "
            + broker.pid()
            + ", log "
            + broker.logFile()
            + ")");
    out.flush();
    int exit = broker.awaitExit();
    if (broker.stopRequested()) {
      return SHUTTING_DOWN;
    }
    System.err.println(
        "devstack: the Kafka broker exited with code "
            + exit
            + "; last lines of "
            + broker.logFile()
            + ":\n"
            + broker.tail(30));
    return FAILED;
  }
}
