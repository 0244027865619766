package dev.storefront.notification.events;

import dev.storefront.notification.model.Money;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Typed reads of an event's {@code data}; each throws IllegalArgumentException when malformed. */
final class EventData {

  private EventData() {}

  static String text(JsonObject data, String field) {
    Object value = data.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string, got " + value);
    }
    return text;
  }

  /** A string that may be absent or null (then null); anything else present is malformed. */
  static String optionalText(JsonObject data, String field) {
    Object value = data.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(field + " must be a string or null, got " + value);
    }
    return text;
  }

  static Money money(JsonObject data, String field) {
    Object value = data.getValue(field);
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(field + " must be an object, got " + value);
    }
    try {
      return Money.fromJson(object);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /** A UUID that may be absent or null (then null). */
  static UUID optionalUuid(JsonObject data, String field) {
    String text = optionalText(data, field);
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " must be a UUID, got '" + text + "'", e);
    }
  }
}
