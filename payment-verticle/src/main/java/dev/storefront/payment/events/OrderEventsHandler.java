package dev.storefront.payment.events;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.events.MalformedEventException;
import dev.storefront.payment.service.PaymentService;
import io.vertx.core.Future;

/**
 * The payment service's reading of {@code orders.events}: a created order is charged, a cancelled
 * one voided or refunded. Every other type ({@code OrderConfirmed}, and types added later) is not
 * the payment's business and passes. {@code OrderCreated} is read in versions 1 and 2.
 */
public final class OrderEventsHandler implements EventHandler {

  private final PaymentService payments;

  public OrderEventsHandler(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public Future<Void> handle(EventEnvelope event) {
    try {
      return switch (event.type()) {
        case OrderCreated.TYPE ->
            payments.orderCreated(
                event,
                OrderCreated.from(
                    event.orderId(), event.version(), event.occurredAt(), event.data()));
        case OrderCancelled.TYPE -> {
          requireVersion(event);
          yield payments.orderCancelled(event, OrderCancelled.from(event.orderId(), event.data()));
        }
        default -> Future.succeededFuture();
      };
    } catch (IllegalArgumentException e) {
      // Asking again cannot make it readable: straight to the dead-letter topic.
      return Future.failedFuture(
          new MalformedEventException(
              event.type() + " " + event.eventId() + ": " + e.getMessage(), e));
    }
  }

  private static void requireVersion(EventEnvelope event) {
    if (event.version() != 1) {
      throw new IllegalArgumentException(
          "cannot read " + event.type() + " version " + event.version() + "; only version 1");
    }
  }
}
