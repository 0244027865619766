package dev.storefront.notification;

import dev.storefront.common.events.EventEnvelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Order and payment events as their publishers write them (docs/asyncapi.yaml): OrderCreated in
 * version 2, the others in version 1.
 */
final class Events {

  private Events() {}

  static String topicOf(JsonObject event) {
    return event.getString("type").startsWith("Payment") ? "payments.events" : "orders.events";
  }

  static JsonObject orderCreated(UUID order, String account, String email) {
    JsonObject data =
        new JsonObject()
            .put("accountId", account)
            .put("items", items())
            .put("total", money(4_998))
            .put("paymentToken", "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa")
            .putNull("cartUpdatedAt");
    if (email != null) {
      data.put("contactEmail", email);
    }
    EventEnvelope created = EventEnvelope.create("OrderCreated", order, data);
    return new EventEnvelope(
            created.eventId(), created.type(), 2, created.occurredAt(), order, data)
        .toJson();
  }

  static JsonObject orderConfirmed(UUID order, String account) {
    return EventEnvelope.create(
            "OrderConfirmed",
            order,
            new JsonObject()
                .put("accountId", account)
                .put("items", items())
                .put("total", money(4_998))
                .put("paymentId", UUID.randomUUID().toString())
                .putNull("cartUpdatedAt"))
        .toJson();
  }

  static JsonObject orderCancelled(UUID order, String account, String reason) {
    return EventEnvelope.create(
            "OrderCancelled",
            order,
            new JsonObject()
                .put("accountId", account)
                .put("items", items())
                .put("total", money(4_998))
                .put("reason", reason)
                .putNull("paymentId"))
        .toJson();
  }

  static JsonObject paymentFailed(UUID order, String account, String reason) {
    return EventEnvelope.create(
            "PaymentFailed",
            order,
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", account)
                .put("amount", money(4_998))
                .put("reason", reason)
                .put("detail", "card " + reason))
        .toJson();
  }

  static JsonObject paymentSucceeded(UUID order, String account) {
    return EventEnvelope.create(
            "PaymentSucceeded",
            order,
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", account)
                .put("amount", money(4_998)))
        .toJson();
  }

  static JsonObject paymentRefunded(UUID order, String account) {
    return EventEnvelope.create(
            "PaymentRefunded",
            order,
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", account)
                .put("amount", money(4_998))
                .put("reason", "order_cancelled"))
        .toJson();
  }

  static String eventId(JsonObject event) {
    return event.getString("eventId");
  }

  static JsonObject money(long minor) {
    return new JsonObject().put("amountMinor", minor).put("currency", "EUR");
  }

  private static JsonArray items() {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("productId", UUID.randomUUID().toString())
                .put("quantity", 2)
                .put("unitPrice", money(2_499)));
  }
}
