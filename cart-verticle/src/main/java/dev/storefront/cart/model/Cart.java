package dev.storefront.cart.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One user's cart: its lines in the order they were first added, and when it last changed ({@code
 * null} for a cart never written). Immutable; every change returns a new cart, which the repository
 * then swaps in atomically.
 *
 * <p>Stored as a JSON string of plain JDK types, because any member of the cluster (gateway,
 * catalog) may hold the entry and none of them has the cart's classes.
 */
public record Cart(List<CartLine> lines, Instant updatedAt) {

  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 99;

  /** The version of the stored form, so a later form can still read carts written by this one. */
  static final int STORAGE_VERSION = 1;

  public Cart {
    lines = List.copyOf(lines);
  }

  public static Cart empty() {
    return new Cart(List.of(), null);
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  public Optional<CartLine> line(String productId) {
    return lines.stream().filter(l -> l.productId().equals(productId)).findFirst();
  }

  /**
   * This cart with {@code quantity} of the product at the given name and price: a new line at the
   * end, or the existing line in its place with the new quantity and price.
   *
   * @throws CartRuleException when a new line would exceed {@code maxLines}, or the price is in
   *     another currency than the cart's other lines
   */
  public Cart withLine(
      String productId, String name, Money unitPrice, int quantity, Instant now, int maxLines) {
    CartLine line = new CartLine(productId, name, unitPrice, quantity, now);
    List<CartLine> next = new ArrayList<>(lines.size() + 1);
    boolean replaced = false;
    for (CartLine existing : lines) {
      if (existing.productId().equals(productId)) {
        next.add(line);
        replaced = true;
      } else {
        if (!existing.unitPrice().currency().equals(unitPrice.currency())) {
          throw new CartRuleException(
              CartRuleException.Rule.CURRENCY_MISMATCH,
              "The product is priced in "
                  + unitPrice.currency()
                  + " and the cart in "
                  + existing.unitPrice().currency()
                  + "; one cart holds one currency");
        }
        next.add(existing);
      }
    }
    if (!replaced) {
      if (lines.size() >= maxLines) {
        throw new CartRuleException(
            CartRuleException.Rule.TOO_MANY_LINES,
            "A cart holds at most " + maxLines + " different products");
      }
      next.add(line);
    }
    return new Cart(next, now);
  }

  /** This cart without the product's line; this very cart when it has no such line. */
  public Cart without(String productId, Instant now) {
    if (line(productId).isEmpty()) {
      return this;
    }
    return new Cart(lines.stream().filter(l -> !l.productId().equals(productId)).toList(), now);
  }

  /**
   * This cart once an order placed from it is confirmed. {@code checkedOutAt} is when the cart had
   * last changed as the order read it: a cart not changed since goes entirely (the empty cart); one
   * changed since (or when either time is unknown) loses only the lines the order bought, product
   * and quantity alike, and keeps what the shopper added or changed afterwards. This very cart when
   * nothing goes, so applying a confirmation again changes nothing.
   *
   * @param ordered quantity per product id, as the order holds them
   */
  public Cart checkedOut(Map<String, Integer> ordered, Instant checkedOutAt) {
    if (isEmpty()) {
      return this;
    }
    if (checkedOutAt != null && updatedAt != null && !updatedAt.isAfter(checkedOutAt)) {
      return empty();
    }
    List<CartLine> kept =
        lines.stream()
            .filter(l -> !Integer.valueOf(l.quantity()).equals(ordered.get(l.productId())))
            .toList();
    if (kept.size() == lines.size()) {
      return this;
    }
    // Not the shopper's change: the cart keeps the time of their last one.
    return kept.isEmpty() ? empty() : new Cart(kept, updatedAt);
  }

  /** Every line priced by {@code current} where it knows the product; the rest as they are. */
  public Cart repriced(Function<CartLine, Optional<CartLine>> current) {
    return new Cart(lines.stream().map(l -> current.apply(l).orElse(l)).toList(), updatedAt);
  }

  /** How many pieces, all lines together. */
  public int itemCount() {
    return lines.stream().mapToInt(CartLine::quantity).sum();
  }

  /** The sum of the line totals per currency, ordered by currency code. */
  public Map<String, Money> totals() {
    Map<String, Money> totals = new TreeMap<>();
    for (CartLine line : lines) {
      totals.merge(line.unitPrice().currency(), line.lineTotal(), Money::plus);
    }
    return totals;
  }

  /** The stored form: a JSON string. */
  public String toStorage() {
    JsonArray items = new JsonArray();
    lines.forEach(l -> items.add(l.toStorage()));
    JsonObject json = new JsonObject().put("v", STORAGE_VERSION).put("items", items);
    if (updatedAt != null) {
      json.put("updatedAt", updatedAt.toString());
    }
    return json.encode();
  }

  /** The cart a stored JSON string holds. */
  public static Cart fromStorage(String stored) {
    JsonObject json = new JsonObject(stored);
    int version = json.getInteger("v", 0);
    if (version != STORAGE_VERSION) {
      throw new IllegalArgumentException("unknown stored cart version " + version);
    }
    List<CartLine> lines = new ArrayList<>();
    for (Object item : json.getJsonArray("items", new JsonArray())) {
      lines.add(CartLine.fromStorage((JsonObject) item));
    }
    String updatedAt = json.getString("updatedAt");
    return new Cart(lines, updatedAt == null ? null : Instant.parse(updatedAt));
  }
}
