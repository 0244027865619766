package dev.storefront.notification.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/** A delivery about to enter the log, {@code pending} or, for the in-app feed, {@code sent}. */
public record NewDelivery(
    UUID id,
    UUID eventId,
    Channel channel,
    String destination,
    String kind,
    String accountId,
    UUID orderId,
    JsonObject payload,
    DeliveryStatus status) {

  public NewDelivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(status, "status");
  }
}
