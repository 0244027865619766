package dev.storefront.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system user PostgreSQL's programs run as. PostgreSQL refuses to run as root, so
 * when this process is root the programs run as an unprivileged system user instead, created on
 * first use; otherwise they run as the current user.
 */
final class PostgresOsUser {

  private static final Logger log = LoggerFactory.getLogger(PostgresOsUser.class);

  /** Overridable with STOREFRONT_PG_OS_USER. */
  static final String DEFAULT_NAME = "storefront-pg";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** The user to switch to, or null when programs run as the current user. */
  private final String name;

  private PostgresOsUser(String name) {
    this.name = name;
  }

  static PostgresOsUser forThisProcess() {
    if (!"0".equals(ExternalCommand.run(List.of("id", "-u"), COMMAND_TIMEOUT).strip())) {
      return new PostgresOsUser(null);
    }
    String name = System.getenv().getOrDefault("STOREFRONT_PG_OS_USER", DEFAULT_NAME);
    ensureExists(name);
    return new PostgresOsUser(name);
  }

  private static void ensureExists(String name) {
    if (exists(name)) {
      return;
    }
    log.info("Creating system user {} to run PostgreSQL (it refuses to run as root)", name);
    try {
      ExternalCommand.run(
          List.of(
              "useradd",
              "--system",
              "--no-create-home",
              "--home-dir",
              "/nonexistent",
              "--shell",
              "/usr/sbin/nologin",
              name),
          COMMAND_TIMEOUT);
    } catch (DevStackException e) {
      // Another devstack process may have created it in the meantime.
      if (!exists(name)) {
        throw e;
      }
    }
  }

  private static boolean exists(String name) {
    return ExternalCommand.succeeds(List.of("id", "-u", name), COMMAND_TIMEOUT);
  }

  boolean switchesUser() {
    return name != null;
  }

  String describe() {
    return name != null ? name : System.getProperty("user.name");
  }

  /** {@code argv} as this user runs it. */
  List<String> command(List<String> argv) {
    if (name == null) {
      return argv;
    }
    var wrapped = new ArrayList<String>(List.of("runuser", "-u", name, "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  /** Gives {@code dir} and everything below it to this user. */
  void own(Path dir) {
    if (name != null) {
      ExternalCommand.run(List.of("chown", "-R", name + ":", dir.toString()), COMMAND_TIMEOUT);
    }
  }

  /** Whether this user can write in {@code dir}: every directory above it must let it through. */
  boolean canWrite(Path dir) {
    return ExternalCommand.succeeds(
        command(List.of("test", "-w", dir.toString())), COMMAND_TIMEOUT);
  }
}
