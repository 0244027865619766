package dev.storefront.order.model;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** One line of an order: a product, its name and price when ordered, and how many. */
public record OrderItem(UUID productId, String name, int quantity, Money unitPrice) {

  public OrderItem {
    if (quantity < 1) {
      throw new IllegalArgumentException("a quantity must be at least 1, got " + quantity);
    }
  }

  public Money lineTotal() {
    return unitPrice.times(quantity);
  }

  /** The API's {@code OrderItem}: {@code productId, name, quantity, unitPrice}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("productId", productId.toString())
        .put("name", name)
        .put("quantity", quantity)
        .put("unitPrice", unitPrice.toJson());
  }

  /** The events' item: {@code productId, quantity, unitPrice}. */
  public JsonObject toEventJson() {
    return new JsonObject()
        .put("productId", productId.toString())
        .put("quantity", quantity)
        .put("unitPrice", unitPrice.toJson());
  }
}
