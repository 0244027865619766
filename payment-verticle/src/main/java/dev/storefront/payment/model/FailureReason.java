package dev.storefront.payment.model;

import java.util.Locale;

/** Why a payment failed, as {@code PaymentFailed} names it. */
public enum FailureReason {
  DECLINED,
  INSUFFICIENT_FUNDS,
  PROCESSOR_ERROR;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FailureReason ofCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
