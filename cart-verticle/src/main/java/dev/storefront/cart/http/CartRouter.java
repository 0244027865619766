package dev.storefront.cart.http;

import dev.storefront.cart.client.CatalogClient;
import dev.storefront.cart.client.CatalogProduct;
import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.model.Cart;
import dev.storefront.cart.model.CartLine;
import dev.storefront.cart.model.Money;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.config.Env;
import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.security.InternalIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cart's HTTP API. The cart is always the caller's own: its key is the account id of the
 * identity the gateway signed, and nothing in the path, query or body names an account.
 *
 * <ul>
 *   <li>{@code GET /api/cart}: the cart, empty when there is none.
 *   <li>{@code PUT /api/cart/items/{productId}} {@code {"quantity": 1..99}}: sets the product's
 *       quantity, after the catalog confirmed the product and gave its name and price.
 *   <li>{@code DELETE /api/cart/items/{productId}}: removes the line (fine when there is none).
 *   <li>{@code DELETE /api/cart}: empties the cart, 204.
 * </ul>
 *
 * A product id that is not a UUID is a malformed request (400), as the gateway's validation of the
 * same request says too.
 */
public final class CartRouter {

  /** Far above any honest {@code {"quantity": n}}. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final CartRepository carts;
  private final CatalogClient catalog;
  private final CartConfig.Storage storage;
  private final CartMetrics metrics;
  private final Clock clock;

  public CartRouter(
      CartRepository carts,
      CatalogClient catalog,
      CartConfig.Storage storage,
      CartMetrics metrics,
      Clock clock) {
    this.carts = carts;
    this.catalog = catalog;
    this.storage = storage;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** A router for one event loop; the handlers behind it are shared. */
  public Router router(Vertx vertx, Env env) {
    Router router = ServiceRouter.withIdentity(vertx, env, "/api/*");
    router.get("/api/cart").respond(this::get);
    router.delete("/api/cart").respond(this::clear);
    router
        .put("/api/cart/items/:productId")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .respond(this::put);
    router.delete("/api/cart/items/:productId").respond(this::remove);
    return ServiceRouter.complete(router);
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    return metrics.record("get", carts.find(account).compose(this::view));
  }

  private Future<Void> clear(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    return metrics.record(
        "clear",
        carts
            .update(account, cart -> cart.cleared(clock.instant()))
            .<Void>mapEmpty()
            .recover(e -> fail(ctx, e)));
  }

  private Future<JsonObject> put(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    Future<JsonObject> result;
    try {
      String productId = productId(ctx);
      requireJson(ctx);
      int quantity = quantity(ctx.body());
      result =
          catalog
              .fetch(productId)
              .compose(
                  found -> {
                    if (found.isEmpty()) {
                      return Problems.<Cart>fail(404, "No product with id " + productId);
                    }
                    CatalogProduct product = found.get();
                    Money price = new Money(product.amountMinor(), product.currency());
                    return carts.update(
                        account,
                        cart ->
                            cart.withLine(
                                productId,
                                product.name(),
                                price,
                                quantity,
                                clock.instant(),
                                storage.maxLines()));
                  })
              .compose(this::view);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return metrics.record("put", result.recover(e -> fail(ctx, e)));
  }

  private Future<JsonObject> remove(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    Future<JsonObject> result;
    try {
      String productId = productId(ctx);
      result =
          carts
              .update(account, cart -> cart.without(productId, clock.instant()))
              .compose(this::view);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return metrics.record("remove", result.recover(e -> fail(ctx, e)));
  }

  /**
   * The cart with the catalog's current names and prices where the catalog answers (from the
   * client's short-lived cache mostly); where it does not, the line keeps the name and price stored
   * when it was last set, and the view says its prices are not verified. A view never fails because
   * of the catalog.
   */
  private Future<JsonObject> view(Cart cart) {
    if (cart.isEmpty()) {
      return Future.succeededFuture(CartResponse.json(cart, true));
    }
    Instant now = clock.instant();
    List<Future<Optional<CartLine>>> lookups =
        cart.lines().stream()
            .map(
                line ->
                    catalog
                        .recent(line.productId())
                        .map(
                            found ->
                                found.map(
                                    p ->
                                        line.repriced(
                                            p.name(),
                                            new Money(p.amountMinor(), p.currency()),
                                            now)))
                        .otherwise(Optional.empty()))
            .toList();
    return Future.all(lookups)
        .map(
            all -> {
              List<Optional<CartLine>> current = all.list();
              Map<String, CartLine> byProduct = new HashMap<>();
              current.forEach(found -> found.ifPresent(l -> byProduct.put(l.productId(), l)));
              boolean verified = byProduct.size() == cart.lines().size();
              return CartResponse.json(
                  cart.repriced(line -> Optional.ofNullable(byProduct.get(line.productId()))),
                  verified);
            });
  }

  private static <T> Future<T> fail(RoutingContext ctx, Throwable failure) {
    return Future.failedFuture(CartProblems.toProblem(ctx, failure));
  }

  /** The product id of the path in canonical (lower-case) form, so one product is one line. */
  static String productId(RoutingContext ctx) {
    String raw = ctx.pathParam("productId");
    if (raw == null || !UUID.matcher(raw).matches()) {
      throw Problems.of(400, "A product id is a UUID, got '" + raw + "'");
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  static void requireJson(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw Problems.of(415, "The request body must be application/json");
    }
  }

  /** The quantity of {@code {"quantity": n}}: a whole number from 1 to 99. */
  static int quantity(RequestBody body) {
    if (body == null || body.isEmpty()) {
      throw Problems.of(400, "The request needs a JSON body such as {\"quantity\": 1}");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body.buffer());
    } catch (DecodeException e) {
      throw Problems.of(400, "The request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw Problems.of(400, "The request body must be a JSON object such as {\"quantity\": 1}");
    }
    Object quantity = json.getValue("quantity");
    if (quantity == null) {
      throw Problems.of(400, "quantity is required");
    }
    // Jackson reads 2.0 and 1e1 as doubles and "2" as a string: none of them is a whole number.
    if (!(quantity instanceof Integer
        || quantity instanceof Long
        || quantity instanceof BigInteger)) {
      throw Problems.of(400, "quantity must be a whole number, got " + json.getValue("quantity"));
    }
    BigInteger value = new BigInteger(quantity.toString());
    if (value.compareTo(BigInteger.valueOf(Cart.MIN_QUANTITY)) < 0
        || value.compareTo(BigInteger.valueOf(Cart.MAX_QUANTITY)) > 0) {
      throw Problems.of(
          400,
          "quantity must be between "
              + Cart.MIN_QUANTITY
              + " and "
              + Cart.MAX_QUANTITY
              + ", got "
              + value);
    }
    return value.intValue();
  }
}
