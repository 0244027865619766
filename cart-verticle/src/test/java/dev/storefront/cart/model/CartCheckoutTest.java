package dev.storefront.cart.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a confirmed order leaves of the cart it was placed from. */
class CartCheckoutTest {

  private static final Money PRICE = new Money(1000, "EUR");
  private static final Instant CHECKOUT = Instant.parse("2026-11-22T02:40:00.123456Z");
  private static final Instant LATER = CHECKOUT.plusSeconds(5);

  private static CartLine line(String product, int quantity) {
    return new CartLine(product, product, PRICE, quantity, CHECKOUT);
  }

  @Test
  void aCartUnchangedSinceCheckoutGoesEntirely() {
    Cart cart = new Cart(List.of(line("p1", 2), line("p2", 1)), CHECKOUT);

    assertThat(cart.checkedOut(Map.of("p1", 2, "p2", 1), CHECKOUT).isEmpty()).isTrue();
    // An older cart than the order read (cannot normally happen) goes too.
    assertThat(cart.checkedOut(Map.of("p1", 2), LATER).isEmpty()).isTrue();
  }

  @Test
  void aCartChangedSinceCheckoutLosesOnlyTheLinesTheOrderBought() {
    Cart cart = new Cart(List.of(line("p1", 2), line("p2", 3), line("p3", 1)), LATER);

    Cart after = cart.checkedOut(Map.of("p1", 2, "p2", 1), CHECKOUT);

    // p2's quantity changed after checkout: the shopper wants those, keep them.
    assertThat(after.lines()).containsExactly(line("p2", 3), line("p3", 1));
    assertThat(after.updatedAt()).isEqualTo(LATER);
  }

  @Test
  void withoutACheckoutTimeOnlyMatchingLinesGo() {
    Cart cart = new Cart(List.of(line("p1", 2), line("p2", 1)), CHECKOUT);

    assertThat(cart.checkedOut(Map.of("p1", 2), null).lines()).containsExactly(line("p2", 1));
    assertThat(cart.checkedOut(Map.of("p1", 2, "p2", 1), null).isEmpty()).isTrue();
  }

  @Test
  void applyingItAgainChangesNothing() {
    Cart cart = new Cart(List.of(line("p1", 2), line("p9", 4)), LATER);
    Map<String, Integer> ordered = Map.of("p1", 2);

    Cart once = cart.checkedOut(ordered, CHECKOUT);

    assertThat(once.checkedOut(ordered, CHECKOUT)).isSameAs(once);
    assertThat(Cart.empty().checkedOut(ordered, CHECKOUT)).isEqualTo(Cart.empty());
    Cart unrelated = new Cart(List.of(line("p7", 1)), LATER);
    assertThat(unrelated.checkedOut(ordered, CHECKOUT)).isSameAs(unrelated);
  }

  @Test
  void anEmptiedCartIsClearedAsOfTheCheckoutAndBoughtLinesAreRemovedAsTheVersionsTheyWere() {
    Cart unchanged = new Cart(List.of(line("p1", 2)), CHECKOUT);
    Cart emptied = unchanged.checkedOut(Map.of("p1", 2), LATER);
    assertThat(emptied.clearedAt()).isEqualTo(LATER);
    assertThat(Cart.fromStorage(emptied.toStorage())).isEqualTo(emptied);

    Cart changed = new Cart(List.of(line("p1", 2), line("p2", 3)), LATER);
    Cart bought = changed.checkedOut(Map.of("p1", 2), CHECKOUT);
    assertThat(bought.removed()).containsOnlyKeys("p1");
    assertThat(bought.removed().get("p1")).isAfter(CHECKOUT).isBefore(LATER);
    assertThat(bought.clearedAt()).isNull();
  }
}
