package dev.storefront.notification.delivery;

/** What one attempt at a delivery came to; senders answer with one and never fail. */
public record Outcome(Kind kind, String detail, long delayMillis, boolean attempted) {

  public enum Kind {
    /** Delivered. */
    SENT,
    /** Failed; tried again after a backoff, unless that was the last attempt. */
    RETRY,
    /** Failed for good. */
    FAILED,
    /** Nothing to send it to. */
    SKIPPED,
    /** Not attempted now (its destination's breaker is open); due again after {@code delay}. */
    POSTPONED
  }

  public static Outcome sent() {
    return new Outcome(Kind.SENT, null, 0, true);
  }

  public static Outcome retry(String error) {
    return new Outcome(Kind.RETRY, error, 0, true);
  }

  /** Failed for good after an attempt (the receiver said so). */
  public static Outcome failed(String error) {
    return new Outcome(Kind.FAILED, error, 0, true);
  }

  /** Failed for good without an attempt (it may not be sent at all). */
  public static Outcome refused(String error) {
    return new Outcome(Kind.FAILED, error, 0, false);
  }

  public static Outcome skipped(String reason) {
    return new Outcome(Kind.SKIPPED, reason, 0, false);
  }

  public static Outcome postponed(long delayMillis, String reason) {
    return new Outcome(Kind.POSTPONED, reason, delayMillis, false);
  }
}
