package dev.storefront.cart.model;

import dev.storefront.common.cluster.CartMergePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>A cart also remembers what it no longer holds: when each removed line went ({@code removed})
 * and when it was last emptied ({@code clearedAt}, every line changed at or before then is gone).
 * After a network partition the two sides' versions of a cart are merged line by line ({@link
 * CartMergePolicy}), and without these a line removed on one side would come back from the other.
 * Every change is stamped later than anything the cart already holds, so the changes to one cart
 * stay in order even between members whose clocks disagree a little.
 *
 * <p>Stored as a JSON string of plain JDK types, because any member of the cluster (gateway,
 * catalog) may hold the entry and none of them has the cart's classes.
 */
public record Cart(
    List<CartLine> lines, Instant updatedAt, Map<String, Instant> removed, Instant clearedAt) {

  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 99;

  /** The version of the stored form (the merge policy's), so a later form can still read this. */
  static final int STORAGE_VERSION = CartMergePolicy.STORAGE_VERSION;

  /**
   * How long a removed line is remembered. A partition that lasts longer may bring such a line back
   * from the other side's version when it heals; remembering every removal forever would grow the
   * cart without bound.
   */
  static final Duration REMOVAL_MEMORY = Duration.ofDays(1);

  /** The smallest step between two changes of one cart. */
  private static final Duration TICK = Duration.ofNanos(1_000);

  public Cart {
    lines = List.copyOf(lines);
    removed = Map.copyOf(removed);
  }

  /** A cart of lines that nothing was ever removed from. */
  public Cart(List<CartLine> lines, Instant updatedAt) {
    this(lines, updatedAt, Map.of(), null);
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
    Instant at = stamp(now);
    CartLine line = new CartLine(productId, name, unitPrice, quantity, now, at);
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
    Map<String, Instant> stillRemoved = new HashMap<>(removed);
    stillRemoved.remove(productId);
    return new Cart(next, at, remembered(stillRemoved, at), clearedAt);
  }

  /** This cart without the product's line; this very cart when it has no such line. */
  public Cart without(String productId, Instant now) {
    if (line(productId).isEmpty()) {
      return this;
    }
    Instant at = stamp(now);
    Map<String, Instant> nowRemoved = new HashMap<>(removed);
    nowRemoved.put(productId, at);
    return new Cart(
        lines.stream().filter(l -> !l.productId().equals(productId)).toList(),
        at,
        remembered(nowRemoved, at),
        clearedAt);
  }

  /** This cart emptied by the shopper; this very cart when it has no lines. */
  public Cart cleared(Instant now) {
    if (isEmpty()) {
      return this;
    }
    Instant at = stamp(now);
    return new Cart(List.of(), at, Map.of(), at);
  }

  /**
   * This cart once an order placed from it is confirmed. {@code checkedOutAt} is when the cart had
   * last changed as the order read it: a cart not changed since goes entirely (the empty cart); one
   * changed since (or when either time is unknown) loses only the lines the order bought, product
   * and quantity alike, and keeps what the shopper added or changed afterwards. This very cart when
   * nothing goes, so applying a confirmation again changes nothing.
   *
   * <p>An emptied cart is cleared as of {@code checkedOutAt}, so that a version of the cart from
   * the other side of a partition loses the lines the order read too, but keeps lines changed after
   * it; a line bought out of a cart changed since is removed as the very version it is, so a newer
   * version of it elsewhere stays.
   *
   * @param ordered quantity per product id, as the order holds them
   */
  public Cart checkedOut(Map<String, Integer> ordered, Instant checkedOutAt) {
    if (isEmpty()) {
      return this;
    }
    if (checkedOutAt != null && updatedAt != null && !updatedAt.isAfter(checkedOutAt)) {
      Instant cleared =
          clearedAt == null || checkedOutAt.isAfter(clearedAt) ? checkedOutAt : clearedAt;
      return new Cart(List.of(), updatedAt, withoutCleared(removed, cleared), cleared);
    }
    List<CartLine> kept = new ArrayList<>();
    Map<String, Instant> nowRemoved = new HashMap<>(removed);
    for (CartLine line : lines) {
      if (Integer.valueOf(line.quantity()).equals(ordered.get(line.productId()))) {
        nowRemoved.merge(line.productId(), line.changedAt().plus(TICK), Cart::later);
      } else {
        kept.add(line);
      }
    }
    if (kept.size() == lines.size()) {
      return this;
    }
    // Not the shopper's change: the cart keeps the time of their last one.
    return new Cart(kept, updatedAt, nowRemoved, clearedAt);
  }

  /** Every line priced by {@code current} where it knows the product; the rest as they are. */
  public Cart repriced(Function<CartLine, Optional<CartLine>> current) {
    return new Cart(
        lines.stream().map(l -> current.apply(l).orElse(l)).toList(),
        updatedAt,
        removed,
        clearedAt);
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

  /**
   * The time of a change made {@code now}: later than every time the cart holds, so that a change
   * always supersedes what it was applied to, whatever the clock of the member that applies it.
   */
  private Instant stamp(Instant now) {
    Instant latest = updatedAt;
    latest = later(latest, clearedAt);
    for (CartLine line : lines) {
      latest = later(latest, line.changedAt());
    }
    for (Instant at : removed.values()) {
      latest = later(latest, at);
    }
    return latest == null || now.isAfter(latest) ? now : latest.plus(TICK);
  }

  /** The removals still worth remembering at {@code now}. */
  private static Map<String, Instant> remembered(Map<String, Instant> removed, Instant now) {
    Instant horizon = now.minus(REMOVAL_MEMORY);
    Map<String, Instant> kept = new HashMap<>(removed);
    kept.values().removeIf(at -> at.isBefore(horizon));
    return kept;
  }

  private static Map<String, Instant> withoutCleared(
      Map<String, Instant> removed, Instant cleared) {
    Map<String, Instant> kept = new HashMap<>(removed);
    kept.values().removeIf(at -> !at.isAfter(cleared));
    return kept;
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || !b.isAfter(a) ? a : b;
  }

  /** The stored form: a JSON string (see {@link CartMergePolicy} for its shape). */
  public String toStorage() {
    JsonArray items = new JsonArray();
    lines.forEach(l -> items.add(l.toStorage()));
    JsonObject json = new JsonObject().put("v", STORAGE_VERSION).put("items", items);
    if (!removed.isEmpty()) {
      JsonObject tombstones = new JsonObject();
      new TreeMap<>(removed).forEach((productId, at) -> tombstones.put(productId, at.toString()));
      json.put("removed", tombstones);
    }
    if (clearedAt != null) {
      json.put("clearedAt", clearedAt.toString());
    }
    if (updatedAt != null) {
      json.put("updatedAt", updatedAt.toString());
    }
    return json.encode();
  }

  /**
   * The cart a stored JSON string holds, in this form or the first one (without times per line and
   * removals: its lines count as changed when the cart was).
   */
  public static Cart fromStorage(String stored) {
    JsonObject json = new JsonObject(stored);
    int version = json.getInteger("v", 0);
    if (version < 1 || version > STORAGE_VERSION) {
      throw new IllegalArgumentException("unknown stored cart version " + version);
    }
    Instant updatedAt = instant(json.getString("updatedAt"));
    List<CartLine> lines = new ArrayList<>();
    for (Object item : json.getJsonArray("items", new JsonArray())) {
      lines.add(CartLine.fromStorage((JsonObject) item, updatedAt));
    }
    Map<String, Instant> removed = new HashMap<>();
    JsonObject tombstones = json.getJsonObject("removed", new JsonObject());
    for (String productId : tombstones.fieldNames()) {
      removed.put(productId, Instant.parse(tombstones.getString(productId)));
    }
    return new Cart(lines, updatedAt, removed, instant(json.getString("clearedAt")));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
