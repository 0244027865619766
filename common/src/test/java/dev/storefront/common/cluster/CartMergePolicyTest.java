package dev.storefront.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The merge of two stored cart versions as JSON, the way a member that has none of the cart's
 * classes runs it (the cart module's own tests merge carts built by its model).
 */
class CartMergePolicyTest {

  private static JsonObject line(String productId, int quantity, String changedAt) {
    return new JsonObject()
        .put("productId", productId)
        .put("name", productId)
        .put("quantity", quantity)
        .put("unitPrice", new JsonObject().put("amountMinor", 100).put("currency", "EUR"))
        .put("pricedAt", changedAt)
        .put("changedAt", changedAt);
  }

  private static String cart(String updatedAt, JsonObject... lines) {
    return new JsonObject()
        .put("v", 2)
        .put("items", new JsonArray(java.util.List.of((Object[]) lines)))
        .put("updatedAt", updatedAt)
        .encode();
  }

  private static JsonObject merged(String one, String other) {
    String ab = CartMergePolicy.merge(one, other);
    assertThat(CartMergePolicy.merge(other, one)).as("commutative").isEqualTo(ab);
    return new JsonObject(ab);
  }

  @Test
  void theUnionOfLinesKeepsPerLineTheVersionChangedLast() {
    String a =
        cart(
            "2026-12-01T10:00:05Z",
            line("p1", 1, "2026-12-01T10:00:00Z"),
            line("p2", 5, "2026-12-01T10:00:05Z"));
    String b =
        cart(
            "2026-12-01T10:00:09Z",
            line("p2", 7, "2026-12-01T10:00:03Z"),
            line("p3", 2, "2026-12-01T10:00:09Z"));

    JsonObject cart = merged(a, b);

    JsonArray items = cart.getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("productId")))
        .as("the side updated last first")
        .containsExactly("p2", "p3", "p1");
    assertThat(items.getJsonObject(0).getInteger("quantity")).isEqualTo(5);
    assertThat(cart.getString("updatedAt")).isEqualTo("2026-12-01T10:00:09Z");
    assertThat(cart.getInteger("v")).isEqualTo(CartMergePolicy.STORAGE_VERSION);
  }

  @Test
  void aRemovalBeatsOlderVersionsOfItsLineAndLosesToNewerOnes() {
    JsonObject removed =
        new JsonObject(cart("2026-12-01T10:00:05Z"))
            .put(
                "removed",
                new JsonObject()
                    .put("p1", "2026-12-01T10:00:05Z")
                    .put("p2", "2026-12-01T10:00:05Z"));
    String other =
        cart(
            "2026-12-01T10:00:06Z",
            line("p1", 1, "2026-12-01T10:00:01Z"),
            line("p2", 3, "2026-12-01T10:00:06Z"));

    JsonObject cart = merged(removed.encode(), other);

    assertThat(cart.getJsonArray("items")).hasSize(1);
    assertThat(cart.getJsonArray("items").getJsonObject(0).getString("productId")).isEqualTo("p2");
    assertThat(cart.getJsonObject("removed").fieldNames()).containsExactly("p1");
  }

  @Test
  void aClearingDropsEveryLineChangedAtOrBeforeIt() {
    JsonObject cleared =
        new JsonObject(cart("2026-12-01T10:00:05Z")).put("clearedAt", "2026-12-01T10:00:05Z");
    String other =
        cart(
            "2026-12-01T10:00:07Z",
            line("p1", 1, "2026-12-01T10:00:05Z"),
            line("p2", 3, "2026-12-01T10:00:07Z"));

    JsonObject cart = merged(cleared.encode(), other);

    assertThat(cart.getJsonArray("items")).hasSize(1);
    assertThat(cart.getJsonArray("items").getJsonObject(0).getString("productId")).isEqualTo("p2");
    assertThat(cart.getString("clearedAt")).isEqualTo("2026-12-01T10:00:05Z");
  }

  @Test
  void linesOfTheFirstStoredFormCountAsChangedWhenTheirCartWas() {
    JsonObject firstForm =
        new JsonObject()
            .put("v", 1)
            .put(
                "items",
                new JsonArray()
                    .add(line("p1", 4, "2026-12-01T09:00:00Z").copy().put("changedAt", null)))
            .put("updatedAt", "2026-12-01T10:00:08Z");
    firstForm.getJsonArray("items").getJsonObject(0).remove("changedAt");
    String other = cart("2026-12-01T10:00:06Z", line("p1", 2, "2026-12-01T10:00:06Z"));

    JsonObject cart = merged(firstForm.encode(), other);

    assertThat(cart.getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(4);
    assertThat(cart.getJsonArray("items").getJsonObject(0).getString("changedAt"))
        .isEqualTo("2026-12-01T10:00:08Z");
  }

  @Test
  void equalTimesAreSettledTheSameWayOnEitherSide() {
    String a = cart("2026-12-01T10:00:05Z", line("p1", 1, "2026-12-01T10:00:05Z"));
    String b = cart("2026-12-01T10:00:05Z", line("p1", 2, "2026-12-01T10:00:05Z"));

    assertThat(merged(a, b).getJsonArray("items")).hasSize(1);
  }

  @Test
  void anUnreadableVersionLosesToAReadableOne() {
    String good = cart("2026-12-01T10:00:05Z", line("p1", 1, "2026-12-01T10:00:05Z"));

    assertThat(CartMergePolicy.merge("not json", good)).isEqualTo(good);
    assertThat(CartMergePolicy.merge(good, "{\"v\":99}")).isEqualTo(good);
    assertThat(CartMergePolicy.merge("[1,2]", good)).isEqualTo(good);
  }
}
