package dev.storefront.cart.client;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** What the cart needs of a catalog product: its name and current price. */
public record CatalogProduct(String id, String name, long amountMinor, String currency) {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /**
   * From the catalog's product representation ({@code id, name, price: {amountMinor, currency}},
   * more fields ignored); fails on a body the cart could not price a line from.
   */
  static CatalogProduct fromJson(JsonObject json) {
    JsonObject price = json.getJsonObject("price");
    if (price == null) {
      throw new IllegalArgumentException("the product has no price");
    }
    Object amount = price.getValue("amountMinor");
    String currency = price.getString("currency");
    if (!(amount instanceof Integer || amount instanceof Long)
        || ((Number) amount).longValue() < 0) {
      throw new IllegalArgumentException("the product's amountMinor is not a whole amount");
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("the product's currency is not an ISO 4217 code");
    }
    String id = json.getString("id");
    if (id == null) {
      throw new IllegalArgumentException("the product has no id");
    }
    return new CatalogProduct(
        id, json.getString("name", ""), ((Number) amount).longValue(), currency);
  }
}
