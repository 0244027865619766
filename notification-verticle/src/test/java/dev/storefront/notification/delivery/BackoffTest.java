package dev.storefront.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.notification.config.RetryConfig;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final RetryConfig RETRY =
      new RetryConfig(Duration.ofMillis(1_000), Duration.ofMillis(600_000), 8);

  @Test
  void theCeilingDoublesFromTheBaseUpToTheMaximum() {
    assertThat(Backoff.ceilingMillis(RETRY, 1)).isEqualTo(1_000);
    assertThat(Backoff.ceilingMillis(RETRY, 2)).isEqualTo(2_000);
    assertThat(Backoff.ceilingMillis(RETRY, 3)).isEqualTo(4_000);
    assertThat(Backoff.ceilingMillis(RETRY, 10)).isEqualTo(512_000);
    assertThat(Backoff.ceilingMillis(RETRY, 11)).isEqualTo(600_000);
    assertThat(Backoff.ceilingMillis(RETRY, 500)).isEqualTo(600_000);
    assertThat(Backoff.ceilingMillis(RETRY, Integer.MAX_VALUE)).isEqualTo(600_000);
  }

  @Test
  void theCeilingNeverOverflowsEvenWithoutAPracticalMaximum() {
    RetryConfig unbounded =
        new RetryConfig(Duration.ofMillis(3), Duration.ofMillis(Long.MAX_VALUE), 100);
    long previous = 0;
    for (int attempt = 1; attempt < 100; attempt++) {
      long ceiling = Backoff.ceilingMillis(unbounded, attempt);
      assertThat(ceiling).isPositive().isGreaterThanOrEqualTo(previous);
      previous = ceiling;
    }
    assertThat(Backoff.delayMillis(unbounded, 99, new Random(1))).isNotNegative();
  }

  @Test
  void delaysAreSpreadOverTheWholeRangeFromZeroToTheCeiling() {
    Random random = new Random(42);
    for (int attempt = 1; attempt <= 12; attempt++) {
      long ceiling = Backoff.ceilingMillis(RETRY, attempt);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < 5_000; i++) {
        long delay = Backoff.delayMillis(RETRY, attempt, random);
        assertThat(delay).isBetween(0L, ceiling);
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      // Full jitter: not "ceiling plus a little", but anywhere down to nothing.
      assertThat(min).isLessThan(ceiling / 20);
      assertThat(max).isGreaterThan(ceiling - ceiling / 20);
    }
  }

  @Test
  void aOneMillisecondBaseCanWaitZeroOrOne() {
    RetryConfig tiny = new RetryConfig(Duration.ofMillis(1), Duration.ofMillis(1), 3);
    Random random = new Random(7);
    boolean zero = false;
    boolean one = false;
    for (int i = 0; i < 200; i++) {
      long delay = Backoff.delayMillis(tiny, 1, random);
      assertThat(delay).isBetween(0L, 1L);
      zero |= delay == 0;
      one |= delay == 1;
    }
    assertThat(zero && one).isTrue();
  }
}
