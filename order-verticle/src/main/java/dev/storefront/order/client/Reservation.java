package dev.storefront.order.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The catalog's answer to a reservation: reserved, or refused and why. */
public sealed interface Reservation {

  /** Units of one product to hold for the order. */
  record Item(UUID productId, int quantity) {

    JsonObject toJson() {
      return new JsonObject().put("productId", productId.toString()).put("quantity", quantity);
    }
  }

  /** Every unit is held for the order (201, or 200 for a repeated request). */
  record Reserved() implements Reservation {}

  /** Not enough stock of some products; nothing was held. {@code shortages} as the catalog said. */
  record InsufficientStock(String detail, JsonArray shortages) implements Reservation {}

  /** Some products do not exist (any more); nothing was held. */
  record UnknownProducts(String detail, JsonArray productIds) implements Reservation {}
}
