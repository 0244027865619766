package dev.storefront.catalog.model;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A product as an administrator writes it (created or replaced whole). The gateway validates the
 * same rules against the OpenAPI document; the catalog checks them again, since it also answers
 * callers that did not come through the gateway.
 */
public record ProductInput(
    String sku,
    String name,
    String description,
    String category,
    long priceMinor,
    String currency,
    int stock) {

  static final int MAX_SKU = 64;
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final int MAX_CATEGORY = 100;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** The input in {@code json}, or a 400 problem listing every rule it breaks. */
  public static ProductInput from(JsonObject json) {
    List<String> errors = new ArrayList<>();
    String sku = text(json, "sku", MAX_SKU, true, errors);
    String name = text(json, "name", MAX_NAME, true, errors);
    String description = text(json, "description", MAX_DESCRIPTION, false, errors);
    String category = text(json, "category", MAX_CATEGORY, true, errors);
    long amount = 0;
    String currency = null;
    Object price = json.getValue("price");
    if (!(price instanceof JsonObject money)) {
      errors.add("price must be an object with amountMinor and currency");
    } else {
      Long value = integer(money.getValue("amountMinor"));
      if (value == null || value < 0) {
        errors.add("price.amountMinor must be an integer of at least 0");
      } else {
        amount = value;
      }
      Object code = money.getValue("currency");
      if (!(code instanceof String s) || !CURRENCY.matcher(s).matches()) {
        errors.add("price.currency must be three capital letters (ISO 4217)");
      } else {
        currency = s;
      }
    }
    Long stockValue = integer(json.getValue("stock"));
    int stock = 0;
    if (stockValue == null || stockValue < 0 || stockValue > Integer.MAX_VALUE) {
      errors.add("stock must be an integer between 0 and " + Integer.MAX_VALUE);
    } else {
      stock = stockValue.intValue();
    }
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return new ProductInput(
        sku, name, description == null ? "" : description, category, amount, currency, stock);
  }

  static ProblemException invalid(List<String> errors) {
    return new ProblemException(
        400,
        "about:blank",
        Problems.reason(400),
        String.join("; ", errors),
        new JsonObject().put("errors", new JsonArray(errors)));
  }

  private static String text(
      JsonObject json, String field, int max, boolean required, List<String> errors) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        errors.add(field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(field + " must be a string");
      return null;
    }
    if (required && s.isBlank()) {
      errors.add(field + " must not be blank");
    } else if (s.length() > max) {
      errors.add(field + " must be at most " + max + " characters");
    }
    return s;
  }

  /** A JSON integer as a long; null for anything else (strings, fractions, out of range). */
  static Long integer(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }
}
