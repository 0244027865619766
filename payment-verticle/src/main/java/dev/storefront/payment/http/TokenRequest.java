package dev.storefront.payment.http;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import dev.storefront.payment.model.Card;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/payments/tokens}: {@code {"number", "expMonth", "expYear", "cvc"}}.
 * The number may hold spaces or dashes between its digits as people type them. A body that is not
 * of this shape is a 400; a well-formed card that cannot be charged (wrong check digit, expired) a
 * 422. No answer repeats the number, and the card verification code is checked and dropped: it is
 * never stored.
 */
public final class TokenRequest {

  public static final String INVALID_CARD = Problems.type("invalid-card-number");
  public static final String CARD_EXPIRED = Problems.type("card-expired");

  private static final Pattern NUMBER = Pattern.compile("[0-9]{12,19}");
  private static final Pattern CVC = Pattern.compile("[0-9]{3,4}");
  private static final int LATEST_YEAR_AHEAD = 20;

  private TokenRequest() {}

  /** The card in {@code body}, for a request made in {@code month}; else a problem. */
  public static Card parse(Buffer body, YearMonth month) {
    if (body == null || body.length() == 0) {
      throw Problems.of(
          400,
          "The request needs a JSON body such as {\"number\": \"<card number>\", \"expMonth\":"
              + " 12, \"expYear\": 2030, \"cvc\": \"123\"}");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problems.of(400, "The request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw Problems.of(400, "The request body must be a JSON object");
    }
    if (!(json.getValue("number") instanceof String raw)) {
      throw Problems.of(400, "number is required: the card number as a string of digits");
    }
    String number = raw.replace(" ", "").replace("-", "");
    if (!NUMBER.matcher(number).matches()) {
      throw Problems.of(
          400, "number must be 12 to 19 digits (spaces or dashes between them allowed)");
    }
    int expMonth = whole(json, "expMonth", 1, 12);
    int expYear = whole(json, "expYear", 2000, 2099);
    if (!(json.getValue("cvc") instanceof String cvc) || !CVC.matcher(cvc).matches()) {
      throw Problems.of(400, "cvc is required: the card's 3 or 4 digit security code, as a string");
    }
    if (!Card.luhnValid(number)) {
      throw new ProblemException(
          422,
          INVALID_CARD,
          Problems.reason(422),
          "The card number is not valid: its check digit is wrong; check the number");
    }
    Card card = new Card(number, expMonth, expYear);
    if (card.expiredIn(month)) {
      throw new ProblemException(
          422,
          CARD_EXPIRED,
          Problems.reason(422),
          "The card expired at the end of " + YearMonth.of(expYear, expMonth));
    }
    if (YearMonth.of(expYear, expMonth).isAfter(month.plusYears(LATEST_YEAR_AHEAD))) {
      throw new ProblemException(
          422,
          CARD_EXPIRED,
          Problems.reason(422),
          "The expiry " + YearMonth.of(expYear, expMonth) + " is too far ahead for a card");
    }
    return card;
  }

  private static int whole(JsonObject json, String field, int min, int max) {
    Object value = json.getValue(field);
    if (value instanceof Number n && n.doubleValue() == n.intValue()) {
      int v = n.intValue();
      if (v >= min && v <= max) {
        return v;
      }
    }
    throw Problems.of(400, field + " is required: a whole number from " + min + " to " + max);
  }
}
