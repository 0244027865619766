package dev.storefront.payment.events;

import dev.storefront.payment.model.Money;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The part of {@code OrderCancelled} (orders.events, version 1) the payment service reads. */
public record OrderCancelled(UUID orderId, String accountId, Money total, String reason) {

  public static final String TYPE = "OrderCancelled";

  /**
   * From the envelope's order id and {@code data}; throws IllegalArgumentException if malformed.
   */
  public static OrderCancelled from(UUID orderId, JsonObject data) {
    return new OrderCancelled(
        orderId,
        OrderEvents.text(data, "accountId"),
        Money.fromJson(OrderEvents.object(data, "total")),
        OrderEvents.text(data, "reason"));
  }
}
