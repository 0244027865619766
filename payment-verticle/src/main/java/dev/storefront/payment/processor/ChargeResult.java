package dev.storefront.payment.processor;

import java.util.Objects;

/** The processor's decision on a charge, and its reference for it. */
public record ChargeResult(Outcome outcome, String reference, String detail) {

  public enum Outcome {
    APPROVED,
    DECLINED,
    INSUFFICIENT_FUNDS
  }

  public ChargeResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean approved() {
    return outcome == Outcome.APPROVED;
  }
}
