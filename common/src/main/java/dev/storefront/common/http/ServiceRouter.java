package dev.storefront.common.http;

import dev.storefront.common.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The parts of every service's router that are not the service's own: request ids, health, metrics,
 * the not-found answer and the problem+json failure handler. A service's router factory starts with
 * {@link #create} and ends with {@link #complete}.
 */
public final class ServiceRouter {

  private ServiceRouter() {}

  public static Router create(Vertx vertx, Health health) {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(Metrics.scrapeHandler());
    return router;
  }

  /** Adds the catch-all 404 and the failure handler; call after the service's own routes. */
  public static Router complete(Router router) {
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(ProblemHandler::handle);
    return router;
  }
}
