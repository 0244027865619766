package dev.storefront.common.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopWatchdogTest {

  @Test
  void aStopThatOutlastsTheLimitIsHaltedWithStatusOne() throws Exception {
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    long started = System.nanoTime();

    new StopWatchdog(Duration.ofMillis(200), halted::complete).start();

    assertThat(halted.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void theCountRunsOnADaemonThreadSoAStopInTimeIsNotHeldUp() throws Exception {
    CompletableFuture<Integer> halted = new CompletableFuture<>();

    Thread counting = new StopWatchdog(Duration.ofMinutes(1), halted::complete).start();

    assertThat(counting.isDaemon()).isTrue();
    counting.interrupt();
    counting.join(5_000);
    assertThat(counting.isAlive()).isFalse();
    assertThat(halted).isNotDone();
  }

  @Test
  void theLogNamesEveryThreadWithItsFrames() {
    String threads = StopWatchdog.threads();

    assertThat(threads).contains("\"" + Thread.currentThread().getName() + "\"");
    assertThat(threads)
        .contains(StopWatchdogTest.class.getName() + ".theLogNamesEveryThreadWithItsFrames");
  }
}
