package dev.storefront.catalog;

import dev.storefront.catalog.cache.ProductCache;
import dev.storefront.catalog.config.CatalogConfig;
import dev.storefront.catalog.demo.DemoCatalog;
import dev.storefront.catalog.demo.DemoSeeder;
import dev.storefront.catalog.events.OrderEvents;
import dev.storefront.catalog.events.ProductChanges;
import dev.storefront.catalog.http.CatalogRouter;
import dev.storefront.catalog.repository.CategoryRepository;
import dev.storefront.catalog.repository.ProductRepository;
import dev.storefront.catalog.repository.ReservationRepository;
import dev.storefront.catalog.service.ProductService;
import dev.storefront.catalog.service.ReservationService;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
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
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The catalog service: products, categories, prices, stock and stock reservations. */
public class CatalogVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogVerticle.class);

  private final Env env;
  private final MeterRegistry registry;
  private Pool pool;
  private KafkaAdminClient kafka;
  private ServiceHost host;
  private MessageConsumer<JsonObject> changesConsumer;
  private ProductCache cache;
  private ReservationService reservations;
  private Future<EventConsumer> orderEvents;

  public CatalogVerticle() {
    this(Env.system());
  }

  public CatalogVerticle(Env env) {
    this(env, null);
  }

  /** With {@code registry} for the catalog's own meters (null: the process's registry). */
  public CatalogVerticle(Env env, MeterRegistry registry) {
    this.env = env;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(CatalogConfig.SERVICE, getClass());
    CatalogConfig config = CatalogConfig.from(env, identity.instanceId());
    MeterRegistry meters = registry != null ? registry : Metrics.registry();
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    // One cache for every event loop of the process; each HTTP verticle gets the same services.
    cache = new ProductCache(config.cacheSize(), config.cacheTtl(), meters);
    ProductChanges changes = new ProductChanges(vertx, cache);
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              return config.demoData() ? seedDemoData(config) : Future.succeededFuture();
            })
        .compose(v -> changes.listen())
        .compose(
            consumer -> {
              changesConsumer = consumer;
              ProductService products =
                  new ProductService(
                      new ProductRepository(pool), new CategoryRepository(pool), cache, changes);
              reservations =
                  new ReservationService(new ReservationRepository(pool), changes, meters);
              if (config.orderEvents()) {
                orderEvents = consumeOrderEvents(config, meters);
              }
              return ServiceHost.start(
                  vertx,
                  identity,
                  config.http(),
                  health,
                  v -> CatalogRouter.create(v, env, identity, products, reservations));
            })
        .onSuccess(h -> host = h);
  }

  /**
   * Fills an empty catalog before the service takes traffic. A failure is logged, not fatal: the
   * demo catalog is a convenience, and the service works without it.
   */
  private Future<Void> seedDemoData(CatalogConfig config) {
    return vertx
        .executeBlocking(() -> DemoCatalog.generate(config.demoProducts()))
        .compose(catalog -> new DemoSeeder(pool).seedIfEmpty(catalog))
        .onSuccess(
            seeded -> {
              if (seeded) {
                LOG.info("Demo catalog of {} products seeded", config.demoProducts());
              } else {
                LOG.info("Catalog already has products; demo catalog not seeded");
              }
            })
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("Could not seed the demo catalog: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * One consumer of order events per process (this verticle is deployed once; the HTTP verticles
   * per event loop). Started in the background: the broker may be away, and the consumer waits for
   * it without holding up the catalog's own API.
   */
  private Future<EventConsumer> consumeOrderEvents(CatalogConfig config, MeterRegistry meters) {
    return EventConsumer.startCreatingTopics(
        vertx,
        config.kafka(),
        List.of(OrderEvents.TOPIC),
        Topics.Settings.from(env),
        new OrderEvents(reservations, meters),
        config.events());
  }

  /** The HTTP port, once started. */
  public int port() {
    return host.port();
  }

  /** The management port (health and metrics), once started. */
  public int managementPort() {
    return host.managementPort();
  }

  /** The process's product cache, for tests and operators' tools. */
  public ProductCache cache() {
    return cache;
  }

  /** Stock reservations, for callers in this process (consumers of order events). */
  public ReservationService reservations() {
    return reservations;
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(
            () -> orderEvents == null ? Future.succeededFuture() : EventConsumer.stop(orderEvents))
        .eventually(
            () -> changesConsumer == null ? Future.succeededFuture() : changesConsumer.unregister())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close());
  }
}
