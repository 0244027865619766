package dev.storefront.catalog.http;

import dev.storefront.catalog.model.Reservation;
import dev.storefront.catalog.model.Reservation.Item;
import dev.storefront.catalog.repository.ReservationRepository.Outcome;
import dev.storefront.catalog.service.ReservationService;
import dev.storefront.common.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The internal reservation API the order service calls; not routed by the gateway. */
final class ReservationHandlers {

  static final int MAX_QUANTITY = 1_000_000;

  private final ReservationService reservations;

  ReservationHandlers(ReservationService reservations) {
    this.reservations = reservations;
  }

  /** 201 for a new reservation, 200 when the order already had this one. */
  Future<JsonObject> reserve(RoutingContext ctx) {
    UUID orderId = orderId(ctx, 400);
    List<Item> items = items(JsonBodies.object(ctx));
    return reservations
        .reserve(orderId, items)
        .map(
            outcome -> {
              ctx.response()
                  .setStatusCode(outcome.changed() ? 201 : 200)
                  .putHeader(HttpHeaders.LOCATION, "/internal/reservations/" + orderId);
              return outcome.reservation().toJson();
            });
  }

  Future<JsonObject> commit(RoutingContext ctx) {
    return reservations.commit(orderId(ctx, 404)).map(ReservationHandlers::body);
  }

  Future<JsonObject> release(RoutingContext ctx) {
    return reservations.release(orderId(ctx, 404)).map(ReservationHandlers::body);
  }

  Future<JsonObject> get(RoutingContext ctx) {
    UUID orderId = orderId(ctx, 404);
    return reservations
        .find(orderId)
        .compose(
            found ->
                found
                    .map(r -> Future.succeededFuture(r.toJson()))
                    .orElseGet(() -> Problems.fail(404, "No reservation for order " + orderId)));
  }

  private static JsonObject body(Outcome outcome) {
    return outcome.reservation().toJson();
  }

  private static UUID orderId(RoutingContext ctx, int statusIfMalformed) {
    String raw = ctx.pathParam("orderId");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw statusIfMalformed == 404
          ? Problems.of(404, "No reservation for order " + raw)
          : Problems.of(400, "The order id must be a UUID, got '" + raw + "'");
    }
  }

  /** {@code {"items": [{"productId": uuid, "quantity": n}, ...]}}; 400 when it is not that. */
  static List<Item> items(JsonObject body) {
    if (!(body.getValue("items") instanceof JsonArray array) || array.isEmpty()) {
      throw Problems.of(400, "items must be a non-empty array of {productId, quantity}");
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw Problems.of(400, "items[" + i + "] must be an object {productId, quantity}");
      }
      UUID productId;
      try {
        productId = UUID.fromString(String.valueOf(item.getValue("productId")));
      } catch (IllegalArgumentException e) {
        throw Problems.of(400, "items[" + i + "].productId must be a UUID");
      }
      Object quantity = item.getValue("quantity");
      if (!(quantity instanceof Integer n) || n < 1 || n > MAX_QUANTITY) {
        throw Problems.of(
            400, "items[" + i + "].quantity must be an integer from 1 to " + MAX_QUANTITY);
      }
      items.add(new Reservation.Item(productId, n));
    }
    return items;
  }
}
