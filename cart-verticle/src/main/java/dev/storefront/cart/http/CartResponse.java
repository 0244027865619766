package dev.storefront.cart.http;

import dev.storefront.cart.model.Cart;
import dev.storefront.cart.model.CartLine;
import dev.storefront.cart.model.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The cart as the API shows it:
 *
 * <pre>
 * {
 *   "items": [{"productId", "name", "quantity", "unitPrice": Money, "lineTotal": Money}],
 *   "itemCount": pieces in all lines,
 *   "totals": [Money, one per currency, by currency code],
 *   "subtotal": Money (only when the cart has lines, all in one currency),
 *   "pricesVerified": whether every price is the catalog's current one,
 *   "updatedAt": date-time of the last change (absent for a cart never written)
 * }
 * </pre>
 */
final class CartResponse {

  private CartResponse() {}

  static JsonObject json(Cart cart, boolean pricesVerified) {
    JsonArray items = new JsonArray();
    for (CartLine line : cart.lines()) {
      items.add(
          new JsonObject()
              .put("productId", line.productId())
              .put("name", line.name())
              .put("quantity", line.quantity())
              .put("unitPrice", line.unitPrice().toJson())
              .put("lineTotal", line.lineTotal().toJson()));
    }
    Map<String, Money> totals = cart.totals();
    JsonObject json =
        new JsonObject()
            .put("items", items)
            .put("itemCount", cart.itemCount())
            .put("totals", new JsonArray(totals.values().stream().map(Money::toJson).toList()));
    if (totals.size() == 1) {
      json.put("subtotal", totals.values().iterator().next().toJson());
    }
    json.put("pricesVerified", pricesVerified);
    if (cart.updatedAt() != null) {
      json.put("updatedAt", cart.updatedAt().toString());
    }
    return json;
  }
}
