package dev.storefront.cart.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.CartMergePolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two versions of a cart that the two sides of a healed network partition hold, merged by the
 * cluster's merge policy: every change either side acknowledged is in the result.
 */
class CartMergeTest {

  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  private static final Money EUR = new Money(1000, "EUR");
  private static final int MAX_LINES = 100;

  /** The cart both sides held when the partition began. */
  private static final Cart BEFORE =
      Cart.empty()
          .withLine("p1", "Book", EUR, 1, T0, MAX_LINES)
          .withLine("p2", "Pen", EUR, 2, T0, MAX_LINES);

  private static Cart merged(Cart one, Cart other) {
    Cart ab = Cart.fromStorage(CartMergePolicy.merge(one.toStorage(), other.toStorage()));
    Cart ba = Cart.fromStorage(CartMergePolicy.merge(other.toStorage(), one.toStorage()));
    assertThat(ab).as("the same whichever side merges into which").isEqualTo(ba);
    return ab;
  }

  private static Map<String, Integer> quantities(Cart cart) {
    Map<String, Integer> quantities = new HashMap<>();
    cart.lines().forEach(l -> quantities.put(l.productId(), l.quantity()));
    return quantities;
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void linesAddedOnEitherSideAreAllKept() {
    Cart majority = BEFORE.withLine("p3", "Ink", EUR, 1, at(10), MAX_LINES);
    Cart minority = BEFORE.withLine("p4", "Lamp", EUR, 4, at(5), MAX_LINES);

    Cart cart = merged(majority, minority);

    assertThat(quantities(cart)).isEqualTo(Map.of("p1", 1, "p2", 2, "p3", 1, "p4", 4));
    assertThat(cart.lines()).extracting(CartLine::productId).startsWith("p1", "p2", "p3");
    assertThat(cart.updatedAt()).isEqualTo(majority.updatedAt());
  }

  @Test
  void aLineSetOnBothSidesEndsAsItWasSetLast() {
    Cart early = BEFORE.withLine("p1", "Book", EUR, 5, at(5), MAX_LINES);
    Cart late = BEFORE.withLine("p1", "Book", EUR, 7, at(9), MAX_LINES);

    assertThat(quantities(merged(early, late))).isEqualTo(Map.of("p1", 7, "p2", 2));
  }

  @Test
  void aLineRemovedOnOneSideIsNotBroughtBackByTheOther() {
    Cart removedHere = BEFORE.without("p2", at(5));

    Cart cart = merged(removedHere, BEFORE);

    assertThat(quantities(cart)).isEqualTo(Map.of("p1", 1));
    assertThat(cart.removed()).containsOnlyKeys("p2");
  }

  @Test
  void aLineSetAgainAfterItsRemovalOnTheOtherSideStays() {
    Cart removedHere = BEFORE.without("p2", at(5));
    Cart setThere = BEFORE.withLine("p2", "Pen", EUR, 9, at(8), MAX_LINES);

    Cart cart = merged(removedHere, setThere);

    assertThat(quantities(cart)).isEqualTo(Map.of("p1", 1, "p2", 9));
    assertThat(cart.removed()).isEmpty();
  }

  @Test
  void aCartClearedOnOneSideKeepsOnlyWhatTheOtherSideAddedAfterwards() {
    Cart cleared = BEFORE.cleared(at(5));
    Cart other =
        BEFORE
            .withLine("p3", "Ink", EUR, 1, at(3), MAX_LINES)
            .withLine("p4", "Lamp", EUR, 2, at(8), MAX_LINES);

    Cart cart = merged(cleared, other);

    assertThat(quantities(cart)).isEqualTo(Map.of("p4", 2));
    assertThat(cart.clearedAt()).isEqualTo(at(5));
  }

  @Test
  void aConfirmedOrderStillEmptiesTheCartAfterTheMerge() {
    Cart ordered = BEFORE.checkedOut(Map.of("p1", 1, "p2", 2), BEFORE.updatedAt());
    assertThat(ordered.isEmpty()).isTrue();

    // The other side still holds the cart as it was when the order read it.
    assertThat(merged(ordered, BEFORE).isEmpty()).isTrue();
    // A line the shopper added there after the order keeps.
    Cart addedAfter = BEFORE.withLine("p3", "Ink", EUR, 1, at(30), MAX_LINES);
    assertThat(quantities(merged(ordered, addedAfter))).isEqualTo(Map.of("p3", 1));
  }

  @Test
  void linesBoughtOutOfACartChangedSinceCheckoutStayBoughtButNewerVersionsStay() {
    Cart changed = BEFORE.withLine("p3", "Ink", EUR, 1, at(10), MAX_LINES);
    Cart ordered = changed.checkedOut(Map.of("p1", 1, "p2", 2), BEFORE.updatedAt());
    assertThat(quantities(ordered)).isEqualTo(Map.of("p3", 1));

    assertThat(quantities(merged(ordered, BEFORE))).isEqualTo(Map.of("p3", 1));
    Cart raisedThere = BEFORE.withLine("p2", "Pen", EUR, 6, at(20), MAX_LINES);
    assertThat(quantities(merged(ordered, raisedThere))).isEqualTo(Map.of("p2", 6, "p3", 1));
  }

  @Test
  void aCartInTheFirstStoredFormMergesWithTheCurrentOne() {
    String first =
        "{\"v\":1,\"items\":[{\"productId\":\"p1\",\"name\":\"Book\",\"quantity\":3,"
            + "\"unitPrice\":{\"amountMinor\":1000,\"currency\":\"EUR\"},\"pricedAt\":\""
            + T0
            + "\"}],\"updatedAt\":\""
            + T0
            + "\"}";
    Cart current = Cart.fromStorage(first).withLine("p5", "Cup", EUR, 1, at(4), MAX_LINES);

    Cart cart = Cart.fromStorage(CartMergePolicy.merge(first, current.toStorage()));

    assertThat(quantities(cart)).isEqualTo(Map.of("p1", 3, "p5", 1));
  }

  @Test
  void mergingAVersionWithItselfGivesTheSameCart() {
    Cart cart = BEFORE.without("p1", at(2)).withLine("p3", "Ink", EUR, 1, at(3), MAX_LINES);

    assertThat(merged(cart, cart)).isEqualTo(cart);
  }
}
