package dev.storefront.common.runtime;

import dev.storefront.common.http.StrictRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One HTTP server on one event loop. A service deploys one per event loop, all sharing the port,
 * each with its own router, each reading HTTP/1 strictly ({@link StrictRequestDecoder}) and
 * answering what it cannot read as problem+json. On stop it first lets the process withdraw from
 * discovery, answering meanwhile with {@code Connection: close}, then drains: no new connections,
 * idle ones closed, in-flight requests get {@code drainTimeout} to finish.
 */
final class HttpServerVerticle extends VerticleBase {

  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private final HttpServerOptions options;
  private final Duration headTimeout;
  private final Duration drainTimeout;
  private final Supplier<Future<Void>> beforeDrain;
  private HttpServer server;
  private volatile boolean draining;

  HttpServerVerticle(
      Function<io.vertx.core.Vertx, Router> routerFactory,
      HttpServerOptions options,
      Duration headTimeout,
      Duration drainTimeout,
      Supplier<Future<Void>> beforeDrain) {
    this.routerFactory = routerFactory;
    this.options = options;
    this.headTimeout = headTimeout;
    this.drainTimeout = drainTimeout;
    this.beforeDrain = beforeDrain;
  }

  @Override
  public Future<?> start() {
    Router router = routerFactory.apply(vertx);
    server =
        StrictRequestDecoder.createServer(vertx, options, headTimeout)
            .requestHandler(
                request -> {
                  if (draining && request.version() != HttpVersion.HTTP_2) {
                    // Answered, then the connection goes: callers open their next one elsewhere.
                    request.response().putHeader(HttpHeaders.CONNECTION, "close");
                  }
                  router.handle(request);
                });
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    draining = true;
    return beforeDrain
        .get()
        .recover(e -> Future.succeededFuture())
        .compose(v -> server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  int actualPort() {
    return server.actualPort();
  }
}
