package dev.storefront.notification.events;

import dev.storefront.notification.model.Money;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the notification service reads from {@code orders.events} (published by the order service,
 * version 1), in its own types: the parts of each payload it needs and nothing more.
 */
public final class OrderEvents {

  public static final String TOPIC = "orders.events";
  public static final String CREATED = "OrderCreated";
  public static final String CONFIRMED = "OrderConfirmed";
  public static final String CANCELLED = "OrderCancelled";

  /** The one cancellation reason the shopper is told about by the order's cancellation itself. */
  public static final String PAYMENT_TIMEOUT = "payment_timeout";

  private static final int MAX_EMAIL_LENGTH = 320;
  // Enough to recognise an address; the SMTP server has the last word on it.
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

  private OrderEvents() {}

  /** {@code OrderCreated}: whose order it is, and where to write about it. */
  public record OrderCreated(UUID orderId, String accountId, String contactEmail) {

    /**
     * {@code contactEmail} is optional (added within version 1). An address that is not one is read
     * as none: the e-mails of the order are then skipped instead of bouncing.
     */
    public static OrderCreated from(UUID orderId, JsonObject data) {
      String email = EventData.optionalText(data, "contactEmail");
      if (email != null) {
        email = email.trim();
        if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
          email = null;
        }
      }
      return new OrderCreated(orderId, EventData.text(data, "accountId"), email);
    }
  }

  /** {@code OrderConfirmed}: the order was paid. */
  public record OrderConfirmed(UUID orderId, String accountId, Money total, UUID paymentId) {

    public static OrderConfirmed from(UUID orderId, JsonObject data) {
      return new OrderConfirmed(
          orderId,
          EventData.text(data, "accountId"),
          EventData.money(data, "total"),
          EventData.optionalUuid(data, "paymentId"));
    }
  }

  /** {@code OrderCancelled}: the order will not be fulfilled, for {@code reason}. */
  public record OrderCancelled(UUID orderId, String accountId, Money total, String reason) {

    public static OrderCancelled from(UUID orderId, JsonObject data) {
      return new OrderCancelled(
          orderId,
          EventData.text(data, "accountId"),
          EventData.money(data, "total"),
          EventData.text(data, "reason").toLowerCase(Locale.ROOT));
    }

    /** Cancellations caused by a failed payment were told with the {@code PaymentFailed}. */
    public boolean tellsTheShopper() {
      return PAYMENT_TIMEOUT.equals(reason);
    }
  }
}
