package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Currency;

/** An amount as the events carry it: minor units of a currency. */
public record Money(long amountMinor, String currency) {

  /** From {@code {"amountMinor": 4998, "currency": "EUR"}}; IllegalArgumentException if not. */
  public static Money fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("an amount is missing");
    }
    Object amount = json.getValue("amountMinor");
    Object currency = json.getValue("currency");
    if (!(amount instanceof Integer || amount instanceof Long)
        || ((Number) amount).longValue() < 0) {
      throw new IllegalArgumentException("amountMinor must be a non-negative integer");
    }
    if (!(currency instanceof String code) || !code.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be a three-letter code");
    }
    return new Money(((Number) amount).longValue(), code);
  }

  public JsonObject toJson() {
    return new JsonObject().put("amountMinor", amountMinor).put("currency", currency);
  }

  /** {@code 49.98 EUR}: the currency's usual decimals (two for a code Java does not know). */
  public String format() {
    int digits = 2;
    try {
      int known = Currency.getInstance(currency).getDefaultFractionDigits();
      digits = known < 0 ? 0 : known;
    } catch (IllegalArgumentException e) {
      // An unknown code still reads best with two decimals.
    }
    return BigDecimal.valueOf(amountMinor, digits).toPlainString() + " " + currency;
  }
}
