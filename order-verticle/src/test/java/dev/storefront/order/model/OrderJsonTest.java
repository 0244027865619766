package dev.storefront.order.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The API's Order and OrderPage shapes, as the gateway's OpenAPI document describes them. */
class OrderJsonTest {

  private static final UUID ID = UUID.fromString("7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b");
  private static final UUID BOOK = UUID.fromString("11111111-2222-4333-8444-555555555555");
  private static final Instant NOW = Instant.parse("2026-11-22T02:40:00.123456Z");

  private static Order pending() {
    return Order.pending(
        ID,
        "acct-42",
        List.of(new OrderItem(BOOK, "Book", 3, new Money(1999, "EUR"))),
        null,
        NOW,
        NOW.plusSeconds(120));
  }

  @Test
  void aPendingOrder() {
    assertThat(pending().toJson())
        .isEqualTo(
            new JsonObject(
                "{\"id\":\"7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b\",\"status\":\"pending\","
                    + "\"items\":[{\"productId\":\"11111111-2222-4333-8444-555555555555\","
                    + "\"name\":\"Book\",\"quantity\":3,"
                    + "\"unitPrice\":{\"amountMinor\":1999,\"currency\":\"EUR\"}}],"
                    + "\"total\":{\"amountMinor\":5997,\"currency\":\"EUR\"},"
                    + "\"createdAt\":\"2026-11-22T02:40:00.123456Z\","
                    + "\"updatedAt\":\"2026-11-22T02:40:00.123456Z\"}"));
  }

  @Test
  void aCancelledOrderSaysWhy() {
    Order cancelled =
        pending()
            .after(
                new OrderStateMachine.Transition(
                    OrderStatus.CANCELLED, CancelReason.PAYMENT_DECLINED, null),
                NOW.plusSeconds(2));

    JsonObject json = cancelled.toJson();

    assertThat(json.getString("status")).isEqualTo("cancelled");
    assertThat(json.getString("cancelReason")).isEqualTo("payment_declined");
    assertThat(json.getString("updatedAt")).isEqualTo("2026-11-22T02:40:02.123456Z");
    assertThat(json.getString("createdAt")).isEqualTo("2026-11-22T02:40:00.123456Z");
    assertThat(cancelled.version()).isEqualTo(1);
  }

  @Test
  void aConfirmedOrderKeepsItsPaymentAndHasNoReason() {
    UUID payment = UUID.randomUUID();
    Order confirmed =
        pending()
            .after(new OrderStateMachine.Transition(OrderStatus.CONFIRMED, null, payment), NOW);

    assertThat(confirmed.paymentId()).isEqualTo(payment);
    assertThat(confirmed.toJson().containsKey("cancelReason")).isFalse();
  }

  @Test
  void thePageShape() {
    JsonObject page = new OrderPage(List.of(pending()), 2, 1, 7).toJson();

    assertThat(page.fieldNames()).containsExactlyInAnyOrder("items", "page", "size", "total");
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getInteger("page")).isEqualTo(2);
    assertThat(page.getLong("total")).isEqualTo(7);
  }

  @Test
  void theTotalAddsEveryLineAndRefusesMixedCurrencies() {
    List<OrderItem> items =
        List.of(
            new OrderItem(BOOK, "Book", 2, new Money(1999, "EUR")),
            new OrderItem(UUID.randomUUID(), "Pen", 3, new Money(250, "EUR")));
    assertThat(Order.totalOf(items)).isEqualTo(new Money(4748, "EUR"));

    List<OrderItem> mixed =
        List.of(
            new OrderItem(BOOK, "Book", 1, new Money(1999, "EUR")),
            new OrderItem(UUID.randomUUID(), "Pen", 1, new Money(250, "USD")));
    assertThatThrownBy(() -> Order.totalOf(mixed)).isInstanceOf(IllegalArgumentException.class);
  }
}
