package dev.storefront.payment.events;

import io.vertx.core.json.JsonObject;

/** What the payment service reads from {@code orders.events}, published by the order service. */
public final class OrderEvents {

  public static final String TOPIC = "orders.events";

  private OrderEvents() {}

  static String text(JsonObject data, String field) {
    Object value = data == null ? null : data.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string, got " + value);
    }
    return text;
  }

  static JsonObject object(JsonObject data, String field) {
    Object value = data == null ? null : data.getValue(field);
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(field + " must be an object, got " + value);
    }
    return object;
  }
}
