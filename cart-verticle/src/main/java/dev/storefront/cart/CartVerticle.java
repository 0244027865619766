package dev.storefront.cart;

import dev.storefront.cart.client.CatalogClient;
import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.events.OrderEvents;
import dev.storefront.cart.http.CartMetrics;
import dev.storefront.cart.http.CartRouter;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.Topics;
import dev.storefront.common.http.Health;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.runtime.ServiceHost;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cart service: one cart per user, kept in the cluster. */
public class CartVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CartVerticle.class);

  private final Env env;
  private final MeterRegistry givenRegistry;
  private KafkaAdminClient kafka;
  private CatalogClient catalog;
  private ServiceHost host;
  private Future<EventConsumer> orderEvents;

  public CartVerticle() {
    this(Env.system());
  }

  public CartVerticle(Env env) {
    this(env, null);
  }

  /** With its own meter registry instead of the process's: for tests of several in one JVM. */
  public CartVerticle(Env env, MeterRegistry registry) {
    this.env = env;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(CartConfig.SERVICE, getClass());
    CartConfig config = CartConfig.from(env, identity.instanceId());
    MeterRegistry registry = givenRegistry != null ? givenRegistry : Metrics.registry();
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    // The host first, for its discovery view: the catalog client balances over it.
    ServiceHost created = ServiceHost.create(vertx, identity, health);
    return CartRepository.open(vertx, config.storage(), registry)
        .compose(
            carts -> {
              health.check("carts", carts::ping);
              if (config.orderEvents()) {
                orderEvents = consumeOrderEvents(config, carts, registry);
              }
              catalog = new CatalogClient(vertx, created.directory(), config.catalog(), registry);
              CartRouter handlers =
                  new CartRouter(
                      carts,
                      catalog,
                      config.storage(),
                      new CartMetrics(registry),
                      Clock.systemUTC());
              return created.start(config.http(), v -> handlers.router(v, env));
            })
        .onSuccess(h -> host = h);
  }

  /**
   * One consumer of order events per process: this verticle is deployed once, the HTTP verticles
   * once per event loop. Started in the background: the broker may be away, and the consumer waits
   * for it without holding up the cart API.
   */
  private Future<EventConsumer> consumeOrderEvents(
      CartConfig config, CartRepository carts, MeterRegistry registry) {
    return EventConsumer.startCreatingTopics(
        vertx,
        config.kafka(),
        List.of(OrderEvents.TOPIC),
        Topics.Settings.from(env),
        new OrderEvents(carts, registry, minorityPatience(config.events())),
        config.events());
  }

  /**
   * Nearly all of one handler attempt: a confirmation consumed on the minority side of a partition
   * waits that long for the quorum before the attempt counts as failed and the consumer retries.
   */
  static Duration minorityPatience(EventConsumer.Options events) {
    Duration patience = events.handlerTimeout().minusSeconds(2);
    return patience.isNegative() ? Duration.ZERO : patience;
  }

  /** The port the service listens on, once started. */
  public int port() {
    return host.port();
  }

  /** The management port (health and metrics), once started. */
  public int managementPort() {
    return host.managementPort();
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(
            () -> orderEvents == null ? Future.succeededFuture() : EventConsumer.stop(orderEvents))
        .eventually(
            () -> {
              if (catalog != null) {
                catalog.close();
              }
              return Future.succeededFuture();
            })
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close());
  }
}
