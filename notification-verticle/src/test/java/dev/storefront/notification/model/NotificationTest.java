package dev.storefront.notification.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationTest {

  private static final UUID ORDER = UUID.fromString("7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b");

  @Test
  void theJsonShapeOfTheApi() {
    Notification notification =
        new Notification(
            12,
            NotificationKind.ORDER_CONFIRMED,
            "Order confirmed",
            "Your order is on its way",
            ORDER,
            new JsonObject().put("total", "10.00 EUR"),
            true,
            Instant.parse("2026-11-22T05:17:37.123Z"));

    assertThat(notification.toJson())
        .isEqualTo(
            new JsonObject()
                .put("id", 12L)
                .put("kind", "order.confirmed")
                .put("title", "Order confirmed")
                .put("body", "Your order is on its way")
                .put("orderId", ORDER.toString())
                .put("data", new JsonObject().put("total", "10.00 EUR"))
                .put("read", true)
                .put("createdAt", "2026-11-22T05:17:37.123Z"));
  }

  @Test
  void noOrderIsAnExplicitNullAndNoDataAnEmptyObject() {
    JsonObject json =
        new Notification(
                1,
                NotificationKind.PAYMENT_FAILED,
                "t",
                "b",
                null,
                null,
                false,
                Instant.parse("2026-01-01T00:00:00Z"))
            .toJson();

    assertThat(json.containsKey("orderId")).isTrue();
    assertThat(json.getValue("orderId")).isNull();
    assertThat(json.getJsonObject("data")).isEmpty();
    assertThat(json.getString("kind")).isEqualTo("payment.failed");
    assertThat(json.getBoolean("read")).isFalse();
  }

  @Test
  void aPageCarriesItsItemsAndCounts() {
    Notification one =
        new Notification(
            2,
            NotificationKind.PAYMENT_REFUNDED,
            "t",
            "b",
            null,
            null,
            false,
            Instant.parse("2026-01-01T00:00:00Z"));

    JsonObject json = new NotificationPage(List.of(one), 1, 10, 11, 4).toJson();

    assertThat(json.getJsonArray("items")).containsExactly(one.toJson());
    assertThat(json.getInteger("page")).isEqualTo(1);
    assertThat(json.getInteger("size")).isEqualTo(10);
    assertThat(json.getLong("total")).isEqualTo(11);
    assertThat(json.getLong("unread")).isEqualTo(4);
  }
}
