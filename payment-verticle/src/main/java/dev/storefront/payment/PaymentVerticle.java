package dev.storefront.payment;

import dev.storefront.common.config.Env;
import dev.storefront.common.db.Postgres;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.OutboxRelay;
import dev.storefront.common.events.Topics;
import dev.storefront.common.http.Health;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.runtime.ServiceHost;
import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.events.OrderEvents;
import dev.storefront.payment.events.OrderEventsHandler;
import dev.storefront.payment.events.PaymentEvents;
import dev.storefront.payment.http.PaymentRouter;
import dev.storefront.payment.processor.CardProcessor;
import dev.storefront.payment.processor.SimulatedCardProcessor;
import dev.storefront.payment.repository.PaymentRepository;
import dev.storefront.payment.repository.TokenRepository;
import dev.storefront.payment.service.CardVault;
import dev.storefront.payment.service.PaymentMetrics;
import dev.storefront.payment.service.PaymentService;
import dev.storefront.payment.service.PaymentTokens;
import dev.storefront.payment.service.RecoverySweeper;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment service: charges each created order once against the card processor and publishes the
 * outcome; voids or refunds the payment of a cancelled order. The launcher deploys this verticle
 * once per process, so the process has one consumer of {@code orders.events}, one outbox relay and
 * one recovery sweeper, whatever the number of HTTP event loops.
 */
public class PaymentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentVerticle.class);
  private static final long TOPICS_RETRY_MS = 2_000;

  private final Env env;
  private final MeterRegistry registry;
  private final CardProcessor givenProcessor;
  private Pool pool;
  private KafkaAdminClient kafka;
  private ServiceHost host;
  private OutboxRelay relay;
  private RecoverySweeper sweeper;
  private CardProcessor processor;
  private PaymentService payments;
  private volatile EventConsumer consumer;
  private volatile boolean stopping;

  public PaymentVerticle() {
    this(Env.system());
  }

  public PaymentVerticle(Env env) {
    this(env, null, null);
  }

  /**
   * With {@code registry} for the service's own meters (null: the process's registry) and {@code
   * processor} as the card processor (null: the simulated one, configured from {@code env}).
   */
  public PaymentVerticle(Env env, MeterRegistry registry, CardProcessor processor) {
    this.env = env;
    this.registry = registry;
    this.givenProcessor = processor;
  }

  @Override
  public Future<?> start() {
    ServiceIdentity identity = ServiceIdentity.create(PaymentConfig.SERVICE, getClass());
    PaymentConfig config = PaymentConfig.from(env, identity.instanceId());
    MeterRegistry meters = registry != null ? registry : Metrics.registry();
    Health health = new Health(vertx);
    kafka = KafkaClients.watched(vertx, config.kafka(), health);
    health.check(
        "orders-events",
        () ->
            consumer != null
                ? Future.succeededFuture()
                : Future.failedFuture("not consuming " + OrderEvents.TOPIC + " yet"));
    processor =
        givenProcessor != null
            ? givenProcessor
            : new SimulatedCardProcessor(vertx, config.processor());
    CardVault vault;
    try {
      vault = CardVault.of(PaymentConfig.Tokens.CARD_KEY_ENV, config.tokens().cardKey());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Clock clock = Clock.systemUTC();
    PaymentMetrics metrics = new PaymentMetrics(meters);
    return Postgres.start(vertx, config.db(), config.http().instances(), health)
        .compose(
            p -> {
              pool = p;
              PaymentRepository repository = new PaymentRepository(pool);
              PaymentTokens tokens =
                  new PaymentTokens(
                      new TokenRepository(pool), vault, config.tokens(), clock, metrics);
              payments =
                  new PaymentService(
                      vertx,
                      repository,
                      processor,
                      config.charging(),
                      config.recovery().abandonAfter(),
                      metrics,
                      tokens);
              sweeper = new RecoverySweeper(vertx, repository, payments, config.recovery());
              sweeper.start();
              startConsuming(config);
              return OutboxRelay.start(vertx, pool, config.kafka(), OutboxRelay.Options.from(env))
                  .compose(
                      r -> {
                        relay = r;
                        return ServiceHost.start(
                            vertx,
                            identity,
                            config.http(),
                            health,
                            v -> PaymentRouter.create(v, env, repository, tokens, clock));
                      });
            })
        .onSuccess(h -> host = h);
  }

  /**
   * Creates the topics, then consumes {@code orders.events}. A broker that is not there yet only
   * delays this (the service is not ready meanwhile); it does not fail the start.
   */
  private void startConsuming(PaymentConfig config) {
    if (stopping) {
      return;
    }
    Topics.ensure(
            vertx,
            config.kafka(),
            List.of(OrderEvents.TOPIC, PaymentEvents.TOPIC),
            Topics.Settings.from(env))
        .compose(
            v ->
                EventConsumer.start(
                    vertx,
                    config.kafka(),
                    List.of(OrderEvents.TOPIC),
                    new OrderEventsHandler(payments),
                    consumerOptions(config)))
        .onSuccess(
            c -> {
              if (stopping) {
                c.stop();
              } else {
                consumer = c;
              }
            })
        .onFailure(
            e -> {
              LOG.warn(
                  "Cannot consume {} yet, trying again: {}", OrderEvents.TOPIC, e.getMessage());
              vertx.setTimer(TOPICS_RETRY_MS, t -> startConsuming(config));
            });
  }

  /**
   * One attempt at an order event may charge with all its retries and then reverse with all of
   * theirs; it must not count as failed before that can be done.
   */
  private EventConsumer.Options consumerOptions(PaymentConfig config) {
    PaymentConfig.Charging charging = config.charging();
    Duration oneRound =
        charging.timeout().plus(charging.maxBackoff()).multipliedBy(charging.attempts());
    Duration needed = oneRound.multipliedBy(2).plusSeconds(10);
    EventConsumer.Options options =
        EventConsumer.Options.from(env).withMaxAttempts(config.eventAttempts());
    return options.handlerTimeout().compareTo(needed) >= 0
        ? options
        : options.withHandlerTimeout(needed);
  }

  /** The HTTP port, once started. */
  public int port() {
    return host.port();
  }

  /** The management port (health and metrics), once started. */
  public int managementPort() {
    return host.managementPort();
  }

  /** The card processor this service charges against. */
  public CardProcessor processor() {
    return processor;
  }

  /** Recovery, for operators' tools and tests that want a sweep now. */
  public RecoverySweeper recovery() {
    return sweeper;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> stopped = host == null ? Future.succeededFuture() : host.stop();
    return stopped
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop())
        .eventually(() -> sweeper == null ? Future.succeededFuture() : sweeper.stop())
        .eventually(() -> relay == null ? Future.succeededFuture() : relay.stop())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close());
  }
}
