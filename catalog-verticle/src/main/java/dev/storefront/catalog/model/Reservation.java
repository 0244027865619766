package dev.storefront.catalog.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The stock held for one order: reserved, then committed (sold) or released (back in stock). */
public record Reservation(
    UUID orderId,
    Status status,
    List<Item> items,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public enum Status {
    RESERVED,
    COMMITTED,
    RELEASED;

    public String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status ofDb(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Units of one product. */
  public record Item(UUID productId, int quantity) {

    public JsonObject toJson() {
      return new JsonObject().put("productId", productId.toString()).put("quantity", quantity);
    }
  }

  public Reservation {
    items = List.copyOf(items);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("status", status.dbValue())
        .put("items", new JsonArray(items.stream().map(Item::toJson).toList()))
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
