package dev.storefront.payment.model;

import java.util.Locale;

/**
 * Where a payment stands. {@code pending}: created, the charge not yet decided. {@code succeeded}
 * and {@code failed}: the processor's decision (or our giving up on it). {@code refunded}: a charge
 * taken for an order that was cancelled went back. {@code voided}: the order was cancelled before
 * any charge was decided; it is never charged.
 */
public enum PaymentStatus {
  PENDING,
  SUCCEEDED,
  FAILED,
  REFUNDED,
  VOIDED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PaymentStatus ofDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
