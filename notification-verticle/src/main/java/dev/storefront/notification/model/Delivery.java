package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the delivery log. {@code leaseUntil} is set while a dispatcher holds the row; it is also
 * the claim's token, so that only the holder records an outcome.
 */
public record Delivery(
    UUID id,
    UUID eventId,
    Channel channel,
    String destination,
    String kind,
    String accountId,
    UUID orderId,
    JsonObject payload,
    DeliveryStatus status,
    int attempts,
    OffsetDateTime leaseUntil,
    String lastError,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime sentAt) {

  /** The entry of a webhook's delivery log, as the API shows it. */
  public JsonObject toLogJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("eventId", eventId.toString())
        .put("kind", kind)
        .put("status", status.dbValue())
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("createdAt", createdAt == null ? null : createdAt.toInstant().toString())
        .put("updatedAt", updatedAt == null ? null : updatedAt.toInstant().toString())
        .put("sentAt", sentAt == null ? null : sentAt.toInstant().toString());
  }
}
