package dev.storefront.catalog.model;

import io.vertx.core.json.JsonObject;

/** A category products belong to, named in the API by its slug. */
public record Category(String slug, String name) {

  public JsonObject toJson() {
    return new JsonObject().put("slug", slug).put("name", name);
  }
}
