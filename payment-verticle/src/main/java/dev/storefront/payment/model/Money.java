package dev.storefront.payment.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** An amount in the currency's minor unit (cents), as every Storefront event carries money. */
public record Money(long amountMinor, String currency) {

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code, got " + currency);
    }
  }

  /** {@code {"amountMinor": 1999, "currency": "EUR"}}; anything else is refused. */
  public static Money fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("money is missing");
    }
    Object amount = json.getValue("amountMinor");
    if (!(amount instanceof Number number) || number.longValue() != number.doubleValue()) {
      throw new IllegalArgumentException("amountMinor must be a whole number, got " + amount);
    }
    Object currency = json.getValue("currency");
    if (!(currency instanceof String code)) {
      throw new IllegalArgumentException("currency must be a string, got " + currency);
    }
    return new Money(number.longValue(), code);
  }

  public JsonObject toJson() {
    return new JsonObject().put("amountMinor", amountMinor).put("currency", currency);
  }

  @Override
  public String toString() {
    return amountMinor + " " + currency;
  }
}
