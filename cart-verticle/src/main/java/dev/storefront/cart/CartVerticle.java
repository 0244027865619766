package dev.storefront.cart;

import dev.storefront.cart.config.CartConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.runtime.ServiceHost;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;

/** The cart service: one cart per user, kept in the cluster. */
public class CartVerticle extends VerticleBase {

  private final Env env;
  private KafkaAdminClient kafka;
  private ServiceHost host;

  public CartVerticle() {
    this(Env.system());
  }

  public CartVerticle(Env env) {
    this.env = env;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(CartConfig.SERVICE, getClass());
    CartConfig config = CartConfig.from(env, identity.instanceId());
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    return ServiceHost.start(
            vertx,
            identity,
            config.http(),
            health,
            v -> ServiceRouter.complete(ServiceRouter.withIdentity(v, health, env, "/api/*")))
        .onSuccess(h -> host = h);
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped.eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close());
  }
}
