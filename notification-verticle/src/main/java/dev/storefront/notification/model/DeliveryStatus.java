package dev.storefront.notification.model;

import java.util.Locale;

/**
 * Where a delivery stands: {@code pending} (due at its next attempt), {@code sending} (claimed by a
 * dispatcher, under a lease), then one of {@code sent}, {@code failed} (given up, with the last
 * error) or {@code skipped} (nothing to send it to).
 */
public enum DeliveryStatus {
  PENDING,
  SENDING,
  SENT,
  FAILED,
  SKIPPED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
