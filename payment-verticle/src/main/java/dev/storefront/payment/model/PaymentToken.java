package dev.storefront.payment.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A payment token as its owner may see it: the opaque id that stands for a card everywhere outside
 * the payment service, the card's brand, last four digits and expiry, and when the token itself
 * expires.
 */
public record PaymentToken(
    String id,
    String accountId,
    String brand,
    String last4,
    int expMonth,
    int expYear,
    Instant createdAt,
    Instant expiresAt) {

  /** The prefix of every token id, so that a token is told from anything else at a glance. */
  public static final String PREFIX = "tok_";

  public boolean expiredAt(Instant when) {
    return !when.isBefore(expiresAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("token", id)
        .put("brand", brand)
        .put("last4", last4)
        .put("expMonth", expMonth)
        .put("expYear", expYear)
        .put("createdAt", createdAt.toString())
        .put("expiresAt", expiresAt.toString());
  }
}
