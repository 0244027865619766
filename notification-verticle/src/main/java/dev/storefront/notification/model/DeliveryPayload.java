package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * What a delivery sends, stored in its row: a webhook's body as it goes out, and what an e-mail is
 * rendered from.
 *
 * <pre>
 * {"id": "&lt;delivery id&gt;", "type": "order.confirmed", "occurredAt": "2026-11-22T02:40:00.123Z",
 *  "accountId": "…", "orderId": "&lt;uuid&gt;"|null,
 *  "notification": {"title": "…", "body": "…", "data": {…}}}
 * </pre>
 */
public final class DeliveryPayload {

  private DeliveryPayload() {}

  public static JsonObject of(UUID deliveryId, NewNotification notification, Instant occurredAt) {
    return new JsonObject()
        .put("id", deliveryId.toString())
        .put("type", notification.kind().wireName())
        .put("occurredAt", occurredAt.toString())
        .put("accountId", notification.accountId())
        .put("orderId", notification.orderId() == null ? null : notification.orderId().toString())
        .put(
            "notification",
            new JsonObject()
                .put("title", notification.title())
                .put("body", notification.body())
                .put("data", notification.data().copy()));
  }
}
