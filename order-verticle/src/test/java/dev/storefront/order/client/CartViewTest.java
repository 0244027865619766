package dev.storefront.order.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.order.model.Money;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cart as the cart service answers {@code GET /api/cart}, read by checkout. */
class CartViewTest {

  @Test
  void readsTheLinesPricesAndWhenTheCartChanged() {
    JsonObject cart =
        new JsonObject(
            "{\"items\":[{\"productId\":\"11111111-2222-4333-8444-555555555555\","
                + "\"name\":\"Book\",\"quantity\":3,"
                + "\"unitPrice\":{\"amountMinor\":1999,\"currency\":\"EUR\"},"
                + "\"lineTotal\":{\"amountMinor\":5997,\"currency\":\"EUR\"}}],"
                + "\"itemCount\":3,\"totals\":[{\"amountMinor\":5997,\"currency\":\"EUR\"}],"
                + "\"subtotal\":{\"amountMinor\":5997,\"currency\":\"EUR\"},"
                + "\"pricesVerified\":true,\"updatedAt\":\"2026-11-22T02:39:58.250Z\"}");

    CartView view = CartView.fromJson(cart);

    assertThat(view.lines())
        .containsExactly(
            new CartView.Line(
                UUID.fromString("11111111-2222-4333-8444-555555555555"),
                "Book",
                3,
                new Money(1999, "EUR")));
    assertThat(view.pricesVerified()).isTrue();
    assertThat(view.updatedAt()).isEqualTo(Instant.parse("2026-11-22T02:39:58.250Z"));
  }

  @Test
  void anEmptyCartNeverWrittenHasNoLinesAndNoUpdatedAt() {
    CartView view =
        CartView.fromJson(
            new JsonObject("{\"items\":[],\"itemCount\":0,\"totals\":[],\"pricesVerified\":true}"));

    assertThat(view.lines()).isEmpty();
    assertThat(view.updatedAt()).isNull();
  }

  @Test
  void aBodyThatIsNotACartIsRefused() {
    assertThatThrownBy(() -> CartView.fromJson(new JsonObject("{\"pricesVerified\":true}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CartView.fromJson(new JsonObject("{\"items\":[]}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                CartView.fromJson(
                    new JsonObject(
                        "{\"items\":[{\"productId\":\"x\",\"quantity\":1,\"unitPrice\":"
                            + "{\"amountMinor\":1,\"currency\":\"EUR\"}}],"
                            + "\"pricesVerified\":true}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
