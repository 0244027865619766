package dev.storefront.catalog.model;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A product as the catalog serves it. Prices are in minor units (cents) of {@code currency}. */
public record Product(
    UUID id,
    String sku,
    String name,
    String description,
    String category,
    long priceMinor,
    String currency,
    int stock,
    int version,
    OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("sku", sku)
        .put("name", name)
        .put("description", description)
        .put("category", category)
        .put("price", new JsonObject().put("amountMinor", priceMinor).put("currency", currency))
        .put("stock", stock)
        .put("version", version)
        .put("updatedAt", updatedAt.toString());
  }
}
