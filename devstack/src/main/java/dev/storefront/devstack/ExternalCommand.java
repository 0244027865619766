package dev.storefront.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an operating-system command whose output is only wanted when it fails: initdb, pg_ctl,
 * tar, useradd. Output is captured so that the failure message can say what went wrong.
 */
final class ExternalCommand {

  private ExternalCommand() {}

  /** Runs {@code argv} and returns its combined output; fails with that output on error. */
  static String run(List<String> argv, Duration timeout) {
    var builder = new ProcessBuilder(argv).redirectErrorStream(true).directory(new File("/"));
    // stdin from /dev/null: a command that asks a question must fail instead of hanging.
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new DevStackException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
    // Drain on another thread so that a chatty command cannot block on a full pipe.
    byte[][] output = new byte[1][];
    Thread reader =
        new Thread(
            () -> {
              try {
                output[0] = process.getInputStream().readAllBytes();
              } catch (IOException e) {
                output[0] = new byte[0];
              }
            },
            "output-of-" + argv.get(0));
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new DevStackException(
            String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s");
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while running " + argv.get(0), e);
    }
    String text = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new DevStackException(
          String.join(" ", argv) + " failed with exit code " + process.exitValue() + ":\n" + text);
    }
    return text;
  }

  /** Whether {@code argv} runs and exits with status 0. */
  static boolean succeeds(List<String> argv, Duration timeout) {
    try {
      run(argv, timeout);
      return true;
    } catch (DevStackException e) {
      return false;
    }
  }
}
