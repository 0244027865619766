package dev.storefront.notification.events;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.MalformedEventException;
import dev.storefront.notification.events.ConsumedEvent.ContactLearned;
import dev.storefront.notification.events.ConsumedEvent.Ignored;
import dev.storefront.notification.events.ConsumedEvent.NotificationDue;
import dev.storefront.notification.events.OrderEvents.OrderCancelled;
import dev.storefront.notification.events.OrderEvents.OrderConfirmed;
import dev.storefront.notification.events.OrderEvents.OrderCreated;
import dev.storefront.notification.events.PaymentEvents.PaymentFailed;
import dev.storefront.notification.events.PaymentEvents.PaymentRefunded;
import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.NotificationKind;
import dev.storefront.notification.model.OrderContact;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads the events of {@code orders.events} and {@code payments.events} into what they mean here,
 * and words each notification. Types not listed pass, whatever their version; a listed type of an
 * unknown version, or with a payload that cannot be read, is a {@link MalformedEventException} (the
 * consumer dead-letters it at once: reading it again cannot help).
 *
 * <ul>
 *   <li>{@code OrderCreated}: the order's contact
 *   <li>{@code OrderConfirmed}: {@code order.confirmed}
 *   <li>{@code OrderCancelled}: {@code order.cancelled} for reason {@code payment_timeout} only
 *   <li>{@code PaymentFailed}: {@code payment.failed}
 *   <li>{@code PaymentRefunded}: {@code payment.refunded}
 * </ul>
 */
public final class NotificationEvents {

  private NotificationEvents() {}

  public static ConsumedEvent decode(EventEnvelope event) {
    try {
      return switch (event.type()) {
        case OrderEvents.CREATED -> {
          // Version 2 changed only what paymentToken holds (a token id, not a card number), which
          // is not read here.
          requireVersion(event, 2);
          OrderCreated created = OrderCreated.from(event.orderId(), event.data());
          yield new ContactLearned(
              new OrderContact(created.orderId(), created.accountId(), created.contactEmail()));
        }
        case OrderEvents.CONFIRMED -> {
          requireVersion(event);
          yield due(event, confirmed(event, OrderConfirmed.from(event.orderId(), event.data())));
        }
        case OrderEvents.CANCELLED -> {
          requireVersion(event);
          OrderCancelled cancelled = OrderCancelled.from(event.orderId(), event.data());
          yield cancelled.tellsTheShopper()
              ? due(event, cancelled(event, cancelled))
              : new Ignored("cancelled for " + cancelled.reason() + ", told by PaymentFailed");
        }
        case PaymentEvents.FAILED -> {
          requireVersion(event);
          yield due(event, paymentFailed(event, PaymentFailed.from(event.orderId(), event.data())));
        }
        case PaymentEvents.REFUNDED -> {
          requireVersion(event);
          yield due(event, refunded(event, PaymentRefunded.from(event.orderId(), event.data())));
        }
        default -> new Ignored(event.type() + " is not notified");
      };
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(
          event.type() + " " + event.eventId() + ": " + e.getMessage(), e);
    }
  }

  private static void requireVersion(EventEnvelope event) {
    requireVersion(event, 1);
  }

  private static void requireVersion(EventEnvelope event, int latest) {
    if (event.version() < 1 || event.version() > latest) {
      throw new IllegalArgumentException(
          "cannot read "
              + event.type()
              + " version "
              + event.version()
              + "; only version"
              + (latest == 1 ? " 1" : "s 1 to " + latest));
    }
  }

  private static NotificationDue due(EventEnvelope event, NewNotification notification) {
    return new NotificationDue(notification, event.occurredAt());
  }

  /** How an order is named to its shopper: the first eight digits of its id. */
  public static String orderRef(UUID orderId) {
    return orderId.toString().substring(0, 8).toUpperCase(Locale.ROOT);
  }

  private static NewNotification confirmed(EventEnvelope event, OrderConfirmed confirmed) {
    JsonObject data = new JsonObject().put("total", confirmed.total().toJson());
    if (confirmed.paymentId() != null) {
      data.put("paymentId", confirmed.paymentId().toString());
    }
    return new NewNotification(
        confirmed.accountId(),
        event.eventId(),
        NotificationKind.ORDER_CONFIRMED,
        "Order confirmed",
        "Your order "
            + orderRef(confirmed.orderId())
            + " ("
            + confirmed.total().format()
            + ") is confirmed. We are getting it ready.",
        confirmed.orderId(),
        data);
  }

  private static NewNotification cancelled(EventEnvelope event, OrderCancelled cancelled) {
    return new NewNotification(
        cancelled.accountId(),
        event.eventId(),
        NotificationKind.ORDER_CANCELLED,
        "Order cancelled",
        "Your order "
            + orderRef(cancelled.orderId())
            + " ("
            + cancelled.total().format()
            + ") was cancelled because its payment did not complete in time."
            + " Anything charged for it is refunded.",
        cancelled.orderId(),
        new JsonObject()
            .put("total", cancelled.total().toJson())
            .put("reason", cancelled.reason()));
  }

  private static NewNotification paymentFailed(EventEnvelope event, PaymentFailed failed) {
    String ref = orderRef(failed.orderId());
    String amount = failed.amount().format();
    String what =
        switch (failed.reason()) {
          case "declined" -> "Your card was declined for order " + ref + " (" + amount + ").";
          case "insufficient_funds" ->
              "Your card had insufficient funds for order " + ref + " (" + amount + ").";
          default -> "We could not take the payment for order " + ref + " (" + amount + ").";
        };
    JsonObject data =
        new JsonObject().put("amount", failed.amount().toJson()).put("reason", failed.reason());
    if (failed.paymentId() != null) {
      data.put("paymentId", failed.paymentId().toString());
    }
    return new NewNotification(
        failed.accountId(),
        event.eventId(),
        NotificationKind.PAYMENT_FAILED,
        "Payment failed",
        what + " The order has been cancelled.",
        failed.orderId(),
        data);
  }

  private static NewNotification refunded(EventEnvelope event, PaymentRefunded refunded) {
    JsonObject data = new JsonObject().put("amount", refunded.amount().toJson());
    if (refunded.paymentId() != null) {
      data.put("paymentId", refunded.paymentId().toString());
    }
    return new NewNotification(
        refunded.accountId(),
        event.eventId(),
        NotificationKind.PAYMENT_REFUNDED,
        "Payment refunded",
        refunded.amount().format()
            + " for order "
            + orderRef(refunded.orderId())
            + " went back to your card.",
        refunded.orderId(),
        data);
  }
}
