package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.devstack.CommandLine.DbInit;
import dev.storefront.devstack.CommandLine.Kafka;
import dev.storefront.devstack.CommandLine.PostgresStart;
import dev.storefront.devstack.CommandLine.PostgresStop;
import dev.storefront.devstack.CommandLine.Reconcile;
import dev.storefront.devstack.CommandLine.UsageException;
import dev.storefront.devstack.CommandLine.WaitPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void kafkaTakesSeparateAndInlineValues() {
    assertThat(
            CommandLine.parse(
                "kafka", "--data", "/d", "--port=19092", "--controller-port", "19093"))
        .isEqualTo(new Kafka(Path.of("/d"), 19092, 19093, Optional.empty()));
  }

  @Test
  void kafkaDefaultsToTheUsualPorts() {
    assertThat(CommandLine.parse("kafka", "--data", "d", "--pid-file", "p"))
        .isEqualTo(new Kafka(Path.of("d"), 9092, 9093, Optional.of(Path.of("p"))));
  }

  @Test
  void mailNeedsADirectoryAndDefaultsToPort2525() {
    assertThat(CommandLine.parse("mail", "--dir", "m"))
        .isEqualTo(new CommandLine.Mail(Path.of("m"), 2525));
    assertThat(CommandLine.parse("mail", "--dir=m", "--port", "0"))
        .isEqualTo(new CommandLine.Mail(Path.of("m"), 0));
    assertUsage("--dir is required", "mail", "--port", "2525");
  }

  @Test
  void postgresActions() {
    assertThat(CommandLine.parse("postgres", "start", "--data", "pg", "--port", "15432"))
        .isEqualTo(new PostgresStart(Path.of("pg"), 15432));
    assertThat(CommandLine.parse("postgres", "start", "--data", "pg"))
        .isEqualTo(new PostgresStart(Path.of("pg"), 5432));
    assertThat(CommandLine.parse("postgres", "stop", "--data", "pg"))
        .isEqualTo(new PostgresStop(Path.of("pg")));
  }

  @Test
  void waitPortAndDbInit() {
    assertThat(CommandLine.parse("wait-port", "127.0.0.1", "5432", "30"))
        .isEqualTo(new WaitPort("127.0.0.1", 5432, Duration.ofSeconds(30)));
    assertThat(CommandLine.parse("db-init")).isEqualTo(new DbInit());
    assertThat(CommandLine.parse("pg-connections")).isEqualTo(new CommandLine.PgConnections());
  }

  @Test
  void reconcileTakesAGraceInSeconds() {
    assertThat(CommandLine.parse("reconcile")).isEqualTo(new Reconcile(Duration.ofSeconds(60)));
    assertThat(CommandLine.parse("reconcile", "--grace-s", "0"))
        .isEqualTo(new Reconcile(Duration.ZERO));
    assertUsage(
        "--grace-s must be a number of seconds, 0 or more, got '-1'", "reconcile", "--grace-s=-1");
  }

  @Test
  void rejectsWhatItDoesNotUnderstand() {
    assertUsage("no command given");
    assertUsage("unknown command 'kafak'", "kafak");
    assertUsage("--data is required", "kafka", "--port", "1");
    assertUsage("--port needs a value", "kafka", "--data", "d", "--port");
    assertUsage(
        "--port must be a port between 0 and 65535, got '70000'",
        "kafka",
        "--data",
        "d",
        "--port",
        "70000");
    assertUsage(
        "--port must be a port between 0 and 65535, got 'x'",
        "kafka",
        "--data",
        "d",
        "--port",
        "x");
    assertUsage("unknown option --verbose", "kafka", "--data", "d", "--verbose", "1");
    assertUsage("--data given twice", "kafka", "--data", "d", "--data", "e");
    assertUsage("unexpected argument 'extra'", "postgres", "stop", "--data", "d", "extra");
    assertUsage("postgres needs an action: start, stop or status", "postgres");
    assertUsage("unknown postgres action 'restart'", "postgres", "restart");
    assertUsage("wait-port needs HOST PORT TIMEOUT_S", "wait-port", "localhost", "1");
    assertUsage("TIMEOUT_S must be a number of seconds, got 'soon'", "wait-port", "h", "1", "soon");
    assertUsage("unexpected argument 'now'", "db-init", "now");
  }

  private static void assertUsage(String message, String... args) {
    assertThatThrownBy(() -> CommandLine.parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }
}
