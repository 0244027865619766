package dev.storefront.order.http;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalIdentity;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.order.model.OrderPage;
import dev.storefront.order.repository.OrderRepository;
import dev.storefront.order.service.CheckoutProblems;
import dev.storefront.order.service.CheckoutService;
import dev.storefront.order.service.OrderMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The order service's HTTP API; every order is the caller's own, found by the account id of the
 * identity the gateway signed.
 *
 * <ul>
 *   <li>{@code POST /api/orders} with {@code Idempotency-Key} and {@code {"paymentToken"}}: checks
 *       out the cart; 201, Location and the order.
 *   <li>{@code GET /api/orders?page&size}: the caller's orders, newest first.
 *   <li>{@code GET /api/orders/{id}}: one of the caller's orders; 404 for an order that is not
 *       theirs, exactly as for one that does not exist.
 * </ul>
 */
public final class OrderRouter {

  /** Far above any honest {@code {"paymentToken": "tok_..."}}. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  static final int DEFAULT_SIZE = 20;
  static final int MAX_SIZE = 100;
  static final int MAX_PAGE = 21_474_836;

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final CheckoutService checkout;
  private final OrderRepository orders;
  private final OrderMetrics metrics;

  public OrderRouter(CheckoutService checkout, OrderRepository orders, OrderMetrics metrics) {
    this.checkout = checkout;
    this.orders = orders;
    this.metrics = metrics;
  }

  /** A router for one event loop; the services behind it are shared. */
  public Router router(Vertx vertx, Env env) {
    Router router = ServiceRouter.withIdentity(vertx, env, "/api/*");
    router
        .post("/api/orders")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .respond(this::checkout);
    router.get("/api/orders").respond(this::list);
    router.get("/api/orders/:id").respond(this::get);
    return ServiceRouter.complete(router);
  }

  private Future<JsonObject> checkout(RoutingContext ctx) {
    Caller caller = InternalIdentity.requireCaller(ctx);
    Future<CheckoutService.Result> result;
    try {
      requireJson(ctx);
      CheckoutRequest request =
          CheckoutRequest.parse(
              ctx.request().getHeader(CheckoutRequest.IDEMPOTENCY_KEY), ctx.body().buffer());
      result =
          checkout.checkout(
              caller.accountId(),
              caller.email(),
              ctx.request().getHeader(InternalTokens.HEADER),
              request.idempotencyKey(),
              request.requestHash(),
              request.paymentToken());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return metrics
        .checkout(result)
        .map(
            answer -> {
              ctx.response()
                  .setStatusCode(answer.status())
                  .putHeader(HttpHeaders.LOCATION, "/api/orders/" + answer.orderId());
              return answer.body();
            })
        .recover(
            e -> {
              if (e instanceof CheckoutProblems.RetryLater later) {
                ctx.response()
                    .putHeader("Retry-After", Integer.toString(later.retryAfterSeconds()));
              }
              return Future.failedFuture(e);
            });
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    MultiMap params = ctx.queryParams();
    int page;
    int size;
    try {
      page = integer(params, "page", 1, 1, MAX_PAGE);
      size = integer(params, "size", DEFAULT_SIZE, 1, MAX_SIZE);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return orders.listOwn(account, page, size).map(OrderPage::toJson);
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    String raw = ctx.pathParam("id");
    if (raw == null || !UUID_TEXT.matcher(raw).matches()) {
      return Problems.fail(400, "An order id is a UUID, got '" + raw + "'");
    }
    UUID id = UUID.fromString(raw);
    return orders
        .findOwn(id, account)
        .compose(
            found ->
                found
                    .map(order -> Future.succeededFuture(order.toJson()))
                    // Someone else's order is as absent as one that never existed.
                    .orElseGet(() -> Problems.fail(404, "No order with id " + raw)));
  }

  static void requireJson(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw Problems.of(415, "The request body must be application/json");
    }
  }

  /** A whole-number query parameter within bounds, or its default when absent; else 400. */
  static int integer(MultiMap params, String name, int defaultValue, int min, int max) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Answered below, like a number out of bounds.
    }
    throw Problems.of(
        400, name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }
}
