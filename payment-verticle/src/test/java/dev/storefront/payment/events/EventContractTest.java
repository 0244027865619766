package dev.storefront.payment.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.MalformedEventException;
import dev.storefront.payment.model.FailureReason;
import dev.storefront.payment.model.Money;
import dev.storefront.payment.model.Payment;
import dev.storefront.payment.model.PaymentStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pins the JSON this service publishes and the JSON of the order events it reads. */
class EventContractTest {

  private static final UUID PAYMENT = UUID.fromString("6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b");
  private static final UUID ORDER = UUID.fromString("0b6b7a52-3f0e-4d3c-9a1b-2c3d4e5f6a7b");

  private static Payment payment(PaymentStatus status, FailureReason reason, String detail) {
    OffsetDateTime now = OffsetDateTime.now();
    return new Payment(
        PAYMENT,
        ORDER,
        "acc-42",
        new Money(4_998, "EUR"),
        status,
        reason,
        detail,
        "4242",
        "sim_1",
        1,
        false,
        false,
        now,
        now);
  }

  private static void assertEnvelope(EventEnvelope event, String type) {
    JsonObject json = event.toJson();
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder("eventId", "type", "version", "occurredAt", "orderId", "data");
    assertThat(json.getString("type")).isEqualTo(type);
    assertThat(json.getInteger("version")).isEqualTo(1);
    assertThat(json.getString("orderId")).isEqualTo(ORDER.toString());
    assertThat(UUID.fromString(json.getString("eventId"))).isNotNull();
    assertThat(json.getString("occurredAt")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
  }

  @Test
  void paymentSucceeded() {
    EventEnvelope event = PaymentEvents.of(payment(PaymentStatus.SUCCEEDED, null, null));
    assertEnvelope(event, "PaymentSucceeded");
    assertThat(event.toJson().getJsonObject("data"))
        .isEqualTo(
            new JsonObject(
                """
                {"paymentId": "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "accountId": "acc-42",
                 "amount": {"amountMinor": 4998, "currency": "EUR"}}
                """));
  }

  @Test
  void paymentFailed() {
    EventEnvelope event =
        PaymentEvents.of(
            payment(PaymentStatus.FAILED, FailureReason.INSUFFICIENT_FUNDS, "insufficient funds"));
    assertEnvelope(event, "PaymentFailed");
    assertThat(event.toJson().getJsonObject("data"))
        .isEqualTo(
            new JsonObject(
                """
                {"paymentId": "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "accountId": "acc-42",
                 "amount": {"amountMinor": 4998, "currency": "EUR"},
                 "reason": "insufficient_funds", "detail": "insufficient funds"}
                """));
  }

  @Test
  void failureReasonsAreTheContractsCodes() {
    assertThat(FailureReason.DECLINED.code()).isEqualTo("declined");
    assertThat(FailureReason.INSUFFICIENT_FUNDS.code()).isEqualTo("insufficient_funds");
    assertThat(FailureReason.PROCESSOR_ERROR.code()).isEqualTo("processor_error");
  }

  @Test
  void paymentRefunded() {
    EventEnvelope event = PaymentEvents.of(payment(PaymentStatus.REFUNDED, null, null));
    assertEnvelope(event, "PaymentRefunded");
    assertThat(event.toJson().getJsonObject("data"))
        .isEqualTo(
            new JsonObject(
                """
                {"paymentId": "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "accountId": "acc-42",
                 "amount": {"amountMinor": 4998, "currency": "EUR"},
                 "reason": "order_cancelled"}
                """));
  }

  @Test
  void pendingAndVoidedPaymentsHaveNoEvent() {
    assertThatThrownBy(() -> PaymentEvents.of(payment(PaymentStatus.PENDING, null, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PaymentEvents.of(payment(PaymentStatus.VOIDED, null, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static final String TOKEN = "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa";

  static final String ORDER_CREATED =
      """
      {"eventId": "9d7e1c2b-1111-4a2b-8c3d-4e5f6a7b8c9d", "type": "OrderCreated", "version": 2,
       "occurredAt": "2026-11-22T02:40:00.123Z", "orderId": "0b6b7a52-3f0e-4d3c-9a1b-2c3d4e5f6a7b",
       "data": {"accountId": "acc-42",
                "items": [{"productId": "5a0c9b1e-2222-4c3d-8e4f-5a6b7c8d9e0f", "quantity": 2,
                           "unitPrice": {"amountMinor": 2499, "currency": "EUR"}}],
                "total": {"amountMinor": 4998, "currency": "EUR"},
                "paymentToken": "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa",
                "cartUpdatedAt": null, "contactEmail": "a@example.com"}}
      """;

  /** Version 1, from before payment tokens: the card number itself. */
  static final String ORDER_CREATED_V1 =
      """
      {"eventId": "9d7e1c2b-1111-4a2b-8c3d-4e5f6a7b8c9d", "type": "OrderCreated", "version": 1,
       "occurredAt": "2026-11-22T02:40:00.123Z", "orderId": "0b6b7a52-3f0e-4d3c-9a1b-2c3d4e5f6a7b",
       "data": {"accountId": "acc-42",
                "items": [{"productId": "5a0c9b1e-2222-4c3d-8e4f-5a6b7c8d9e0f", "quantity": 2,
                           "unitPrice": {"amountMinor": 2499, "currency": "EUR"}}],
                "total": {"amountMinor": 4998, "currency": "EUR"},
                "paymentToken": "4242424242424242",
                "cartUpdatedAt": null}}
      """;

  static final String ORDER_CANCELLED =
      """
      {"eventId": "1e2d3c4b-3333-4a5b-8c6d-7e8f9a0b1c2d", "type": "OrderCancelled", "version": 1,
       "occurredAt": "2026-11-22T02:41:00.000Z", "orderId": "0b6b7a52-3f0e-4d3c-9a1b-2c3d4e5f6a7b",
       "data": {"accountId": "acc-42",
                "items": [{"productId": "5a0c9b1e-2222-4c3d-8e4f-5a6b7c8d9e0f", "quantity": 2,
                           "unitPrice": {"amountMinor": 2499, "currency": "EUR"}}],
                "total": {"amountMinor": 4998, "currency": "EUR"},
                "reason": "payment_timeout", "paymentId": null}}
      """;

  private static OrderCreated created(String json) {
    EventEnvelope event = EventEnvelope.fromJson(new JsonObject(json));
    return OrderCreated.from(event.orderId(), event.version(), event.occurredAt(), event.data());
  }

  @Test
  void orderCreatedAsTheOrderServicePublishesIt() {
    OrderCreated order = created(ORDER_CREATED);
    assertThat(order.orderId()).isEqualTo(ORDER);
    assertThat(order.accountId()).isEqualTo("acc-42");
    assertThat(order.total()).isEqualTo(new Money(4_998, "EUR"));
    assertThat(order.paymentToken()).isEqualTo(TOKEN);
    assertThat(order.version()).isEqualTo(2);
    assertThat(order.at()).isEqualTo(java.time.Instant.parse("2026-11-22T02:40:00.123Z"));
    assertThat(order.carriesCardNumber()).isFalse();
    assertThat(order.toString()).doesNotContain(TOKEN);
  }

  @Test
  void orderCreatedVersionOneIsStillReadWithItsCardOrTheMigrationsMarker() {
    OrderCreated legacy = created(ORDER_CREATED_V1);
    assertThat(legacy.version()).isEqualTo(1);
    assertThat(legacy.carriesCardNumber()).isTrue();
    // The card number is not what a log line shows of the event.
    assertThat(legacy.toString()).doesNotContain("4242424242424242");

    JsonObject migrated = new JsonObject(ORDER_CREATED_V1);
    migrated.getJsonObject("data").put("paymentToken", OrderCreated.REMOVED);
    OrderCreated removed = created(migrated.encode());
    assertThat(removed.carriesCardNumber()).isFalse();
    assertThat(removed.paymentToken()).isEqualTo("removed");
  }

  @Test
  void orderCancelledAsTheOrderServicePublishesIt() {
    EventEnvelope event = EventEnvelope.fromJson(new JsonObject(ORDER_CANCELLED));
    OrderCancelled order = OrderCancelled.from(event.orderId(), event.data());
    assertThat(order.orderId()).isEqualTo(ORDER);
    assertThat(order.accountId()).isEqualTo("acc-42");
    assertThat(order.total()).isEqualTo(new Money(4_998, "EUR"));
    assertThat(order.reason()).isEqualTo("payment_timeout");
  }

  @Test
  void orderCreatedWithoutUsableMoneyOrCardIsRefused() {
    JsonObject data = new JsonObject(ORDER_CREATED).getJsonObject("data");
    java.time.Instant at = java.time.Instant.now();
    assertThatThrownBy(() -> OrderCreated.from(ORDER, 2, at, data.copy().put("total", "49.98")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                OrderCreated.from(
                    ORDER,
                    2,
                    at,
                    data.copy()
                        .put(
                            "total",
                            new JsonObject().put("amountMinor", 49.98).put("currency", "EUR"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OrderCreated.from(ORDER, 2, at, data.copy().put("paymentToken", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OrderCreated.from(ORDER, 3, at, data))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHandlerDeadLettersUnreadableDataAtOnceAndPassesOtherTypes() {
    OrderEventsHandler handler = new OrderEventsHandler(null);
    JsonObject created = new JsonObject(ORDER_CREATED);
    created.getJsonObject("data").remove("total");

    Future<Void> unreadable = handler.handle(EventEnvelope.fromJson(created));
    assertThat(unreadable.failed()).isTrue();
    assertThat(unreadable.cause()).isInstanceOf(MalformedEventException.class);

    JsonObject newer = new JsonObject(ORDER_CREATED).put("version", 3);
    assertThat(handler.handle(EventEnvelope.fromJson(newer)).cause())
        .isInstanceOf(MalformedEventException.class);

    JsonObject confirmed = new JsonObject(ORDER_CREATED).put("type", "OrderConfirmed");
    assertThat(handler.handle(EventEnvelope.fromJson(confirmed)).succeeded()).isTrue();
  }
}
