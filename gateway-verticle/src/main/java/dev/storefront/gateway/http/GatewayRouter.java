package dev.storefront.gateway.http;

import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.security.Caller;
import dev.storefront.gateway.config.GatewayConfig;
import dev.storefront.gateway.edge.Cors;
import dev.storefront.gateway.edge.Deadlines;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.edge.RateLimiter;
import dev.storefront.gateway.edge.RequestLimits;
import dev.storefront.gateway.edge.SecurityHeaders;
import dev.storefront.gateway.openapi.ApiDocument;
import dev.storefront.gateway.openapi.OpenApiEndpoint;
import dev.storefront.gateway.openapi.RequestValidation;
import dev.storefront.gateway.proxy.InboundHeaders;
import dev.storefront.gateway.proxy.PipelinedReads;
import dev.storefront.gateway.proxy.ProxyHandler;
import dev.storefront.gateway.proxy.RouteTable;
import dev.storefront.gateway.proxy.Upstreams;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/** The edge: operations endpoints, then every public resource path forwarded to its service. */
public final class GatewayRouter {

  private GatewayRouter() {}

  /**
   * Serves the OpenAPI document and validates requests against it: a request the document does not
   * allow never reaches a service.
   */
  public static Consumer<Router> contract(ApiDocument document) {
    return router -> {
      new OpenApiEndpoint(document).mount(router);
      RequestValidation.create(document).mount(router);
    };
  }

  /**
   * How the edge's security is mounted: authentication on every {@code /api} path, then {@code
   * afterAuthentication} (the rate limit), then the routes {@code beforeAuthEndpoints} mounts (the
   * API contract), then the auth endpoints.
   */
  @FunctionalInterface
  public interface Security {
    void mount(
        Router router,
        Handler<RoutingContext> afterAuthentication,
        Consumer<Router> beforeAuthEndpoints);
  }

  /**
   * The handler chain, in order: request id (common); security headers and CORS (so even refusals
   * carry them); the header checks ({@link InboundHeaders}); the request time limit and body size;
   * authentication; the rate limit (per account when authenticated); validation against the OpenAPI
   * document; the auth endpoints; the proxied resources. A caller without a valid token, or without
   * the role a request needs, gets its 401 or 403 whatever the request looks like (but a method the
   * API document lacks for the path is 405 for anyone): the API's rules are not spelled out to
   * callers who may not use it, and no body is read for them.
   *
   * <p>A router serves the requests of one event loop (each server verticle builds its own): their
   * time limits are kept on that loop (see {@link Deadlines}).
   */
  public static Router create(
      Vertx vertx,
      Upstreams upstreams,
      GatewayConfig config,
      EdgeConfig edge,
      Consumer<Router> contract,
      Security security) {
    // One client per event loop: its keep-alive pools stay on the loop that uses them. Neither
    // client is metered by Vert.x: the proxy times each instance with meters it holds.
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setKeepAliveTimeout(30)
                .setName("gateway-upstream")
                .setMetricsName(Metrics.UNMETERED + "gateway-upstream"),
            new PoolOptions().setHttp1MaxSize(config.upstream().poolSize()));
    // Each open event stream holds a connection for its whole life: a pool of their own.
    HttpClient streamClient =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setKeepAliveTimeout(30)
                .setName("gateway-upstream-streams")
                .setMetricsName(Metrics.UNMETERED + "gateway-upstream-streams"),
            new PoolOptions().setHttp1MaxSize(config.upstream().streamPoolSize()));
    // The time limits of this router's requests: one timer for the event loop, not one per limit.
    Deadlines deadlines = new Deadlines();
    ProxyHandler proxy =
        new ProxyHandler(
            deadlines,
            client,
            streamClient,
            pipelinedReads(vertx, config.upstream(), upstreams),
            upstreams,
            config.upstream(),
            edge);
    RequestLimits limits = new RequestLimits(edge, deadlines);

    Router router = ServiceRouter.create(vertx);
    // One route, four handlers: moving on within a route skips matching another route.
    router
        .route()
        .handler(new SecurityHeaders(edge))
        .handler(new Cors(edge))
        .handler(InboundHeaders::check)
        .handler(limits.timeout())
        .handler(limits.bodySize());
    // Authentication, the rate limit, the contract, then the auth endpoints (see
    // EdgeSecurity.mount).
    security.mount(
        router,
        RateLimiter.create(vertx, edge, ctx -> Caller.of(ctx).map(Caller::accountId).orElse(null)),
        contract);
    router.route("/ops/*").handler(GatewayRouter::operatorsOnly);
    router.get("/ops/instances").handler(ctx -> ctx.json(upstreams.describe()));
    for (RouteTable.Route route : RouteTable.ROUTES) {
      // A prefix route ("/api/products/*" takes /api/products and everything under it, not
      // /api/productsX) is a string comparison per request, where a pattern was a regex match.
      router.route(route.prefix() + "/*").handler(ctx -> proxy.forward(ctx, route.service()));
    }
    return ServiceRouter.complete(router);
  }

  /** This event loop's pipelined connections for reads, or null when pipelining is off. */
  private static PipelinedReads pipelinedReads(
      Vertx vertx, GatewayConfig.Upstream upstream, Upstreams upstreams) {
    GatewayConfig.Pipelining pipelining = upstream.pipelining();
    if (!pipelining.on()) {
      return null;
    }
    // Its connections are opened one by one and held by PipelinedReads, not pooled; one that has
    // been idle for the keep-alive time is closed (so is one whose answer stalls that long).
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setPipelining(true)
                .setPipeliningLimit(pipelining.depth())
                .setIdleTimeout(30)
                .setName("gateway-upstream-pipelined")
                .setMetricsName(Metrics.UNMETERED + "gateway-upstream-pipelined"));
    return new PipelinedReads(
        client,
        pipelining.connections(),
        pipelining.depth(),
        pipelining.stall().toMillis(),
        pipelining.fast().toMillis(),
        upstream.connectTimeout().toMillis(),
        upstreams.pipelineMeters());
  }

  /**
   * The operations endpoints show the topology behind the edge: only callers on the gateway's own
   * host reach them (the local stack's tools, {@code kubectl port-forward}, a sidecar).
   */
  static void operatorsOnly(RoutingContext ctx) {
    if (isLoopback(RateLimiter.peerAddress(ctx.request()))) {
      ctx.next();
    } else {
      ctx.fail(Problems.of(403, "Operations endpoints answer on the gateway's own host only"));
    }
  }

  static boolean isLoopback(String address) {
    return address != null
        && (address.startsWith("127.")
            || address.equals("::1")
            || address.equals("0:0:0:0:0:0:0:1"));
  }
}
