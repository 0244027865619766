package dev.storefront.order.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.order.model.CancelReason;
import dev.storefront.order.model.Money;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderItem;
import dev.storefront.order.model.OrderStateMachine;
import dev.storefront.order.model.OrderStateMachine.Transition;
import dev.storefront.order.model.OrderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pins the JSON of every event the order service publishes, and of the payment events it reads, to
 * the contract: field names, types, nulls and nothing more.
 */
class OrderEventsContractTest {

  static final UUID ORDER = UUID.fromString("7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b");
  static final UUID PAYMENT = UUID.fromString("0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e");
  static final UUID BOOK = UUID.fromString("11111111-2222-4333-8444-555555555555");
  static final UUID PEN = UUID.fromString("66666666-7777-4888-9999-aaaaaaaaaaaa");
  static final Instant CART_UPDATED = Instant.parse("2026-11-22T02:39:58.250Z");
  static final Instant CREATED = Instant.parse("2026-11-22T02:40:00.123456Z");

  static final String ITEMS =
      "[{\"productId\":\"11111111-2222-4333-8444-555555555555\",\"quantity\":2,"
          + "\"unitPrice\":{\"amountMinor\":1999,\"currency\":\"EUR\"}},"
          + "{\"productId\":\"66666666-7777-4888-9999-aaaaaaaaaaaa\",\"quantity\":1,"
          + "\"unitPrice\":{\"amountMinor\":250,\"currency\":\"EUR\"}}]";
  static final String TOTAL = "{\"amountMinor\":4248,\"currency\":\"EUR\"}";

  static Order pending() {
    return Order.pending(
        ORDER,
        "acct-42",
        List.of(
            new OrderItem(BOOK, "Book", 2, new Money(1999, "EUR")),
            new OrderItem(PEN, "Pen", 1, new Money(250, "EUR"))),
        CART_UPDATED,
        CREATED,
        CREATED.plusSeconds(120));
  }

  @Test
  void orderCreated() {
    JsonObject data =
        OrderEvents.created(pending(), "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa", "ada@example.com");

    assertThat(data.encode())
        .isEqualTo(
            "{\"accountId\":\"acct-42\",\"items\":"
                + ITEMS
                + ",\"total\":"
                + TOTAL
                + ",\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\","
                + "\"cartUpdatedAt\":\"2026-11-22T02:39:58.250Z\","
                + "\"contactEmail\":\"ada@example.com\"}");
  }

  @Test
  void orderCreatedIsVersionTwoItsTokenNamesTheCard() {
    EventEnvelope event =
        OrderEvents.createdEvent(pending(), "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa", null);

    assertThat(event.type()).isEqualTo("OrderCreated");
    assertThat(event.version()).isEqualTo(2);
    assertThat(event.orderId()).isEqualTo(ORDER);
    assertThat(event.data().getString("paymentToken"))
        .isEqualTo("tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa");
    assertThat(EventEnvelope.fromJson(event.toJson())).isEqualTo(event);
  }

  @Test
  void orderCreatedForAnAccountWithoutAnAddressHasANullContactEmail() {
    JsonObject data = OrderEvents.created(pending(), "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa", null);

    assertThat(data.containsKey("contactEmail")).isTrue();
    assertThat(data.getValue("contactEmail")).isNull();
  }

  @Test
  void orderCreatedFromACartNeverWrittenHasANullCartUpdatedAt() {
    Order order =
        Order.pending(ORDER, "acct-42", pending().items(), null, CREATED, CREATED.plusSeconds(120));

    JsonObject data = OrderEvents.created(order, "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa", null);

    assertThat(data.containsKey("cartUpdatedAt")).isTrue();
    assertThat(data.getValue("cartUpdatedAt")).isNull();
  }

  @Test
  void orderConfirmed() {
    Order confirmed =
        pending()
            .after(new Transition(OrderStatus.CONFIRMED, null, PAYMENT), CREATED.plusSeconds(3));

    assertThat(OrderEvents.confirmed(confirmed).encode())
        .isEqualTo(
            "{\"accountId\":\"acct-42\",\"items\":"
                + ITEMS
                + ",\"total\":"
                + TOTAL
                + ",\"paymentId\":\"0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e\","
                + "\"cartUpdatedAt\":\"2026-11-22T02:39:58.250Z\"}");
  }

  @Test
  void orderCancelledByAFailedPayment() {
    Order cancelled =
        pending()
            .after(
                OrderStateMachine.next(
                        OrderStatus.PENDING,
                        new OrderStateMachine.PaymentFailed(PAYMENT, "insufficient_funds"))
                    .orElseThrow(),
                CREATED.plusSeconds(3));

    assertThat(OrderEvents.cancelled(cancelled).encode())
        .isEqualTo(
            "{\"accountId\":\"acct-42\",\"items\":"
                + ITEMS
                + ",\"total\":"
                + TOTAL
                + ",\"reason\":\"insufficient_funds\","
                + "\"paymentId\":\"0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e\"}");
  }

  @Test
  void orderCancelledByTheDeadlineHasNoPaymentId() {
    Order cancelled =
        pending()
            .after(
                new Transition(OrderStatus.CANCELLED, CancelReason.PAYMENT_TIMEOUT, null),
                CREATED.plusSeconds(121));

    assertThat(OrderEvents.cancelled(cancelled).encode())
        .isEqualTo(
            "{\"accountId\":\"acct-42\",\"items\":"
                + ITEMS
                + ",\"total\":"
                + TOTAL
                + ",\"reason\":\"payment_timeout\",\"paymentId\":null}");
  }

  @Test
  void anAbandonedCheckoutIsCancelledForPaymentTimeout() {
    JsonObject data = OrderEvents.abandoned("acct-42", new JsonArray(ITEMS), new JsonObject(TOTAL));

    assertThat(data.encode())
        .isEqualTo(
            "{\"accountId\":\"acct-42\",\"items\":"
                + ITEMS
                + ",\"total\":"
                + TOTAL
                + ",\"reason\":\"payment_timeout\",\"paymentId\":null}");
  }

  @Test
  void theEnvelopeOfAnOrderEvent() {
    EventEnvelope envelope =
        new EventEnvelope(
            UUID.fromString("9e8d7c6b-5a49-4382-8171-605f4e3d2c1b"),
            OrderEvents.ORDER_CREATED,
            1,
            Instant.parse("2026-11-22T02:40:00.123Z"),
            ORDER,
            OrderEvents.created(
                pending(), "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa", "ada@example.com"));

    JsonObject json = envelope.toJson();

    assertThat(json.fieldNames())
        .containsExactly("eventId", "type", "version", "occurredAt", "orderId", "data");
    assertThat(json.getString("type")).isEqualTo("OrderCreated");
    assertThat(json.getInteger("version")).isEqualTo(1);
    assertThat(json.getString("orderId")).isEqualTo(ORDER.toString());
    assertThat(json.getString("occurredAt")).isEqualTo("2026-11-22T02:40:00.123Z");
    assertThat(EventEnvelope.fromJson(json)).isEqualTo(envelope);
  }

  @Test
  void theTopicAndTypeNames() {
    assertThat(OrderEvents.TOPIC).isEqualTo("orders.events");
    assertThat(
            List.of(
                OrderEvents.ORDER_CREATED,
                OrderEvents.ORDER_CONFIRMED,
                OrderEvents.ORDER_CANCELLED))
        .containsExactly("OrderCreated", "OrderConfirmed", "OrderCancelled");
    assertThat(PaymentEvent.TOPIC).isEqualTo("payments.events");
  }

  @Test
  void paymentSucceededAsThePaymentServicePublishesIt() {
    JsonObject data =
        new JsonObject(
            "{\"paymentId\":\"0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e\",\"accountId\":\"acct-42\","
                + "\"amount\":{\"amountMinor\":4248,\"currency\":\"EUR\"}}");

    PaymentEvent event = PaymentEvent.decode("PaymentSucceeded", data).orElseThrow();

    assertThat(event.paymentId()).isEqualTo(PAYMENT);
    assertThat(event.accountId()).isEqualTo("acct-42");
    assertThat(event.amount()).isEqualTo(new Money(4248, "EUR"));
    assertThat(event.trigger()).isEqualTo(new OrderStateMachine.PaymentSucceeded(PAYMENT));
  }

  @Test
  void paymentFailedAsThePaymentServicePublishesIt() {
    JsonObject data =
        new JsonObject(
            "{\"paymentId\":\"0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e\",\"accountId\":\"acct-42\","
                + "\"amount\":{\"amountMinor\":4248,\"currency\":\"EUR\"},"
                + "\"reason\":\"declined\",\"detail\":\"card declined by issuer\"}");

    PaymentEvent event = PaymentEvent.decode("PaymentFailed", data).orElseThrow();

    assertThat(event.trigger()).isEqualTo(new OrderStateMachine.PaymentFailed(PAYMENT, "declined"));
  }

  @Test
  void paymentRefundedAndUnknownTypesMoveNoOrder() {
    JsonObject data =
        new JsonObject(
            "{\"paymentId\":\"0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e\",\"accountId\":\"acct-42\","
                + "\"amount\":{\"amountMinor\":4248,\"currency\":\"EUR\"},"
                + "\"reason\":\"order_cancelled\"}");

    assertThat(PaymentEvent.decode("PaymentRefunded", data)).isEmpty();
    assertThat(PaymentEvent.decode("PaymentAuthorised", data)).isEmpty();
  }

  @Test
  void aPaymentOutcomeWithoutAPaymentIdIsMalformed() {
    assertThatThrownBy(() -> PaymentEvent.decode("PaymentSucceeded", new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
