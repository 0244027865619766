package dev.storefront.order.client;

import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.order.config.OrderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The catalog's internal stock reservations: {@code PUT /internal/reservations/{orderId}} and
 * {@code POST /internal/reservations/{orderId}/release} on a discovered catalog instance, on behalf
 * of the caller, behind a breaker with a time limit. Both are idempotent per order id at the
 * catalog, which is what makes releasing after an unclear answer safe. The catalog's refusals
 * (insufficient stock, unknown products) are answers; whatever else keeps an answer from arriving
 * fails with {@link ServiceUnavailableException}.
 */
public final class CatalogClient {

  public static final String SERVICE = "catalog";

  static final String INSUFFICIENT_STOCK = "urn:storefront:problem:insufficient-stock";
  static final String UNKNOWN_PRODUCT = "urn:storefront:problem:unknown-product";

  private final ServiceCalls calls;

  public CatalogClient(
      Vertx vertx,
      ServiceDirectory directory,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this(vertx, () -> directory.instances(SERVICE), config, meters);
  }

  CatalogClient(
      Vertx vertx,
      Supplier<List<Endpoint>> instances,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this.calls = new ServiceCalls(vertx, SERVICE, instances, config, meters);
  }

  /** Holds {@code items} for order {@code orderId}, all or nothing. */
  public Future<Reservation> reserve(UUID orderId, List<Reservation.Item> items, String identity) {
    JsonObject body =
        new JsonObject()
            .put("items", new JsonArray(items.stream().map(Reservation.Item::toJson).toList()));
    return calls.call(
        "reserve",
        endpoint ->
            calls
                .web()
                .put(endpoint.port(), endpoint.host(), "/internal/reservations/" + orderId)
                .timeout(calls.timeoutMillis())
                .putHeader(InternalTokens.HEADER, identity)
                .sendJsonObject(body)
                .compose(CatalogClient::reservation),
        CatalogClient::outcome);
  }

  /** Puts the stock held for {@code orderId} back; fine when nothing is held for it. */
  public Future<Void> release(UUID orderId, String identity) {
    return calls.<Void>call(
        "release",
        endpoint ->
            calls
                .web()
                .post(
                    endpoint.port(),
                    endpoint.host(),
                    "/internal/reservations/" + orderId + "/release")
                .timeout(calls.timeoutMillis())
                .putHeader(InternalTokens.HEADER, identity)
                .send()
                .compose(
                    response ->
                        // 404: the catalog holds nothing for the order, which is what was wanted.
                        response.statusCode() == 200 || response.statusCode() == 404
                            ? Future.<Void>succeededFuture()
                            : Future.failedFuture(
                                new IllegalStateException(
                                    "the catalog answered " + response.statusCode()))),
        v -> "ok");
  }

  public CircuitBreakerState state() {
    return calls.state();
  }

  public void close() {
    calls.close();
  }

  private static Future<Reservation> reservation(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      return Future.succeededFuture(new Reservation.Reserved());
    }
    JsonObject problem = problem(response);
    String type = problem.getString("type", "");
    if (status == 409 && INSUFFICIENT_STOCK.equals(type)) {
      return Future.succeededFuture(
          new Reservation.InsufficientStock(
              problem.getString("detail", "Not enough stock"),
              problem.getJsonArray("shortages", new JsonArray())));
    }
    if (status == 422 && UNKNOWN_PRODUCT.equals(type)) {
      return Future.succeededFuture(
          new Reservation.UnknownProducts(
              problem.getString("detail", "Unknown products"),
              problem.getJsonArray("productIds", new JsonArray())));
    }
    return Future.failedFuture(
        new IllegalStateException("the catalog answered " + status + " " + type));
  }

  private static JsonObject problem(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static String outcome(Reservation reservation) {
    if (reservation instanceof Reservation.Reserved) {
      return "ok";
    }
    if (reservation instanceof Reservation.InsufficientStock) {
      return "insufficient_stock";
    }
    return "unknown_product";
  }
}
