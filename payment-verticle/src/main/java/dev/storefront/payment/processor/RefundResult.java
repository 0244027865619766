package dev.storefront.payment.processor;

import java.util.Objects;

/** What reversing a charge did. */
public record RefundResult(Outcome outcome, String detail) {

  public enum Outcome {
    /** The charge had been captured; the money went back. */
    REFUNDED,
    /** The charge was still in progress; it will not capture. */
    VOIDED,
    /** Nothing was taken under that key (never charged, or not approved). */
    NOT_CHARGED
  }

  public RefundResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }
}
