package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A notification as its account reads it, in the list and in the live stream. {@code id} is its
 * number in the account's feed (1, 2, 3…), which is also the stream's event id.
 */
public record Notification(
    long id,
    NotificationKind kind,
    String title,
    String body,
    UUID orderId,
    JsonObject data,
    boolean read,
    Instant createdAt) {

  public Notification {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(createdAt, "createdAt");
    data = data == null ? new JsonObject() : data;
  }

  /**
   * {@code {"id", "kind", "title", "body", "orderId", "data", "read", "createdAt"}}; {@code
   * orderId} is null for a notification about no order, {@code createdAt} is ISO-8601 in UTC.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("kind", kind.wireName())
        .put("title", title)
        .put("body", body)
        .put("orderId", orderId == null ? null : orderId.toString())
        .put("data", data.copy())
        .put("read", read)
        .put("createdAt", createdAt.toString());
  }
}
