package dev.storefront.common.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The JSON envelope of every event on the project's topics:
 *
 * <pre>
 * {"eventId":"&lt;uuid&gt;","type":"OrderCreated","version":1,
 *  "occurredAt":"2026-11-22T02:40:00.123Z","orderId":"&lt;uuid&gt;","data":{...}}
 * </pre>
 *
 * The envelope is shared; what goes in {@code data} belongs to the publishing service, and each
 * consumer reads it into types of its own.
 */
public record EventEnvelope(
    UUID eventId, String type, int version, Instant occurredAt, UUID orderId, JsonObject data) {

  public EventEnvelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(data, "data");
    if (type.isBlank()) {
      throw new IllegalArgumentException("type must not be blank");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
  }

  /** A new event of version 1 with a random id, occurring now (to the millisecond). */
  public static EventEnvelope create(String type, UUID orderId, JsonObject data) {
    return new EventEnvelope(
        UUID.randomUUID(), type, 1, Instant.now().truncatedTo(ChronoUnit.MILLIS), orderId, data);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId.toString())
        .put("type", type)
        .put("version", version)
        .put("occurredAt", occurredAt.toString())
        .put("orderId", orderId.toString())
        .put("data", data.copy());
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /**
   * Reads an envelope from UTF-8 JSON.
   *
   * @throws MalformedEventException when the bytes are not a JSON object or not an envelope
   */
  public static EventEnvelope fromBuffer(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw new MalformedEventException("empty event");
    }
    Object parsed;
    try {
      parsed = buffer.toJsonValue();
    } catch (DecodeException e) {
      throw new MalformedEventException("event is not JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof JsonObject json)) {
      throw new MalformedEventException("event is not a JSON object");
    }
    return fromJson(json);
  }

  /**
   * Reads an envelope from its JSON object.
   *
   * @throws MalformedEventException when a field is missing or of the wrong kind
   */
  public static EventEnvelope fromJson(JsonObject json) {
    if (json == null) {
      throw new MalformedEventException("event is null");
    }
    UUID eventId = uuid(json, "eventId");
    String type = text(json, "type");
    int version = version(json);
    Instant occurredAt = instant(json, "occurredAt");
    UUID orderId = uuid(json, "orderId");
    Object data = json.getValue("data");
    if (!(data instanceof JsonObject object)) {
      throw new MalformedEventException("data must be a JSON object");
    }
    return new EventEnvelope(eventId, type, version, occurredAt, orderId, object);
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new MalformedEventException(field + " must be a non-empty string");
    }
    return text;
  }

  private static UUID uuid(JsonObject json, String field) {
    String text = text(json, field);
    try {
      UUID id = UUID.fromString(text);
      // UUID.fromString accepts shortened forms such as "1-2-3-4-5"; the contract does not.
      if (!id.toString().equalsIgnoreCase(text)) {
        throw new IllegalArgumentException(text);
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(field + " must be a UUID, got '" + text + "'", e);
    }
  }

  private static Instant instant(JsonObject json, String field) {
    String text = text(json, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException(field + " must be an ISO-8601 instant, got '" + text + "'");
    }
  }

  private static int version(JsonObject json) {
    Object value = json.getValue("version");
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new MalformedEventException("version must be an integer");
    }
    long version = ((Number) value).longValue();
    if (version < 1 || version > Integer.MAX_VALUE) {
      throw new MalformedEventException("version must be a positive integer, got " + version);
    }
    return (int) version;
  }
}
