package dev.storefront.order.events;

import dev.storefront.order.model.Money;
import dev.storefront.order.model.OrderStateMachine;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;

/**
 * What the order service reads of the payment service's events ({@code payments.events}): {@code
 * PaymentSucceeded {paymentId, accountId, amount}}, {@code PaymentFailed {paymentId, accountId,
 * amount, reason, detail}}. {@code PaymentRefunded} and types this version does not know move no
 * order.
 */
public record PaymentEvent(
    String type, UUID paymentId, String accountId, Money amount, String reason) {

  public static final String TOPIC = "payments.events";
  public static final String PAYMENT_SUCCEEDED = "PaymentSucceeded";
  public static final String PAYMENT_FAILED = "PaymentFailed";

  /**
   * The event in {@code data} of an envelope of {@code type}; empty for a type that moves no order.
   * Fails with IllegalArgumentException on data that does not match its type's contract.
   */
  public static Optional<PaymentEvent> decode(String type, JsonObject data) {
    if (!PAYMENT_SUCCEEDED.equals(type) && !PAYMENT_FAILED.equals(type)) {
      return Optional.empty();
    }
    if (data == null) {
      throw new IllegalArgumentException(type + " has no data");
    }
    UUID paymentId;
    try {
      paymentId = UUID.fromString(String.valueOf(data.getValue("paymentId")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type + ".paymentId is not a UUID", e);
    }
    Object amount = data.getValue("amount");
    return Optional.of(
        new PaymentEvent(
            type,
            paymentId,
            data.getString("accountId"),
            amount instanceof JsonObject money ? Money.fromJson(money) : null,
            PAYMENT_FAILED.equals(type) ? data.getString("reason") : null));
  }

  /** What the event does to the order. */
  public OrderStateMachine.Trigger trigger() {
    return PAYMENT_SUCCEEDED.equals(type)
        ? new OrderStateMachine.PaymentSucceeded(paymentId)
        : new OrderStateMachine.PaymentFailed(paymentId, reason);
  }
}
