package dev.storefront.payment.events;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.payment.model.Payment;
import io.vertx.core.json.JsonObject;

/**
 * What the payment service publishes on {@code payments.events}, keyed by order id (version 1):
 *
 * <ul>
 *   <li>{@code PaymentSucceeded} {@code {paymentId, accountId, amount}}
 *   <li>{@code PaymentFailed} {@code {paymentId, accountId, amount, reason, detail}}, reason one of
 *       {@code declined}, {@code insufficient_funds}, {@code processor_error}
 *   <li>{@code PaymentRefunded} {@code {paymentId, accountId, amount, reason: "order_cancelled"}}:
 *       a charge taken for an order that was cancelled went back
 * </ul>
 */
public final class PaymentEvents {

  public static final String TOPIC = "payments.events";
  public static final String SUCCEEDED = "PaymentSucceeded";
  public static final String FAILED = "PaymentFailed";
  public static final String REFUNDED = "PaymentRefunded";
  public static final String REFUND_REASON = "order_cancelled";

  private PaymentEvents() {}

  /** The event for a payment that just reached {@code succeeded}, {@code failed} or refunded. */
  public static EventEnvelope of(Payment payment) {
    JsonObject data =
        new JsonObject()
            .put("paymentId", payment.id().toString())
            .put("accountId", payment.accountId())
            .put("amount", payment.amount().toJson());
    String type =
        switch (payment.status()) {
          case SUCCEEDED -> SUCCEEDED;
          case FAILED -> {
            data.put("reason", payment.failureReason().code())
                .put("detail", payment.failureDetail());
            yield FAILED;
          }
          case REFUNDED -> {
            data.put("reason", REFUND_REASON);
            yield REFUNDED;
          }
          default ->
              throw new IllegalArgumentException(
                  "no event for a " + payment.status().dbValue() + " payment");
        };
    return EventEnvelope.create(type, payment.orderId(), data);
  }
}
