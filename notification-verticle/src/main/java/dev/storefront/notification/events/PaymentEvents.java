package dev.storefront.notification.events;

import dev.storefront.notification.model.Money;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What the notification service reads from {@code payments.events} (published by the payment
 * service, version 1). {@code PaymentSucceeded} is not read: the order's confirmation follows it.
 */
public final class PaymentEvents {

  public static final String TOPIC = "payments.events";
  public static final String SUCCEEDED = "PaymentSucceeded";
  public static final String FAILED = "PaymentFailed";
  public static final String REFUNDED = "PaymentRefunded";

  private PaymentEvents() {}

  /** {@code PaymentFailed}: reason {@code declined}, {@code insufficient_funds} or another. */
  public record PaymentFailed(
      UUID orderId, String accountId, Money amount, String reason, UUID paymentId) {

    public static PaymentFailed from(UUID orderId, JsonObject data) {
      return new PaymentFailed(
          orderId,
          EventData.text(data, "accountId"),
          EventData.money(data, "amount"),
          EventData.text(data, "reason"),
          EventData.optionalUuid(data, "paymentId"));
    }
  }

  /** {@code PaymentRefunded}: a charge went back. */
  public record PaymentRefunded(UUID orderId, String accountId, Money amount, UUID paymentId) {

    public static PaymentRefunded from(UUID orderId, JsonObject data) {
      return new PaymentRefunded(
          orderId,
          EventData.text(data, "accountId"),
          EventData.money(data, "amount"),
          EventData.optionalUuid(data, "paymentId"));
    }
  }
}
