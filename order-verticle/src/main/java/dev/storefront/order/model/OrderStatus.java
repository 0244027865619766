package dev.storefront.order.model;

import java.util.Locale;

/** Where an order is in checkout. Confirmed and cancelled are final. */
public enum OrderStatus {
  PENDING,
  CONFIRMED,
  CANCELLED;

  /** The lower-case name the API, the events and the database use. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this != PENDING;
  }

  public static OrderStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
