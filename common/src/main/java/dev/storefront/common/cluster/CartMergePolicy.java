package dev.storefront.common.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the two versions of a cart that the two sides of a healed network partition hold become one:
 * line by line, so that a change either side acknowledged survives. Hazelcast runs it on the data
 * member that owns the entry, and any data member (cart or gateway) may: so it lives here, and
 * reads the cart's stored JSON without the cart's classes.
 *
 * <p>The stored form it reads and writes (version 2; version 1 lacks the times per line and the
 * deletions):
 *
 * <pre>
 * {"v": 2,
 *  "items": [{"productId": "…", "changedAt": "instant", …the line's other fields…}],
 *  "removed": {"productId": "instant the line was removed"},
 *  "clearedAt": "instant every line changed at or before was removed",
 *  "updatedAt": "instant"}
 * </pre>
 *
 * <p>Per product, the latest event wins: the version of the line changed last, unless the line was
 * removed at or after that (a removal on one side is not undone by the older line the other side
 * still holds), or the cart was cleared at or after it (emptied by the shopper or by a confirmed
 * order). Lines keep their order, the more recently updated side's first. Merging is commutative,
 * and merging a version with itself gives the same cart.
 */
public final class CartMergePolicy
    implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

  /** The stored form this policy writes. */
  public static final int STORAGE_VERSION = 2;

  private static final Comparator<Instant> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /**
   * Needs nothing but the two values, so it asks for no more than {@link MergingValue}: a map
   * policy that asks for Hazelcast's full map entry view needs per-entry statistics kept.
   */
  @Override
  public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    if (merging.getValue() instanceof String theirs && existing.getValue() instanceof String ours) {
      return merge(ours, theirs);
    }
    // Not a cart: keep what the larger side holds, as Hazelcast's default policy would.
    return existing.getRawValue();
  }

  /** The two stored versions of one cart as one stored version. */
  public static String merge(String one, String other) {
    JsonObject a = parse(one);
    JsonObject b = parse(other);
    if (a == null || b == null) {
      // A version that cannot be read loses to one that can; two unreadable keep the first.
      return a == null && b != null ? other : one;
    }
    Instant updatedA = instant(a.getValue("updatedAt"));
    Instant updatedB = instant(b.getValue("updatedAt"));
    // The side updated last lists its lines first; ties by content, so the result is the same
    // whichever side merges into which.
    boolean aFirst =
        compare(updatedA, updatedB) != 0
            ? compare(updatedA, updatedB) > 0
            : a.encode().compareTo(b.encode()) >= 0;
    JsonObject first = aFirst ? a : b;
    JsonObject second = aFirst ? b : a;

    Instant clearedAt = latest(instant(a.getValue("clearedAt")), instant(b.getValue("clearedAt")));
    Map<String, Instant> removed = new TreeMap<>();
    collectRemoved(a, removed);
    collectRemoved(b, removed);

    Map<String, JsonObject> lines = new LinkedHashMap<>();
    Map<String, Instant> changed = new LinkedHashMap<>();
    for (JsonObject side : new JsonObject[] {first, second}) {
      Instant sideUpdated = instant(side.getValue("updatedAt"));
      for (Object item : side.getJsonArray("items", new JsonArray())) {
        if (!(item instanceof JsonObject line) || !(line.getValue("productId") instanceof String)) {
          continue;
        }
        String productId = line.getString("productId");
        Instant at = changedAt(line, sideUpdated);
        JsonObject held = lines.get(productId);
        if (held == null || later(at, line, changed.get(productId), held)) {
          JsonObject kept = line.copy();
          if (at != null) {
            kept.put("changedAt", at.toString());
          }
          lines.put(productId, kept);
          changed.put(productId, at);
        }
      }
    }

    JsonArray items = new JsonArray();
    lines.forEach(
        (productId, line) -> {
          Instant at = changed.get(productId);
          Instant removedAt = removed.get(productId);
          boolean gone =
              (removedAt != null && (at == null || !removedAt.isBefore(at)))
                  || (clearedAt != null && (at == null || !clearedAt.isBefore(at)));
          if (!gone) {
            items.add(line);
            // The line outlives the removal: the removal can drop nothing the merge keeps.
            removed.remove(productId);
          }
        });
    // A removal the clearing covers says nothing more.
    if (clearedAt != null) {
      removed.values().removeIf(at -> !at.isAfter(clearedAt));
    }

    JsonObject merged = new JsonObject().put("v", STORAGE_VERSION).put("items", items);
    if (!removed.isEmpty()) {
      JsonObject tombstones = new JsonObject();
      removed.forEach((productId, at) -> tombstones.put(productId, at.toString()));
      merged.put("removed", tombstones);
    }
    if (clearedAt != null) {
      merged.put("clearedAt", clearedAt.toString());
    }
    Instant updatedAt = latest(updatedA, updatedB);
    if (updatedAt != null) {
      merged.put("updatedAt", updatedAt.toString());
    }
    return merged.encode();
  }

  /** When a line last changed: its own time, or for the first stored form its cart's. */
  private static Instant changedAt(JsonObject line, Instant cartUpdatedAt) {
    Instant own = instant(line.getValue("changedAt"));
    if (own != null) {
      return own;
    }
    return cartUpdatedAt != null ? cartUpdatedAt : instant(line.getValue("pricedAt"));
  }

  /** Whether {@code line} changed after {@code held}; equal times are ordered by content. */
  private static boolean later(Instant at, JsonObject line, Instant heldAt, JsonObject held) {
    int byTime = compare(at, heldAt);
    if (byTime != 0) {
      return byTime > 0;
    }
    return line.encode().compareTo(held.encode()) > 0;
  }

  private static void collectRemoved(JsonObject cart, Map<String, Instant> removed) {
    if (!(cart.getValue("removed") instanceof JsonObject tombstones)) {
      return;
    }
    for (Map.Entry<String, Object> tombstone : tombstones) {
      Instant at = instant(tombstone.getValue());
      if (at != null) {
        removed.merge(tombstone.getKey(), at, CartMergePolicy::latest);
      }
    }
  }

  private static JsonObject parse(String stored) {
    try {
      JsonObject json = new JsonObject(stored);
      int version = json.getValue("v") instanceof Number v ? v.intValue() : 0;
      return version >= 1 && version <= STORAGE_VERSION ? json : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static Instant instant(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int compare(Instant a, Instant b) {
    return NULLS_FIRST.compare(a, b);
  }

  private static Instant latest(Instant a, Instant b) {
    return compare(a, b) >= 0 ? a : b;
  }

  // Stateless: Hazelcast ships the policy to the members that merge, and there is nothing to ship.
  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
