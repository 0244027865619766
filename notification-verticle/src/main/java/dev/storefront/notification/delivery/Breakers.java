package dev.storefront.notification.delivery;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.concurrent.ThreadLocalRandom;

/** How long a delivery its breaker turned away waits before it is due again. */
final class Breakers {

  /** While half-open the one trial is under way; its outcome is known soon. */
  private static final long HALF_OPEN_WAIT_MS = 1_000;

  private static final long SPREAD_MS = 250;

  private Breakers() {}

  /**
   * Until the breaker lets a trial through (it opened at {@code openedAtMillis} and stays open for
   * {@code resetMillis}), plus a little spread so that the waiting deliveries do not all come due
   * in the same poll.
   */
  static long remaining(CircuitBreaker breaker, long openedAtMillis, long resetMillis) {
    long spread = ThreadLocalRandom.current().nextLong(SPREAD_MS + 1);
    if (breaker.state() == CircuitBreakerState.HALF_OPEN) {
      return Math.min(resetMillis, HALF_OPEN_WAIT_MS) + spread;
    }
    long left = openedAtMillis + resetMillis - System.currentTimeMillis();
    return Math.max(0, Math.min(resetMillis, left)) + spread;
  }
}
