package dev.storefront.catalog;

import dev.storefront.catalog.config.CatalogConfig;
import dev.storefront.catalog.http.CatalogRouter;
import dev.storefront.catalog.repository.ProductRepository;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.runtime.ServiceHost;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;

/** The catalog service: products, categories, prices and stock. */
public class CatalogVerticle extends VerticleBase {

  private final Env env;
  private Pool pool;
  private KafkaAdminClient kafka;
  private ServiceHost host;

  public CatalogVerticle() {
    this(Env.system());
  }

  public CatalogVerticle(Env env) {
    this.env = env;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(CatalogConfig.SERVICE, getClass());
    CatalogConfig config = CatalogConfig.from(env, identity.instanceId());
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              ProductRepository products = new ProductRepository(pool);
              return ServiceHost.start(
                  vertx,
                  identity,
                  config.http(),
                  health,
                  v -> CatalogRouter.create(v, health, env, identity, products));
            })
        .onSuccess(h -> host = h);
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close());
  }
}
