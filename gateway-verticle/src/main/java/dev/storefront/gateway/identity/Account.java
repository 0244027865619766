package dev.storefront.gateway.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** A shopper's or operator's account. The password hash never leaves the identity package. */
public record Account(UUID id, String email, List<String> roles, String passwordHash) {

  /** What a client may see. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("email", email)
        .put("roles", new JsonArray(roles));
  }

  @Override
  public String toString() {
    return "Account[id=" + id + ", email=" + email + ", roles=" + roles + "]";
  }
}
