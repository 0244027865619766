package dev.storefront.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The devstack sub-commands and their arguments, parsed without running anything. */
final class CommandLine {

  static final String USAGE =
      """
      usage: java -jar devstack.jar COMMAND [ARGS]

        kafka --data DIR [--port P] [--controller-port C] [--pid-file FILE]
            Run a single-node KRaft Kafka broker (a child JVM) until this process gets SIGTERM,
            which stops the broker gracefully. Ports default to 9092 and 9093; 0 picks free ones.
            Once the broker answers, FILE receives the broker's pid.
        mail --dir DIR [--port P]
            Run an SMTP server on 127.0.0.1:P (default 2525; 0 picks a free one) that accepts
            every message without authentication and files each as DIR/NNNNNN.eml, until SIGTERM.
        postgres start --data DIR [--port P]
            Start an embedded PostgreSQL 15 on 127.0.0.1:P (default 5432) with DIR as its data
            directory (initialised when empty; trust authentication, superuser postgres).
        postgres stop --data DIR
            Stop the embedded PostgreSQL running on DIR (fast shutdown).
        postgres status --data DIR
            Exit 0 if a PostgreSQL runs on DIR, 3 if not.
        db-init
            Create the database, the service roles and their schemas. Environment: PG_HOST,
            PG_PORT, PG_DATABASE, PG_ADMIN_USER, PG_ADMIN_PASSWORD, PG_PASSWORD_<SERVICE>.
        pg-connections
            Print the connections open to PG_DATABASE, those open on the whole server, and the
            server's max_connections, on one line. Environment as for db-init.
        reconcile [--grace-s S]
            Audit orders, payments, stock and outboxes across the services' schemas and print
            the findings; exit 4 when there are any. Changes younger than S seconds (default 60)
            are left to settle. Environment as for db-init.
        wait-port HOST PORT TIMEOUT_S
            Wait until HOST:PORT accepts TCP connections; exit 1 after TIMEOUT_S seconds.

      Exit codes: 0 done, 1 failed, 2 bad arguments, 3 not running, 4 findings.
      """;

  private CommandLine() {}

  sealed interface Command
      permits Kafka,
          Mail,
          PostgresStart,
          PostgresStop,
          PostgresStatus,
          DbInit,
          PgConnections,
          Reconcile,
          WaitPort,
          Help {}

  record Kafka(Path data, int port, int controllerPort, Optional<Path> pidFile)
      implements Command {}

  record Mail(Path dir, int port) implements Command {}

  record PostgresStart(Path data, int port) implements Command {}

  record PostgresStop(Path data) implements Command {}

  record PostgresStatus(Path data) implements Command {}

  record DbInit() implements Command {}

  record PgConnections() implements Command {}

  record Reconcile(Duration grace) implements Command {}

  record WaitPort(String host, int port, Duration timeout) implements Command {}

  record Help() implements Command {}

  /** The arguments could not be understood; the message says which and why. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  static Command parse(String... args) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    if (rest.isEmpty()) {
      throw new UsageException("no command given");
    }
    String command = rest.removeFirst();
    return switch (command) {
      case "kafka" -> kafka(options(rest, Set.of("data", "port", "controller-port", "pid-file")));
      case "mail" -> {
        var options = options(rest, Set.of("dir", "port"));
        yield new Mail(
            requiredPath(options, "dir"), port(options.getOrDefault("port", "2525"), "--port"));
      }
      case "postgres" -> postgres(rest);
      case "db-init" -> {
        options(rest, Set.of());
        yield new DbInit();
      }
      case "pg-connections" -> {
        options(rest, Set.of());
        yield new PgConnections();
      }
      case "reconcile" -> reconcile(options(rest, Set.of("grace-s")));
      case "wait-port" -> waitPort(rest);
      case "help", "-h", "--help" -> new Help();
      default -> throw new UsageException("unknown command '" + command + "'");
    };
  }

  private static Command kafka(Map<String, String> options) {
    return new Kafka(
        requiredPath(options, "data"),
        port(options.getOrDefault("port", "9092"), "--port"),
        port(options.getOrDefault("controller-port", "9093"), "--controller-port"),
        Optional.ofNullable(options.get("pid-file")).map(Path::of));
  }

  private static Command postgres(Deque<String> rest) {
    if (rest.isEmpty()) {
      throw new UsageException("postgres needs an action: start, stop or status");
    }
    String action = rest.removeFirst();
    return switch (action) {
      case "start" -> {
        var options = options(rest, Set.of("data", "port"));
        yield new PostgresStart(
            requiredPath(options, "data"), port(options.getOrDefault("port", "5432"), "--port"));
      }
      case "stop" -> new PostgresStop(requiredPath(options(rest, Set.of("data")), "data"));
      case "status" -> new PostgresStatus(requiredPath(options(rest, Set.of("data")), "data"));
      default -> throw new UsageException("unknown postgres action '" + action + "'");
    };
  }

  private static Command reconcile(Map<String, String> options) {
    String text = options.getOrDefault("grace-s", "60");
    try {
      long seconds = Long.parseLong(text);
      if (seconds < 0) {
        throw new NumberFormatException();
      }
      return new Reconcile(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      throw new UsageException(
          "--grace-s must be a number of seconds, 0 or more, got '" + text + "'");
    }
  }

  private static Command waitPort(Deque<String> rest) {
    if (rest.size() != 3) {
      throw new UsageException("wait-port needs HOST PORT TIMEOUT_S");
    }
    String host = rest.removeFirst();
    int port = port(rest.removeFirst(), "PORT");
    String timeoutText = rest.removeFirst();
    long seconds;
    try {
      seconds = Long.parseLong(timeoutText);
    } catch (NumberFormatException e) {
      throw new UsageException("TIMEOUT_S must be a number of seconds, got '" + timeoutText + "'");
    }
    if (seconds < 0 || port == 0) {
      throw new UsageException("wait-port needs a port above 0 and a timeout of 0 s or more");
    }
    return new WaitPort(host, port, Duration.ofSeconds(seconds));
  }

  /** {@code --name value} and {@code --name=value} pairs; anything else is an error. */
  private static Map<String, String> options(Deque<String> rest, Set<String> allowed) {
    var options = new HashMap<String, String>();
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (rest.isEmpty() || rest.peekFirst().startsWith("--")) {
        throw new UsageException("--" + name + " needs a value");
      } else {
        value = rest.removeFirst();
      }
      if (!allowed.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      if (options.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return options;
  }

  private static Path requiredPath(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return Path.of(value);
  }

  private static int port(String text, String what) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below with the value.
    }
    throw new UsageException(what + " must be a port between 0 and 65535, got '" + text + "'");
  }
}
