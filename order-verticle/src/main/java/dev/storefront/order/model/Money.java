package dev.storefront.order.model;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** An amount in the minor units (cents) of an ISO 4217 currency. */
public record Money(long amountMinor, String currency) {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public Money {
    if (amountMinor < 0) {
      throw new IllegalArgumentException("an amount must not be negative, got " + amountMinor);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("not an ISO 4217 currency code: " + currency);
    }
  }

  public Money times(int quantity) {
    return new Money(Math.multiplyExact(amountMinor, quantity), currency);
  }

  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
  }

  public JsonObject toJson() {
    return new JsonObject().put("amountMinor", amountMinor).put("currency", currency);
  }

  /** From {@code {"amountMinor": n, "currency": "EUR"}}; fails on anything else. */
  public static Money fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("no amount");
    }
    Object amount = json.getValue("amountMinor");
    if (!(amount instanceof Integer || amount instanceof Long)) {
      throw new IllegalArgumentException("amountMinor must be an integer, got " + amount);
    }
    return new Money(((Number) amount).longValue(), json.getString("currency"));
  }
}
