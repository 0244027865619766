package dev.storefront.payment.events;

import dev.storefront.payment.model.Money;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The part of {@code OrderCreated} (orders.events) the payment service needs: who pays what, with
 * which card, ordered when. Version 2 names the card by its payment token ({@code tok_...}), issued
 * by this service. Version 1 carried the card number itself in the same field; such an event may
 * still wait on the topic from before the upgrade (its card is charged once and never stored), and
 * the order service's migration replaced the number in its outbox by {@value #REMOVED}, which can
 * only be declined. The items and the cart's timestamp are the order's business, not read here.
 */
public record OrderCreated(
    UUID orderId, String accountId, Money total, String paymentToken, int version, Instant at) {

  public static final String TYPE = "OrderCreated";
  public static final int CURRENT_VERSION = 2;

  /** What the order service's migration put where a version 1 event held a card number. */
  public static final String REMOVED = "removed";

  private static final Pattern CARD_NUMBER = Pattern.compile("[0-9]{12,19}");

  /**
   * From the envelope's order id, version and time and its {@code data}; throws
   * IllegalArgumentException if malformed.
   */
  public static OrderCreated from(UUID orderId, int version, Instant at, JsonObject data) {
    if (version != 1 && version != CURRENT_VERSION) {
      throw new IllegalArgumentException(
          "cannot read " + TYPE + " version " + version + "; only versions 1 and 2");
    }
    return new OrderCreated(
        orderId,
        OrderEvents.text(data, "accountId"),
        Money.fromJson(OrderEvents.object(data, "total")),
        OrderEvents.text(data, "paymentToken"),
        version,
        at);
  }

  /** A version 1 event that still carries a card number (not yet replaced by the migration). */
  public boolean carriesCardNumber() {
    return version == 1 && CARD_NUMBER.matcher(paymentToken).matches();
  }

  @Override
  public String toString() {
    // The token, or in version 1 the card, stays out of logs.
    return "OrderCreated[" + orderId + ", " + accountId + ", " + total + ", v" + version + "]";
  }
}
