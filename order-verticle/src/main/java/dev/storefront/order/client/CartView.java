package dev.storefront.order.client;

import dev.storefront.order.model.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What checkout needs of the caller's cart ({@code GET /api/cart}): its lines with the catalog's
 * names and prices, whether those prices are the catalog's current ones, and when it last changed.
 */
public record CartView(List<Line> lines, boolean pricesVerified, Instant updatedAt) {

  /** One cart line. */
  public record Line(UUID productId, String name, int quantity, Money unitPrice) {}

  public CartView {
    lines = List.copyOf(lines);
  }

  /** From the cart's representation; fails with IllegalArgumentException on anything else. */
  public static CartView fromJson(JsonObject json) {
    if (json == null || !(json.getValue("items") instanceof JsonArray items)) {
      throw new IllegalArgumentException("the cart has no items array");
    }
    List<Line> lines = new ArrayList<>();
    for (Object entry : items) {
      if (!(entry instanceof JsonObject item)) {
        throw new IllegalArgumentException("a cart line is not an object");
      }
      Object quantity = item.getValue("quantity");
      if (!(quantity instanceof Integer n) || n < 1) {
        throw new IllegalArgumentException("a cart line has no positive quantity");
      }
      lines.add(
          new Line(
              UUID.fromString(String.valueOf(item.getValue("productId"))),
              item.getString("name", ""),
              n,
              Money.fromJson(item.getJsonObject("unitPrice"))));
    }
    Object verified = json.getValue("pricesVerified");
    if (!(verified instanceof Boolean)) {
      throw new IllegalArgumentException("the cart does not say whether its prices are verified");
    }
    Instant updatedAt = null;
    String updated = json.getString("updatedAt");
    if (updated != null) {
      try {
        updatedAt = Instant.parse(updated);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("the cart's updatedAt is not an instant", e);
      }
    }
    return new CartView(lines, (Boolean) verified, updatedAt);
  }
}
