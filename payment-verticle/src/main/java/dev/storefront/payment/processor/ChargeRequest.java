package dev.storefront.payment.processor;

import dev.storefront.payment.model.Money;
import java.util.Objects;

/**
 * A charge of {@code amount} to the card numbered {@code cardNumber}, opened from its payment token
 * for this request only. {@code idempotencyKey} identifies the charge at the processor: the same
 * key again answers the first decision.
 *
 * <p>Without a card ({@link #resume}) the request only asks for the charge the processor already
 * holds under the key; when it holds none, it fails with {@link UnknownChargeException}. Recovery
 * resumes payments this way: it works from the payments table, which names no card.
 */
public record ChargeRequest(String idempotencyKey, Money amount, String cardNumber) {

  public ChargeRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(amount, "amount");
  }

  /** Asks for the charge already made (or under way) under {@code idempotencyKey}. */
  public static ChargeRequest resume(String idempotencyKey, Money amount) {
    return new ChargeRequest(idempotencyKey, amount, null);
  }

  @Override
  public String toString() {
    // The card number stays out of logs.
    return "ChargeRequest[" + idempotencyKey + ", " + amount + "]";
  }
}
