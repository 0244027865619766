package dev.storefront.cart.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One product in a cart: how many, the name and unit price the catalog gave when they were last
 * read ({@code pricedAt}), and when the shopper last set the line ({@code changedAt}), which is
 * what decides between two versions of the line after a network partition.
 */
public record CartLine(
    String productId,
    String name,
    Money unitPrice,
    int quantity,
    Instant pricedAt,
    Instant changedAt) {

  public CartLine {
    if (productId == null || productId.isEmpty()) {
      throw new IllegalArgumentException("a line needs a product id");
    }
    if (unitPrice == null || pricedAt == null) {
      throw new IllegalArgumentException("a line needs a price and when it was read");
    }
    if (quantity < Cart.MIN_QUANTITY || quantity > Cart.MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "quantity must be between "
              + Cart.MIN_QUANTITY
              + " and "
              + Cart.MAX_QUANTITY
              + ", got "
              + quantity);
    }
    name = name == null ? "" : name;
    changedAt = changedAt == null ? pricedAt : changedAt;
  }

  /** A line set when it was priced. */
  public CartLine(String productId, String name, Money unitPrice, int quantity, Instant pricedAt) {
    this(productId, name, unitPrice, quantity, pricedAt, pricedAt);
  }

  public Money lineTotal() {
    return unitPrice.times(quantity);
  }

  /** The same quantity at a newer name and price; the shopper's change keeps its time. */
  public CartLine repriced(String newName, Money newPrice, Instant at) {
    return new CartLine(productId, newName, newPrice, quantity, at, changedAt);
  }

  JsonObject toStorage() {
    return new JsonObject()
        .put("productId", productId)
        .put("name", name)
        .put("quantity", quantity)
        .put("unitPrice", unitPrice.toJson())
        .put("pricedAt", pricedAt.toString())
        .put("changedAt", changedAt.toString());
  }

  /** The stored line; one stored without its own change time changed at {@code cartUpdatedAt}. */
  static CartLine fromStorage(JsonObject json, Instant cartUpdatedAt) {
    String changedAt = json.getString("changedAt");
    return new CartLine(
        json.getString("productId"),
        json.getString("name"),
        Money.fromJson(json.getJsonObject("unitPrice")),
        json.getInteger("quantity"),
        Instant.parse(json.getString("pricedAt")),
        changedAt != null ? Instant.parse(changedAt) : cartUpdatedAt);
  }
}
