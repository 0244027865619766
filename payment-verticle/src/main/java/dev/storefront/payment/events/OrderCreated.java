package dev.storefront.payment.events;

import dev.storefront.payment.model.Money;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The part of {@code OrderCreated} (orders.events, version 1) the payment service needs: who pays
 * what with which card. The items and the cart's timestamp are the order's business, not read here.
 */
public record OrderCreated(UUID orderId, String accountId, Money total, String paymentToken) {

  public static final String TYPE = "OrderCreated";

  /**
   * From the envelope's order id and {@code data}; throws IllegalArgumentException if malformed.
   */
  public static OrderCreated from(UUID orderId, JsonObject data) {
    return new OrderCreated(
        orderId,
        OrderEvents.text(data, "accountId"),
        Money.fromJson(OrderEvents.object(data, "total")),
        OrderEvents.text(data, "paymentToken"));
  }

  @Override
  public String toString() {
    return "OrderCreated[" + orderId + ", " + accountId + ", " + total + "]";
  }
}
