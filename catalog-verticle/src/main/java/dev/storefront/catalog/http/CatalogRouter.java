package dev.storefront.catalog.http;

import dev.storefront.catalog.service.ProductService;
import dev.storefront.catalog.service.ReservationService;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.ServiceRouter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The catalog's HTTP API: public product reads, admin writes, and internal reservations. */
public final class CatalogRouter {

  private CatalogRouter() {}

  public static Router create(
      Vertx vertx,
      Env env,
      ServiceIdentity identity,
      ProductService products,
      ReservationService reservations) {
    // Product reads are public; writes check the caller themselves; /internal/* needs one.
    Router router = ServiceRouter.withIdentity(vertx, env, "/internal/*");
    String servedBy = identity.service() + "/" + identity.instanceId();
    // Lets operators and tests see which instance answered.
    Handler<RoutingContext> servedByHeader =
        ctx -> {
          ctx.response().putHeader("X-Served-By", servedBy);
          ctx.next();
        };
    router.route("/api/*").handler(servedByHeader);
    router.route("/internal/*").handler(servedByHeader);

    ProductHandlers p = new ProductHandlers(products);
    Handler<RoutingContext> json = JsonBodies.handler();
    router.get("/api/products").respond(p::list);
    router
        .post("/api/products")
        .handler(ProductHandlers::requireAdmin)
        .handler(json)
        .respond(p::create);
    router.get("/api/products/:id").handler(p::get);
    router
        .put("/api/products/:id")
        .handler(ProductHandlers::requireAdmin)
        .handler(json)
        .respond(p::update);
    router.delete("/api/products/:id").handler(ProductHandlers::requireAdmin).handler(p::delete);
    router.get("/api/categories").respond(p::categories);

    ReservationHandlers r = new ReservationHandlers(reservations);
    router.put("/internal/reservations/:orderId").handler(json).respond(r::reserve);
    router.post("/internal/reservations/:orderId/commit").respond(r::commit);
    router.post("/internal/reservations/:orderId/release").respond(r::release);
    router.get("/internal/reservations/:orderId").respond(r::get);
    return ServiceRouter.complete(router);
  }
}
