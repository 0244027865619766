package dev.storefront.notification;

import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.runtime.ServiceHost;
import dev.storefront.notification.config.NotificationConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;

/** The notification service: e-mail, webhooks and the in-app feed. */
public class NotificationVerticle extends VerticleBase {

  private final Env env;
  private Pool pool;
  private KafkaAdminClient kafka;
  private ServiceHost host;

  public NotificationVerticle() {
    this(Env.system());
  }

  public NotificationVerticle(Env env) {
    this.env = env;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(NotificationConfig.SERVICE, getClass());
    NotificationConfig config = NotificationConfig.from(env, identity.instanceId());
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              return ServiceHost.start(
                  vertx,
                  identity,
                  config.http(),
                  health,
                  v ->
                      ServiceRouter.complete(ServiceRouter.withIdentity(v, health, env, "/api/*")));
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
