package dev.storefront.gateway.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps retries at a share of the traffic, so that when a service is struggling the gateway's
 * retries cannot multiply its load (a retry storm). Every request deposits {@code ratio} of a
 * retry; a retry withdraws one whole; a floor of {@code minPerSecond} retries a second is always
 * there for quiet periods. Retries that need nothing sent (a refused connection, an open breaker)
 * are not drawn from the budget: they cost the struggling instance nothing.
 */
public final class RetryBudget {

  private static final long ONE = 1_000;
  private static final long MAX_SAVED = 100;

  private final long depositPerRequest;
  private final long floorPerSecond;
  private final long cap;
  private final AtomicLong balance;

  public RetryBudget(double ratio, int minPerSecond) {
    this.depositPerRequest = Math.round(ratio * ONE);
    this.floorPerSecond = (long) minPerSecond * ONE;
    // Savings are bounded: a long calm must not fund a storm.
    this.cap = Math.max(floorPerSecond * 10, MAX_SAVED * ONE);
    this.balance = new AtomicLong(floorPerSecond);
  }

  /** A request arrived. */
  public void deposit() {
    balance.getAndUpdate(b -> Math.min(cap, b + depositPerRequest));
  }

  /** Called once a second: the floor. */
  public void refill() {
    balance.getAndUpdate(b -> Math.min(cap, b + floorPerSecond));
  }

  /** Whether a retry may go now; takes it from the budget if so. */
  public boolean tryWithdraw() {
    long before = balance.getAndUpdate(b -> b >= ONE ? b - ONE : b);
    return before >= ONE;
  }
}
