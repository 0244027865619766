package dev.storefront.gateway.edge;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.Consumer;

/** A real HTTP server on a free port with a small router built from the edge pieces under test. */
final class EdgeServer {

  private EdgeServer() {}

  static EdgeConfig config(Map<String, String> env) {
    return EdgeConfig.from(Env.of(env));
  }

  /** A router with the problem+json failure handler and whatever {@code routes} add. */
  static Router router(Vertx vertx, Consumer<Router> routes) {
    Router router = Router.router(vertx);
    routes.accept(router);
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    return router;
  }

  static Future<HttpServer> start(Vertx vertx, Router router) {
    return start(vertx, router, new HttpServerOptions());
  }

  static Future<HttpServer> start(Vertx vertx, Router router, HttpServerOptions options) {
    return vertx
        .createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .requestHandler(router)
        .listen();
  }
}
