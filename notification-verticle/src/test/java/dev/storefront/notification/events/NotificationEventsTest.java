package dev.storefront.notification.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.MalformedEventException;
import dev.storefront.notification.events.ConsumedEvent.ContactLearned;
import dev.storefront.notification.events.ConsumedEvent.Ignored;
import dev.storefront.notification.events.ConsumedEvent.NotificationDue;
import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.NotificationKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The payloads as docs/asyncapi.yaml describes them, read into the service's own types. */
class NotificationEventsTest {

  private static final UUID ORDER = UUID.fromString("1b2c3d4e-0000-4000-8000-000000000001");
  private static final UUID PAYMENT = UUID.fromString("9a9a9a9a-0000-4000-8000-000000000002");
  private static final Instant AT = Instant.parse("2026-11-22T02:40:00.123Z");

  @Test
  void orderCreatedGivesTheOrdersContact() {
    ConsumedEvent decoded = decode("OrderCreated", created().put("contactEmail", "a@example.com"));
    assertThat(decoded).isInstanceOf(ContactLearned.class);
    var contact = ((ContactLearned) decoded).contact();
    assertThat(contact.orderId()).isEqualTo(ORDER);
    assertThat(contact.accountId()).isEqualTo("acc-1");
    assertThat(contact.email()).isEqualTo("a@example.com");
  }

  @Test
  void orderCreatedWithoutAContactEmailHasNoAddress() {
    assertThat(((ContactLearned) decode("OrderCreated", created())).contact().email()).isNull();
    assertThat(
            ((ContactLearned) decode("OrderCreated", created().putNull("contactEmail")))
                .contact()
                .email())
        .isNull();
    assertThat(
            ((ContactLearned) decode("OrderCreated", created().put("contactEmail", "nobody")))
                .contact()
                .email())
        .as("not an address")
        .isNull();
  }

  @Test
  void aContactEmailThatIsNotAStringIsMalformed() {
    assertThatThrownBy(() -> decode("OrderCreated", created().put("contactEmail", 42)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("contactEmail");
  }

  @Test
  void orderConfirmedNotifiesOrderConfirmedWithTheTotal() {
    NewNotification n =
        notification(
            decode(
                "OrderConfirmed",
                order().put("total", money(4_998)).put("paymentId", PAYMENT.toString())));
    assertThat(n.kind()).isEqualTo(NotificationKind.ORDER_CONFIRMED);
    assertThat(n.accountId()).isEqualTo("acc-1");
    assertThat(n.orderId()).isEqualTo(ORDER);
    assertThat(n.title()).isEqualTo("Order confirmed");
    assertThat(n.body()).contains("1B2C3D4E").contains("49.98 EUR").contains("confirmed");
    assertThat(n.data().getJsonObject("total")).isEqualTo(money(4_998));
    assertThat(n.data().getString("paymentId")).isEqualTo(PAYMENT.toString());
  }

  @Test
  void theEventsIdAndTimeComeAlong() {
    EventEnvelope event = envelope("OrderConfirmed", 1, order().put("total", money(100)));
    NotificationDue due = (NotificationDue) NotificationEvents.decode(event);
    assertThat(due.notification().eventId()).isEqualTo(event.eventId());
    assertThat(due.occurredAt()).isEqualTo(AT);
  }

  @Test
  void orderCancelledForThePaymentDeadlineNotifiesOrderCancelled() {
    NewNotification n =
        notification(
            decode(
                "OrderCancelled",
                order().put("total", money(1_200)).put("reason", "payment_timeout")));
    assertThat(n.kind()).isEqualTo(NotificationKind.ORDER_CANCELLED);
    assertThat(n.title()).isEqualTo("Order cancelled");
    assertThat(n.body()).contains("1B2C3D4E").contains("12.00 EUR").contains("in time");
    assertThat(n.data().getString("reason")).isEqualTo("payment_timeout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"payment_declined", "insufficient_funds", "payment_error"})
  void orderCancelledForAPaymentReasonIsIgnoredBecausePaymentFailedToldTheShopper(String reason) {
    assertThat(decode("OrderCancelled", order().put("total", money(1)).put("reason", reason)))
        .isInstanceOf(Ignored.class);
  }

  @Test
  void paymentFailedNotifiesPaymentFailedWordedByReason() {
    NewNotification declined = notification(decode("PaymentFailed", failed("declined")));
    assertThat(declined.kind()).isEqualTo(NotificationKind.PAYMENT_FAILED);
    assertThat(declined.title()).isEqualTo("Payment failed");
    assertThat(declined.body()).contains("declined").contains("1B2C3D4E").contains("7.00 EUR");
    assertThat(declined.data().getString("reason")).isEqualTo("declined");
    assertThat(declined.data().getJsonObject("amount")).isEqualTo(money(700));
    assertThat(notification(decode("PaymentFailed", failed("insufficient_funds"))).body())
        .contains("insufficient funds");
    assertThat(notification(decode("PaymentFailed", failed("processor_error"))).body())
        .contains("could not take the payment");
  }

  @Test
  void paymentRefundedNotifiesPaymentRefunded() {
    NewNotification n =
        notification(
            decode(
                "PaymentRefunded",
                new JsonObject()
                    .put("paymentId", PAYMENT.toString())
                    .put("accountId", "acc-1")
                    .put("amount", money(3_300))
                    .put("reason", "order_cancelled")));
    assertThat(n.kind()).isEqualTo(NotificationKind.PAYMENT_REFUNDED);
    assertThat(n.body()).contains("33.00 EUR").contains("1B2C3D4E");
  }

  @Test
  void otherTypesPassWhateverTheirVersionOrPayload() {
    assertThat(
            NotificationEvents.decode(
                envelope("PaymentSucceeded", 1, new JsonObject().put("accountId", "acc-1"))))
        .isInstanceOf(Ignored.class);
    assertThat(NotificationEvents.decode(envelope("PaymentSucceeded", 7, new JsonObject())))
        .isInstanceOf(Ignored.class);
    assertThat(NotificationEvents.decode(envelope("StockReleased", 1, new JsonObject())))
        .isInstanceOf(Ignored.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "OrderCreated",
        "OrderConfirmed",
        "OrderCancelled",
        "PaymentFailed",
        "PaymentRefunded"
      })
  void anUnknownVersionOfATypeReadHereIsMalformed(String type) {
    assertThatThrownBy(() -> NotificationEvents.decode(envelope(type, 3, fullData())))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("version 3");
  }

  @Test
  void orderCreatedIsReadInVersionTwoWhoseTokenIsNotACardNumber() {
    JsonObject data =
        created()
            .put("paymentToken", "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa")
            .put("contactEmail", "ada@example.com");
    assertThat(NotificationEvents.decode(envelope("OrderCreated", 2, data)))
        .isInstanceOf(ContactLearned.class);
    assertThat(NotificationEvents.decode(envelope("OrderCreated", 1, data)))
        .isInstanceOf(ContactLearned.class);
    assertThatThrownBy(() -> NotificationEvents.decode(envelope("OrderConfirmed", 2, fullData())))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("only version 1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "OrderCreated",
        "OrderConfirmed",
        "OrderCancelled",
        "PaymentFailed",
        "PaymentRefunded"
      })
  void aPayloadWithoutItsAccountIsMalformed(String type) {
    JsonObject data = fullData();
    data.remove("accountId");
    assertThatThrownBy(() -> NotificationEvents.decode(envelope(type, 1, data)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("accountId");
  }

  @Test
  void anAmountThatIsNotMoneyIsMalformed() {
    assertThatThrownBy(
            () ->
                decode(
                    "PaymentFailed",
                    failed("declined").put("amount", new JsonObject().put("amountMinor", "7"))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("amount");
    assertThatThrownBy(
            () -> decode("OrderConfirmed", order().put("total", money(1).put("currency", "eur"))))
        .isInstanceOf(MalformedEventException.class);
  }

  // --- payloads ------------------------------------------------------------------------------

  private static ConsumedEvent decode(String type, JsonObject data) {
    return NotificationEvents.decode(envelope(type, 1, data));
  }

  private static NewNotification notification(ConsumedEvent decoded) {
    assertThat(decoded).isInstanceOf(NotificationDue.class);
    return ((NotificationDue) decoded).notification();
  }

  private static EventEnvelope envelope(String type, int version, JsonObject data) {
    return new EventEnvelope(UUID.randomUUID(), type, version, AT, ORDER, data);
  }

  private static JsonObject money(long minor) {
    return new JsonObject().put("amountMinor", minor).put("currency", "EUR");
  }

  private static JsonObject order() {
    return new JsonObject()
        .put("accountId", "acc-1")
        .put(
            "items",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("productId", UUID.randomUUID().toString())
                        .put("quantity", 1)
                        .put("unitPrice", money(100))));
  }

  private static JsonObject created() {
    return order()
        .put("total", money(100))
        .put("paymentToken", "tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa")
        .putNull("cartUpdatedAt");
  }

  private static JsonObject failed(String reason) {
    return new JsonObject()
        .put("paymentId", PAYMENT.toString())
        .put("accountId", "acc-1")
        .put("amount", money(700))
        .put("reason", reason)
        .put("detail", "card " + reason);
  }

  /** Every field any of the five types requires. */
  private static JsonObject fullData() {
    return created()
        .put("paymentId", PAYMENT.toString())
        .put("amount", money(100))
        .put("reason", "payment_timeout")
        .put("contactEmail", "a@example.com");
  }
}
