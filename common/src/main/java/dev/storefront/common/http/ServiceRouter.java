package dev.storefront.common.http;

import dev.storefront.common.config.Env;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.security.InternalIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The parts of every service's router that are not the service's own: request ids, the refusal of a
 * malformed {@code Content-Type} (400), the not-found and method-not-allowed answers and the
 * problem+json failure handler. A service's router factory starts with {@link #create} and ends
 * with {@link #complete}. Health and metrics are not among them: they live on the management router
 * ({@link #management}), served on a port of its own, so a service port answers them with 404 like
 * any other path it does not have.
 */
public final class ServiceRouter {

  private ServiceRouter() {}

  public static Router create(Vertx vertx) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(RequestIds::handle)
        .handler(ServiceRouter::decodablePath)
        .handler(RequestBodies::checkContentType);
    return router;
  }

  /** The management port's router: liveness, readiness and the Prometheus scrape, complete. */
  public static Router management(Vertx vertx, Health health) {
    Router router = create(vertx);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(Metrics.scrapeHandler());
    return complete(router);
  }

  /**
   * A path that cannot be decoded ({@code %zz}, a lone {@code %}) is the client's 400 here, before
   * a handler that reads the decoded path fails on it as on a bug.
   */
  private static void decodablePath(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException undecodable) {
      ctx.fail(Problems.of(400, "The request path cannot be decoded"));
      return;
    }
    ctx.next();
  }

  /**
   * {@link #create}, plus the caller's identity as the gateway vouched for it ({@link
   * InternalIdentity}); under each of {@code protectedPaths} a request without one gets 401.
   */
  public static Router withIdentity(Vertx vertx, Env env, String... protectedPaths) {
    Router router = create(vertx);
    router.route().handler(InternalIdentity.create(vertx, env));
    for (String path : protectedPaths) {
      router.route(path).handler(InternalIdentity.required());
    }
    return router;
  }

  /**
   * Adds the failure handler, and problem answers for paths no route matches (404), for methods a
   * matched path does not support (405, with the {@code Allow} header naming those it does) and for
   * requests the router refuses itself; call after the service's own routes.
   */
  public static Router complete(Router router) {
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    router.errorHandler(
        405,
        ctx -> {
          String allow = AllowedMethods.of(router, ctx.normalizedPath());
          if (!allow.isEmpty()) {
            ctx.response().headers().set(HttpHeaders.ALLOW, allow);
          }
          ProblemHandler.handle(ctx);
        });
    // A request the router itself refuses before any route sees it: a path that cannot be
    // decoded (400), a body over a limit, an unsupported media type.
    for (int status : new int[] {400, 413, 414, 415, 431, 500, 501}) {
      router.errorHandler(status, ProblemHandler.forStatus(status));
    }
    return router;
  }
}
