package dev.storefront.load.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent so far by a local stack's processes (its services, Kafka and mail server, from the
 * pid files under {@code .storefront/NAME/pids}), read from /proc. An external PostgreSQL is not
 * among them.
 */
public final class StackCpu {

  /** Linux's USER_HZ, the unit of /proc/PID/stat's times, on every architecture Java runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private StackCpu() {}

  /** Milliseconds of CPU of the live processes named in {@code stackDir/pids}, or -1. */
  public static long millis(Path stackDir) {
    if (stackDir == null || !Files.isDirectory(stackDir.resolve("pids"))) {
      return -1;
    }
    long ticks = 0;
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(stackDir.resolve("pids"), "*.pid")) {
      for (Path pidFile : pids) {
        ticks += ticks(Files.readString(pidFile).trim());
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** utime + stime of one process; 0 when it is gone. */
  static long ticks(String pid) {
    if (!pid.matches("\\d+")) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
