package dev.storefront.gateway.http;

import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.gateway.config.GatewayConfig;
import dev.storefront.gateway.proxy.ProxyHandler;
import dev.storefront.gateway.proxy.RouteTable;
import dev.storefront.gateway.proxy.Upstreams;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.util.regex.Pattern;

/** The edge: operations endpoints, then every public resource path forwarded to its service. */
public final class GatewayRouter {

  private GatewayRouter() {}

  public static Router create(
      Vertx vertx, Health health, Upstreams upstreams, GatewayConfig config) {
    // One client per event loop: its keep-alive pools stay on the loop that uses them.
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setKeepAliveTimeout(30)
                .setName("gateway-upstream"),
            new PoolOptions().setHttp1MaxSize(config.upstream().poolSize()));
    ProxyHandler proxy = new ProxyHandler(vertx, client, upstreams, config.upstream());

    Router router = ServiceRouter.create(vertx, health);
    router.get("/ops/instances").handler(ctx -> ctx.json(upstreams.describe()));
    for (RouteTable.Route route : RouteTable.ROUTES) {
      router
          .routeWithRegex("^" + Pattern.quote(route.prefix()) + "(/.*)?$")
          .handler(ctx -> proxy.forward(ctx, route.service()));
    }
    return ServiceRouter.complete(router);
  }
}
