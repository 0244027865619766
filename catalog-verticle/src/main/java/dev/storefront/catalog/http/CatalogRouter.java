package dev.storefront.catalog.http;

import dev.storefront.catalog.model.Page;
import dev.storefront.catalog.repository.ProductRepository;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The catalog's HTTP API. */
public final class CatalogRouter {

  static final int MAX_PAGE_SIZE = 100;
  static final int DEFAULT_PAGE_SIZE = 20;

  private final ProductRepository products;

  private CatalogRouter(ProductRepository products) {
    this.products = products;
  }

  public static Router create(
      Vertx vertx, Health health, Env env, ServiceIdentity identity, ProductRepository products) {
    CatalogRouter handlers = new CatalogRouter(products);
    // Product reads are public; the caller, when the gateway vouches for one, is still known.
    Router router = ServiceRouter.withIdentity(vertx, health, env);
    router
        .route("/api/*")
        .handler(
            ctx -> {
              // Lets operators and tests see which instance answered.
              ctx.response()
                  .putHeader("X-Served-By", identity.service() + "/" + identity.instanceId());
              ctx.next();
            });
    router.get("/api/products").respond(handlers::list);
    router.get("/api/products/:id").respond(handlers::byId);
    return ServiceRouter.complete(router);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
    int size = intParam(ctx, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    return products.list(page, size).map(Page::toJson);
  }

  private Future<JsonObject> byId(RoutingContext ctx) {
    UUID id = uuidParam(ctx, "id");
    return products
        .findById(id)
        .compose(
            found ->
                found
                    .map(p -> Future.succeededFuture(p.toJson()))
                    .orElseGet(() -> Problems.fail(404, "No product with id " + id)));
  }

  static int intParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw Problems.of(400, name + " must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw Problems.of(400, name + " must be an integer");
    }
  }

  static UUID uuidParam(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException e) {
      throw Problems.of(404, "No product with id " + ctx.pathParam(name));
    }
  }
}
