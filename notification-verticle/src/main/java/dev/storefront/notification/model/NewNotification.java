package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/**
 * A notification about to enter an account's feed: what the event that caused it means to the
 * account, in words ({@code title}, {@code body}) and as data.
 */
public record NewNotification(
    String accountId,
    UUID eventId,
    NotificationKind kind,
    String title,
    String body,
    UUID orderId,
    JsonObject data) {

  public NewNotification {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    data = data == null ? new JsonObject() : data;
  }
}
