package dev.storefront.notification.delivery;

import dev.storefront.notification.config.RetryConfig;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after {@code n} failed attempts the next waits a uniformly
 * drawn time in {@code [0, min(max, base·2^(n-1))]}. The jitter spreads the retries of many
 * deliveries that failed together (a receiver that was down) instead of sending them back in one
 * wave when it returns.
 */
public final class Backoff {

  private Backoff() {}

  /** The upper bound of the wait after {@code failedAttempts} (at least 1) failed attempts. */
  public static long ceilingMillis(RetryConfig retry, int failedAttempts) {
    long base = retry.base().toMillis();
    long max = retry.max().toMillis();
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 62);
    // base·2^doublings without overflow: past the point where it would exceed max, max it is.
    if (doublings >= Long.numberOfLeadingZeros(base)) {
      return max;
    }
    return Math.min(max, base << doublings);
  }

  /** The wait after {@code failedAttempts} failed attempts, drawn with {@code random}. */
  public static long delayMillis(RetryConfig retry, int failedAttempts, RandomGenerator random) {
    long ceiling = ceilingMillis(retry, failedAttempts);
    return random.nextLong(ceiling == Long.MAX_VALUE ? ceiling : ceiling + 1);
  }
}
