package dev.storefront.order;

import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.OutboxRelay;
import dev.storefront.common.events.Topics;
import dev.storefront.common.http.Health;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.runtime.ServiceHost;
import dev.storefront.order.client.CartClient;
import dev.storefront.order.client.CatalogClient;
import dev.storefront.order.client.PaymentClient;
import dev.storefront.order.config.OrderConfig;
import dev.storefront.order.events.OrderEvents;
import dev.storefront.order.events.PaymentEvent;
import dev.storefront.order.http.OrderRouter;
import dev.storefront.order.repository.IdempotencyRepository;
import dev.storefront.order.repository.OrderRepository;
import dev.storefront.order.service.CheckoutService;
import dev.storefront.order.service.DeadlineSweeper;
import dev.storefront.order.service.OrderMetrics;
import dev.storefront.order.service.OrderTransitions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service: checkout and the order state machine. Deployed once per process; its HTTP side
 * runs one server per event loop, while the outbox relay, the payment-events consumer and the
 * deadline sweeper run once per process.
 */
public class OrderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrderVerticle.class);
  private static final long TOPICS_RETRY_MS = 5_000;

  /** With common's backoff (200 ms doubling to 5 s), about a minute and a half. */
  static final int PAYMENT_EVENT_ATTEMPTS = 20;

  private final Env env;
  private final MeterRegistry givenRegistry;
  private Pool pool;
  private ServiceHost host;
  private CartClient cart;
  private CatalogClient catalog;
  private PaymentClient payment;
  private OutboxRelay relay;
  private EventConsumer consumer;
  private DeadlineSweeper sweeper;
  private boolean stopping;

  public OrderVerticle() {
    this(Env.system());
  }

  public OrderVerticle(Env env) {
    this(env, null);
  }

  /** With its own meter registry for the order service's meters: for tests. */
  public OrderVerticle(Env env, MeterRegistry registry) {
    this.env = env;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(OrderConfig.SERVICE, getClass());
    OrderConfig config = OrderConfig.from(env, identity.instanceId());
    MeterRegistry registry = givenRegistry != null ? givenRegistry : Metrics.registry();
    OrderMetrics metrics = new OrderMetrics(registry);
    Health health = new Health(vertx);
    // No Kafka readiness check: while the broker is away, checkouts still succeed (their events
    // wait in the outbox), so this instance stays ready and keeps taking them.
    // The host first, for its discovery view: the clients balance over it.
    ServiceHost created = ServiceHost.create(vertx, identity, health);
    cart = new CartClient(vertx, created.directory(), config.cart(), registry);
    catalog = new CatalogClient(vertx, created.directory(), config.catalog(), registry);
    payment = new PaymentClient(vertx, created.directory(), config.payment(), registry);
    Clock clock = Clock.systemUTC();
    ensureTopics(config);
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              return OutboxRelay.start(vertx, pool, config.kafka(), OutboxRelay.Options.from(env));
            })
        .compose(
            r -> {
              relay = r;
              OrderRepository orders = new OrderRepository(pool);
              IdempotencyRepository keys = new IdempotencyRepository(pool);
              OrderTransitions transitions =
                  new OrderTransitions(pool, orders, keys, metrics, clock);
              sweeper = new DeadlineSweeper(vertx, transitions, keys, config.checkout());
              sweeper.start();
              CheckoutService checkout =
                  new CheckoutService(
                      pool, orders, keys, cart, catalog, payment, config.checkout(), clock);
              OrderRouter router = new OrderRouter(checkout, orders, metrics);
              return EventConsumer.start(
                      vertx,
                      config.kafka(),
                      List.of(PaymentEvent.TOPIC),
                      transitions::onPaymentEvent,
                      consumerOptions())
                  .compose(
                      c -> {
                        consumer = c;
                        return created.start(config.http(), v -> router.router(v, env));
                      });
            })
        .onSuccess(h -> host = h);
  }

  /**
   * Creates the topics this service writes and reads, should the broker lack them; in the
   * background and until it works, because the service can take orders while the broker is away
   * (the outbox keeps the events).
   */
  private void ensureTopics(OrderConfig config) {
    Topics.ensure(vertx, config.kafka(), List.of(OrderEvents.TOPIC, PaymentEvent.TOPIC))
        .onFailure(
            e -> {
              if (stopping) {
                return;
              }
              LOG.warn("Could not ensure the Kafka topics, trying again: {}", e.getMessage());
              vertx.setTimer(TOPICS_RETRY_MS, t -> ensureTopics(config));
            });
  }

  /**
   * Common's consumer settings, but {@value #PAYMENT_EVENT_ATTEMPTS} attempts unless
   * EVENTS_MAX_ATTEMPTS says otherwise: a payment outcome that cannot be applied is almost always a
   * database that is away for a while (undecodable events are dead-lettered at once anyway), and a
   * dead-lettered outcome would leave its order to be cancelled by the deadline and refunded.
   */
  private EventConsumer.Options consumerOptions() {
    EventConsumer.Options options = EventConsumer.Options.from(env);
    return env.string("EVENTS_MAX_ATTEMPTS", null) == null
        ? options.withMaxAttempts(PAYMENT_EVENT_ATTEMPTS)
        : options;
  }

  /** The port the service listens on, once started. */
  public int port() {
    return host.port();
  }

  /** The management port (health and metrics), once started. */
  public int managementPort() {
    return host.managementPort();
  }

  /** The deadline sweeper, for tests and operators' tools. */
  public DeadlineSweeper sweeper() {
    return sweeper;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(() -> sweeper == null ? Future.succeededFuture() : sweeper.stop())
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop())
        .eventually(() -> relay == null ? Future.succeededFuture() : relay.stop())
        .eventually(
            () -> {
              if (cart != null) {
                cart.close();
              }
              if (catalog != null) {
                catalog.close();
              }
              if (payment != null) {
                payment.close();
              }
              return Future.succeededFuture();
            })
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
