package dev.storefront.cart.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.MalformedEventException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Reading the cart's part of an OrderConfirmed. */
class ConfirmationTest {

  private static JsonObject data() {
    JsonObject price = new JsonObject().put("amountMinor", 1000L).put("currency", "EUR");
    return new JsonObject()
        .put("accountId", "acc-1")
        .put(
            "items",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("productId", "p1")
                        .put("quantity", 2)
                        .put("unitPrice", price))
                .add(
                    new JsonObject()
                        .put("productId", "p2")
                        .put("quantity", 1)
                        .put("unitPrice", price)))
        .put("total", new JsonObject().put("amountMinor", 3000L).put("currency", "EUR"))
        .put("paymentId", UUID.randomUUID().toString())
        .put("cartUpdatedAt", "2026-11-22T02:40:00.123Z");
  }

  private static OrderEvents.Confirmation read(Consumer<JsonObject> change) {
    JsonObject data = data();
    change.accept(data);
    return OrderEvents.Confirmation.of(
        EventEnvelope.create("OrderConfirmed", UUID.randomUUID(), data));
  }

  @Test
  void readsAccountItemsAndCheckoutTime() {
    OrderEvents.Confirmation confirmation = read(d -> {});

    assertThat(confirmation.accountId()).isEqualTo("acc-1");
    assertThat(confirmation.items()).isEqualTo(Map.of("p1", 2, "p2", 1));
    assertThat(confirmation.cartUpdatedAt()).isEqualTo(Instant.parse("2026-11-22T02:40:00.123Z"));
  }

  @Test
  void aMissingCheckoutTimeIsNull() {
    assertThat(read(d -> d.putNull("cartUpdatedAt")).cartUpdatedAt()).isNull();
    assertThat(read(d -> d.remove("cartUpdatedAt")).cartUpdatedAt()).isNull();
  }

  @Test
  void unreadableConfirmationsAreMalformed() {
    assertThatThrownBy(() -> read(d -> d.remove("accountId")))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> read(d -> d.put("items", "p1")))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(
            () ->
                read(d -> d.put("items", new JsonArray().add(new JsonObject().put("quantity", 1)))))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> read(d -> d.put("cartUpdatedAt", "yesterday")))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> read(d -> d.put("cartUpdatedAt", 17)))
        .isInstanceOf(MalformedEventException.class);
  }
}
