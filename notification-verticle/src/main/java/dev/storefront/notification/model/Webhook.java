package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An account's webhook. The secret never leaves the service after the webhook's creation. */
public record Webhook(
    UUID id,
    String accountId,
    String url,
    String description,
    String secret,
    boolean active,
    String disabledReason,
    OffsetDateTime createdAt) {

  /** As the API lists it: without the secret. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("url", url)
            .put("description", description)
            .put("createdAt", createdAt.toInstant().toString())
            .put("active", active);
    if (disabledReason != null) {
      json.put("disabledReason", disabledReason);
    }
    return json;
  }

  /** As the creation answers it: the only time the secret is shown. */
  public JsonObject toJsonWithSecret() {
    return new JsonObject()
        .put("id", id.toString())
        .put("url", url)
        .put("description", description)
        .put("secret", secret)
        .put("createdAt", createdAt.toInstant().toString())
        .put("active", active);
  }

  @Override
  public String toString() {
    return "Webhook[" + id + ", " + accountId + ", " + url + ", active=" + active + "]";
  }
}
