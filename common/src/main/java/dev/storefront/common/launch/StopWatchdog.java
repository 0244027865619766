package dev.storefront.common.launch;

import java.time.Duration;
import java.util.Map;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a process takes to stop. Every stage of a stop has its own limit (withdrawal,
 * drain, consumers, leaving the cluster), yet a stop has been seen to hang past all of them with
 * every thread idle, waiting on a future that never completed. A supervisor then kills the process
 * after its grace period (30 s for the local stack and Kubernetes) and whatever it had to say is
 * lost. Armed at start, the watchdog begins counting when the JVM starts shutting down; if the
 * process is still there after {@code STOP_TIMEOUT_MS} (25 s, inside that grace period) it logs
 * every thread's stack, so the hang can be found, and halts with status 1.
 */
final class StopWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(StopWatchdog.class);
  private static final int FRAMES = 25;

  private final Duration limit;
  private final IntConsumer halt;

  StopWatchdog(Duration limit, IntConsumer halt) {
    this.limit = limit;
    this.halt = halt;
  }

  /** Starts counting when the JVM starts shutting down (SIGTERM, System.exit). */
  static void armAtShutdown(Duration limit) {
    StopWatchdog watchdog = new StopWatchdog(limit, status -> Runtime.getRuntime().halt(status));
    // The hook only starts the count on a daemon thread and returns: the JVM waits for its hooks,
    // and a hook that slept out the limit would hold every clean stop for that long.
    Runtime.getRuntime().addShutdownHook(new Thread(watchdog::start, "storefront-stop-watchdog"));
  }

  /** Counts down on a daemon thread, which ends with the JVM when the stop finishes in time. */
  Thread start() {
    Thread counting =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              String threads = threads();
              LOG.error(
                  "Did not stop within {} ms (STOP_TIMEOUT_MS); halting. Threads:\n{}",
                  limit.toMillis(),
                  threads);
              halt.accept(1);
            },
            "storefront-stop-watchdog-count");
    counting.setDaemon(true);
    counting.start();
    return counting;
  }

  /** Every live thread's name, state and innermost frames. */
  static String threads() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
      Thread thread = entry.getKey();
      out.append('"')
          .append(thread.getName())
          .append('"')
          .append(thread.isDaemon() ? " daemon " : " ")
          .append(thread.getState())
          .append('\n');
      StackTraceElement[] frames = entry.getValue();
      for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
        out.append("    at ").append(frames[i]).append('\n');
      }
    }
    return out.toString();
  }
}
