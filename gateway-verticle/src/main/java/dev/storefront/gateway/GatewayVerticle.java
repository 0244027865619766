package dev.storefront.gateway;

import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.runtime.ServiceHost;
import dev.storefront.gateway.auth.EdgeSecurity;
import dev.storefront.gateway.config.GatewayConfig;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.edge.RequestLimits;
import dev.storefront.gateway.http.GatewayRouter;
import dev.storefront.gateway.openapi.ApiDocument;
import dev.storefront.gateway.openapi.DocumentedMethods;
import dev.storefront.gateway.proxy.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/** The edge gateway: the only door into Storefront. */
public class GatewayVerticle extends VerticleBase {

  private final Env env;
  private Pool pool;
  private ServiceHost host;
  private Upstreams upstreams;
  private EdgeSecurity security;

  public GatewayVerticle() {
    this(Env.system());
  }

  public GatewayVerticle(Env env) {
    this.env = env;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(GatewayConfig.SERVICE, getClass());
    GatewayConfig config = GatewayConfig.from(env);
    Health health = new Health(vertx);
    EdgeConfig edge = EdgeConfig.from(env);
    RequestLimits limits = new RequestLimits(edge);
    host = ServiceHost.create(vertx, identity, health).withServerOptions(limits::applyTo);
    upstreams = new Upstreams(vertx, host.directory(), config.upstream(), Metrics.registry());
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              return EdgeSecurity.start(vertx, env, p);
            })
        .compose(
            security -> {
              this.security = security;
              return ApiDocument.load(vertx)
                  .compose(
                      document ->
                          host.start(
                              config.http(),
                              v ->
                                  GatewayRouter.create(
                                      v,
                                      upstreams,
                                      config,
                                      edge,
                                      GatewayRouter.contract(document),
                                      DocumentedMethods.of(document).before(security::mount))));
            });
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    if (upstreams != null) {
      upstreams.close();
    }
    return stopped
        .eventually(() -> security == null ? Future.succeededFuture() : security.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
