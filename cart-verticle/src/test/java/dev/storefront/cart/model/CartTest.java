package dev.storefront.cart.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CartTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");
  private static final Instant T1 = T0.plusSeconds(60);
  private static final String P1 = "11111111-1111-1111-1111-111111111111";
  private static final String P2 = "22222222-2222-2222-2222-222222222222";
  private static final String P3 = "33333333-3333-3333-3333-333333333333";
  private static final Money EUR_1999 = new Money(1999, "EUR");
  private static final Money EUR_500 = new Money(500, "EUR");

  @Test
  void settingAQuantityAddsALineOrReplacesTheExistingOneInPlace() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 2, T0, 100)
            .withLine(P2, "Pen", EUR_500, 1, T0, 100)
            .withLine(P1, "Book, 2nd ed.", new Money(2499, "EUR"), 5, T1, 100);

    assertThat(cart.lines()).extracting(CartLine::productId).containsExactly(P1, P2);
    CartLine book = cart.line(P1).orElseThrow();
    assertThat(book.quantity()).isEqualTo(5);
    assertThat(book.name()).isEqualTo("Book, 2nd ed.");
    assertThat(book.unitPrice()).isEqualTo(new Money(2499, "EUR"));
    assertThat(cart.updatedAt()).isEqualTo(T1);
  }

  @Test
  void totalsAndItemCountAddUpEveryLine() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 3, T0, 100)
            .withLine(P2, "Pen", EUR_500, 2, T0, 100);

    assertThat(cart.itemCount()).isEqualTo(5);
    assertThat(cart.line(P1).orElseThrow().lineTotal()).isEqualTo(new Money(5997, "EUR"));
    assertThat(cart.totals()).containsExactly(java.util.Map.entry("EUR", new Money(6997, "EUR")));
    assertThat(Cart.empty().totals()).isEmpty();
    assertThat(Cart.empty().itemCount()).isZero();
  }

  @Test
  void quantitiesOutsideOneToNinetyNineAreRefused() {
    assertThatThrownBy(() -> Cart.empty().withLine(P1, "Book", EUR_1999, 0, T0, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cart.empty().withLine(P1, "Book", EUR_1999, -1, T0, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cart.empty().withLine(P1, "Book", EUR_1999, 100, T0, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Cart.empty().withLine(P1, "Book", EUR_1999, 99, T0, 100).itemCount()).isEqualTo(99);
    assertThat(Cart.empty().withLine(P1, "Book", EUR_1999, 1, T0, 100).itemCount()).isEqualTo(1);
  }

  @Test
  void aFullCartRefusesANewProductButStillChangesItsLines() {
    Cart full =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 1, T0, 2)
            .withLine(P2, "Pen", EUR_500, 1, T0, 2);

    assertThatThrownBy(() -> full.withLine(P3, "Ink", EUR_500, 1, T1, 2))
        .isInstanceOfSatisfying(
            CartRuleException.class,
            e -> assertThat(e.rule()).isEqualTo(CartRuleException.Rule.TOO_MANY_LINES));
    assertThat(full.withLine(P2, "Pen", EUR_500, 7, T1, 2).line(P2).orElseThrow().quantity())
        .isEqualTo(7);
  }

  @Test
  void aProductInAnotherCurrencyIsRefused() {
    Cart euros = Cart.empty().withLine(P1, "Book", EUR_1999, 1, T0, 100);

    assertThatThrownBy(() -> euros.withLine(P2, "Pen", new Money(500, "USD"), 1, T1, 100))
        .isInstanceOfSatisfying(
            CartRuleException.class,
            e -> assertThat(e.rule()).isEqualTo(CartRuleException.Rule.CURRENCY_MISMATCH));
    // The only line may change currency: nothing else in the cart disagrees.
    assertThat(euros.withLine(P1, "Book", new Money(2100, "USD"), 1, T1, 100).totals())
        .containsOnlyKeys("USD");
  }

  @Test
  void totalsAreKeptPerCurrencyWhenRepricingMixedThem() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 1, T0, 100)
            .withLine(P2, "Pen", EUR_500, 2, T0, 100);

    Cart repriced =
        cart.repriced(
            line ->
                line.productId().equals(P2)
                    ? Optional.of(line.repriced("Pen", new Money(450, "USD"), T1))
                    : Optional.empty());

    assertThat(repriced.totals())
        .containsExactly(
            java.util.Map.entry("EUR", EUR_1999),
            java.util.Map.entry("USD", new Money(900, "USD")));
    assertThat(repriced.updatedAt()).as("repricing is not a change").isEqualTo(cart.updatedAt());
    assertThat(repriced.line(P2).orElseThrow().changedAt())
        .isEqualTo(cart.line(P2).orElseThrow().changedAt());
  }

  @Test
  void removingALineLeavesTheOthersAndRemovingAnAbsentOneChangesNothing() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 1, T0, 100)
            .withLine(P2, "Pen", EUR_500, 1, T0, 100);

    Cart without = cart.without(P1, T1);

    assertThat(without.lines()).extracting(CartLine::productId).containsExactly(P2);
    assertThat(without.updatedAt()).isEqualTo(T1);
    assertThat(cart.without(P3, T1)).isSameAs(cart);
  }

  @Test
  void theStoredFormIsPlainJsonThatReadsBackToTheSameCart() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book \"quoted\" ünïcode", EUR_1999, 3, T0, 100)
            .withLine(P2, "Pen", EUR_500, 1, T1, 100);

    String stored = cart.toStorage();

    assertThat(Cart.fromStorage(stored)).isEqualTo(cart);
    JsonObject json = new JsonObject(stored);
    assertThat(json.getInteger("v")).isEqualTo(2);
    assertThat(json.getString("updatedAt")).isEqualTo(T1.toString());
    JsonObject first = json.getJsonArray("items").getJsonObject(0);
    assertThat(first.getString("productId")).isEqualTo(P1);
    assertThat(first.getString("changedAt")).isEqualTo(T0.toString());
    assertThat(first.getInteger("quantity")).isEqualTo(3);
    assertThat(first.getJsonObject("unitPrice"))
        .isEqualTo(new JsonObject().put("amountMinor", 1999).put("currency", "EUR"));
    // The same cart always encodes to the same string: compare-and-set relies on it.
    assertThat(Cart.fromStorage(stored).toStorage()).isEqualTo(stored);
  }

  @Test
  void anUnknownStoredVersionIsNotMisread() {
    assertThatThrownBy(() -> Cart.fromStorage("{\"v\":3,\"items\":[]}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCartStoredInTheFirstFormReadsWithItsLinesChangedWhenTheCartWas() {
    String first =
        "{\"v\":1,\"items\":[{\"productId\":\""
            + P1
            + "\",\"name\":\"Book\",\"quantity\":2,"
            + "\"unitPrice\":{\"amountMinor\":1999,\"currency\":\"EUR\"},\"pricedAt\":\""
            + T0
            + "\"}],\"updatedAt\":\""
            + T1
            + "\"}";

    Cart cart = Cart.fromStorage(first);

    assertThat(cart.line(P1).orElseThrow().quantity()).isEqualTo(2);
    assertThat(cart.line(P1).orElseThrow().changedAt()).isEqualTo(T1);
    assertThat(cart.removed()).isEmpty();
    assertThat(cart.clearedAt()).isNull();
    // Rewritten in the current form on its next change.
    Cart changed = cart.withLine(P2, "Pen", EUR_500, 1, T1.plusSeconds(1), 100);
    assertThat(new JsonObject(changed.toStorage()).getInteger("v")).isEqualTo(2);
    assertThat(Cart.fromStorage(changed.toStorage())).isEqualTo(changed);
  }

  @Test
  void aRemovedLineAndAClearedCartAreRememberedInTheStoredForm() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 1, T0, 100)
            .withLine(P2, "Pen", EUR_500, 1, T0, 100)
            .without(P1, T1);

    assertThat(cart.removed()).containsOnlyKeys(P1);
    assertThat(cart.removed().get(P1)).isEqualTo(T1);
    assertThat(Cart.fromStorage(cart.toStorage())).isEqualTo(cart);

    Cart cleared = cart.cleared(T1.plusSeconds(1));
    assertThat(cleared.isEmpty()).isTrue();
    assertThat(cleared.clearedAt()).isEqualTo(T1.plusSeconds(1));
    assertThat(cleared.removed()).as("the clearing covers the removal").isEmpty();
    assertThat(Cart.fromStorage(cleared.toStorage())).isEqualTo(cleared);
    assertThat(cleared.cleared(T1.plusSeconds(2))).as("nothing left to clear").isSameAs(cleared);

    Cart again = cart.withLine(P1, "Book", EUR_1999, 2, T1.plusSeconds(5), 100);
    assertThat(again.removed()).as("the line is back").isEmpty();
  }

  @Test
  void everyChangeIsStampedAfterWhatTheCartHoldsEvenWhenTheClockIsBehind() {
    Cart cart = Cart.empty().withLine(P1, "Book", EUR_1999, 1, T1, 100);

    // A member whose clock is a minute behind the one that wrote the cart.
    Cart changed = cart.withLine(P1, "Book", EUR_1999, 3, T0, 100);
    Cart removed = changed.without(P1, T0);

    assertThat(changed.line(P1).orElseThrow().changedAt()).isAfter(T1);
    assertThat(changed.updatedAt()).isAfter(cart.updatedAt());
    assertThat(removed.removed().get(P1)).isAfter(changed.line(P1).orElseThrow().changedAt());
    assertThat(removed.updatedAt()).isAfter(changed.updatedAt());
  }

  @Test
  void aRemovalIsForgottenOnceOlderThanTheRemovalMemory() {
    Cart cart =
        Cart.empty()
            .withLine(P1, "Book", EUR_1999, 1, T0, 100)
            .withLine(P2, "Pen", EUR_500, 1, T0, 100)
            .without(P1, T0);

    Cart dayLater = cart.withLine(P3, "Ink", EUR_500, 1, T1.plus(Cart.REMOVAL_MEMORY), 100);

    assertThat(cart.removed()).containsOnlyKeys(P1);
    assertThat(dayLater.removed()).isEmpty();
  }

  @Test
  void moneyRefusesNegativeAmountsAndBadCurrenciesAndOverflow() {
    assertThatThrownBy(() -> new Money(-1, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Money(1, "eur")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Money(Long.MAX_VALUE / 2, "EUR").times(3))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> EUR_500.plus(new Money(1, "USD")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Money.fromJson(new JsonObject().put("amountMinor", 1.5).put("currency", "EUR")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void linesAreCopiedSoACartCannotBeChangedBehindItsBack() {
    List<CartLine> lines = new java.util.ArrayList<>();
    lines.add(new CartLine(P1, "Book", EUR_1999, 1, T0));
    Cart cart = new Cart(lines, T0);

    lines.clear();

    assertThat(cart.lines()).hasSize(1);
  }
}
