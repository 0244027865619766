package dev.storefront.order.model;

import java.util.Locale;

/** Why an order was cancelled, as {@code OrderCancelled} and the API name it. */
public enum CancelReason {
  /** The card was declined. */
  PAYMENT_DECLINED,
  /** The card had too little money on it. */
  INSUFFICIENT_FUNDS,
  /** The processor failed, even after the payment service's retries. */
  PAYMENT_ERROR,
  /** No payment outcome arrived before the order's payment deadline. */
  PAYMENT_TIMEOUT;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CancelReason of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * The reason for a {@code PaymentFailed} reason: declined, insufficient_funds, processor_error. A
   * reason this version does not know counts as a processor error: the payment failed either way.
   */
  public static CancelReason ofPaymentFailure(String paymentReason) {
    if (paymentReason == null) {
      return PAYMENT_ERROR;
    }
    return switch (paymentReason) {
      case "declined" -> PAYMENT_DECLINED;
      case "insufficient_funds" -> INSUFFICIENT_FUNDS;
      default -> PAYMENT_ERROR;
    };
  }
}
