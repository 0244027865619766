package dev.storefront.notification;

import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.Topics;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.runtime.ServiceHost;
import dev.storefront.notification.config.NotificationConfig;
import dev.storefront.notification.delivery.Dispatcher;
import dev.storefront.notification.delivery.EmailSender;
import dev.storefront.notification.delivery.MailTemplates;
import dev.storefront.notification.delivery.WebhookSender;
import dev.storefront.notification.delivery.WebhookUrlPolicy;
import dev.storefront.notification.events.NotificationEventsHandler;
import dev.storefront.notification.events.OrderEvents;
import dev.storefront.notification.events.PaymentEvents;
import dev.storefront.notification.http.FeedRouter;
import dev.storefront.notification.http.WebhookRouter;
import dev.storefront.notification.metrics.NotificationMetrics;
import dev.storefront.notification.repository.ContactRepository;
import dev.storefront.notification.repository.DeliveryRepository;
import dev.storefront.notification.repository.FeedRepository;
import dev.storefront.notification.repository.WebhookRepository;
import dev.storefront.notification.stream.FeedStreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The notification service: consumes order and payment events into the in-app feed and the delivery
 * log, sends the log's e-mails and webhooks, and serves the feed, its live stream and the webhook
 * API. The launcher deploys this verticle once per process, so the process has one consumer and one
 * dispatcher, whatever the number of HTTP event loops.
 *
 * <p>Readiness leaves Kafka out, as the order service does: the feed, the stream and the webhook
 * API only need PostgreSQL, and a broker outage only delays new notifications (the consumer resumes
 * from its committed offsets).
 */
public class NotificationVerticle extends VerticleBase {

  static final List<String> TOPICS = List.of(OrderEvents.TOPIC, PaymentEvents.TOPIC);

  private final Env env;
  private final MeterRegistry givenRegistry;
  private Pool pool;
  private FeedStreams streams;
  private ServiceHost host;
  private EmailSender email;
  private WebhookSender webhookSender;
  private Dispatcher dispatcher;
  private NotificationEventsHandler handler;
  private Future<EventConsumer> consuming;

  public NotificationVerticle() {
    this(Env.system());
  }

  public NotificationVerticle(Env env) {
    this(env, null);
  }

  /** With its own meter registry instead of the process's: for tests of several in one JVM. */
  public NotificationVerticle(Env env, MeterRegistry registry) {
    this.env = env;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(NotificationConfig.SERVICE, getClass());
    NotificationConfig config = NotificationConfig.from(env, identity.instanceId());
    MeterRegistry meters = givenRegistry != null ? givenRegistry : Metrics.registry();
    NotificationMetrics metrics = new NotificationMetrics(meters);
    Health health = new Health(vertx);
    return vertx
        .executeBlocking(MailTemplates::load, false)
        .compose(
            templates ->
                Postgres.start(vertx, config.db(), config.http().instances(), health)
                    .map(
                        p -> {
                          pool = p;
                          return templates;
                        }))
        .compose(
            templates -> {
              FeedRepository feed = new FeedRepository(pool);
              ContactRepository contacts = new ContactRepository(pool);
              DeliveryRepository deliveries = new DeliveryRepository(pool);
              WebhookRepository webhooks = new WebhookRepository(pool);
              email = new EmailSender(vertx, config.mail(), templates, contacts, meters);
              webhookSender =
                  new WebhookSender(
                      vertx,
                      config.webhook(),
                      webhooks,
                      new WebhookUrlPolicy(config.webhook().allowPrivateTargets()));
              dispatcher =
                  new Dispatcher(
                      vertx,
                      deliveries,
                      email,
                      webhookSender,
                      config.mail().retry(),
                      config.webhook().retry(),
                      config.delivery(),
                      metrics);
              dispatcher.start();
              handler =
                  new NotificationEventsHandler(
                      vertx,
                      pool,
                      feed,
                      contacts,
                      deliveries,
                      webhooks,
                      config.webhook().shop().isPresent(),
                      metrics,
                      config.delivery().maxEventAge(),
                      dispatcher::nudge);
              streams = new FeedStreams(feed, config.feed(), meters);
              // Subscribed before the servers listen: no stream can open and miss an announcement.
              return streams
                  .subscribe(vertx)
                  .compose(
                      v -> {
                        consuming =
                            EventConsumer.startCreatingTopics(
                                vertx,
                                config.kafka(),
                                TOPICS,
                                Topics.Settings.from(env),
                                handler,
                                EventConsumer.Options.from(env));
                        return ServiceHost.start(
                            vertx,
                            identity,
                            config.http(),
                            health,
                            server -> router(server, feed, webhooks, deliveries, config));
                      });
            })
        .onSuccess(h -> host = h);
  }

  private Router router(
      Vertx server,
      FeedRepository feed,
      WebhookRepository webhooks,
      DeliveryRepository deliveries,
      NotificationConfig config) {
    // Everything under /api/ is the caller's own: 401 without one.
    Router router = ServiceRouter.withIdentity(server, env, "/api/*");
    WebhookRouter.mount(router, webhooks, deliveries, config.webhook());
    FeedRouter.mount(router, feed, streams, config.feed());
    return ServiceRouter.complete(router);
  }

  /** The port the service listens on, once started. */
  public int port() {
    return host.port();
  }

  /** The management port (health and metrics), once started. */
  public int managementPort() {
    return host.managementPort();
  }

  /**
   * In reverse order of start; each step bounded, so the whole stop stays within its grace. The
   * HTTP servers drain first, and each stream ends as its server begins to drain; closing the
   * streams afterwards only refuses late ones and stops the announcements.
   */
  @Override
  public Future<?> stop() {
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(() -> streams == null ? Future.succeededFuture() : streams.close())
        .eventually(
            () -> consuming == null ? Future.succeededFuture() : EventConsumer.stop(consuming))
        .eventually(() -> dispatcher == null ? Future.succeededFuture() : dispatcher.stop())
        .eventually(() -> webhookSender == null ? Future.succeededFuture() : webhookSender.close())
        .eventually(() -> email == null ? Future.succeededFuture() : email.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
