package dev.storefront.common.runtime;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.discovery.DeadMemberReaper;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.http.StrictRequestDecoder;
import dev.storefront.common.logging.RequestIdJsonProvider;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's HTTP side in this process and makes it findable: one HTTP server verticle per
 * event loop on the service port, one small management server (health and metrics) on a port of its
 * own, one discovery record for the process once it listens, a local view of every other service's
 * instances, and the reaper that removes records of dead members. Stopping withdraws the record
 * first, then drains the servers; the management server closes last, so probes see the process
 * report not ready while it drains.
 */
public final class ServiceHost {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);

  /** How long gateways get to hear that this instance is leaving before its servers drain. */
  private static final Duration WITHDRAW_GRACE = Duration.ofMillis(500);

  private static final long PUBLISH_RETRY_MS = 1_000;
  private static final Duration UNPUBLISH_TIMEOUT = Duration.ofSeconds(2);
  private static final long PUBLISH_TIMEOUT_MS = 5_000;
  private static final long RECORD_CHECK_MS = 10_000;
  private static final long RECORD_QUERY_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final ServiceIdentity identity;
  private final Health health;
  private final ServiceDiscovery discovery;
  private final ServiceDirectory directory;
  private final DeadMemberReaper reaper;
  private UnaryOperator<HttpServerOptions> serverOptions = UnaryOperator.identity();
  private Record published;
  private Future<Void> withdrawal;
  private int port;
  private HttpServer management;

  private ServiceHost(Vertx vertx, ServiceIdentity identity, Health health) {
    this.vertx = vertx;
    this.identity = identity;
    this.health = health;
    this.discovery = ServiceDiscovery.create(vertx);
    this.directory = new ServiceDirectory(vertx, discovery);
    var registry = Metrics.registry();
    this.reaper =
        new DeadMemberReaper(
            vertx,
            discovery,
            Counter.builder("storefront_discovery_records_reaped")
                .description(
                    "Discovery records of departed cluster members removed by this process")
                .register(registry));
    Gauge.builder(
            "storefront_discovery_instances",
            directory,
            d -> d.all().values().stream().mapToInt(java.util.List::size).sum())
        .description("Endpoints in this process's view of discovery")
        .register(registry);
  }

  /** A host whose discovery view exists already, before anything listens or is published. */
  public static ServiceHost create(Vertx vertx, ServiceIdentity identity, Health health) {
    RequestIdJsonProvider.identify(identity.service(), identity.instanceId());
    ClusterMembership membership = ClusterMembership.of(vertx);
    health.check(
        "cluster",
        () ->
            membership.healthy()
                ? Future.succeededFuture()
                : Future.failedFuture("not a running member of the cluster"));
    ServiceHost host = new ServiceHost(vertx, identity, health);
    health.report("discovery", host::discoveryReport);
    return host;
  }

  /**
   * Empty while the view of other services comes from the cluster; otherwise the instances still
   * routed to although their members are out of this process's sight of it.
   */
  private JsonObject discoveryReport() {
    List<Endpoint> retained = directory.retained();
    if (retained.isEmpty()) {
      return new JsonObject();
    }
    return new JsonObject()
        .put(
            "degraded",
            "routing to instances this process cannot see in the cluster, while they answer")
        .put(
            "retained",
            new JsonArray(retained.stream().map(e -> e.service() + "@" + e.authority()).toList()));
  }

  /** Adjusts the HTTP server options (limits, timeouts) before the servers start. */
  public ServiceHost withServerOptions(UnaryOperator<HttpServerOptions> adjust) {
    this.serverOptions = adjust;
    return this;
  }

  /** {@link #create} then {@link #start(HttpConfig, Function)}. */
  public static Future<ServiceHost> start(
      Vertx vertx,
      ServiceIdentity identity,
      HttpConfig http,
      Health health,
      Function<Vertx, Router> routerFactory) {
    return create(vertx, identity, health).start(http, routerFactory);
  }

  /**
   * Starts {@code http.instances()} servers, each with a router from {@code routerFactory}, then
   * publishes the endpoint.
   */
  public Future<ServiceHost> start(HttpConfig http, Function<Vertx, Router> routerFactory) {
    return directory
        .start()
        .compose(d -> listenForManagement(http))
        .compose(v -> listen(http, routerFactory))
        // The management port first: whoever sees the port file finds the management port too.
        .compose(v -> writePortFile(http.managementPortFile(), managementPort()))
        .compose(v -> writePortFile(http.portFile(), port))
        // A start that failed leaves nothing listening, and says so only once it does not.
        .recover(e -> closeManagement().transform(closed -> Future.<Void>failedFuture(e)))
        .map(this)
        .onSuccess(
            h -> {
              LOG.info(
                  "{} instance {} listening on {}:{} with {} event-loop servers, management on"
                      + " {}:{}",
                  identity.service(),
                  identity.instanceId(),
                  http.host(),
                  port,
                  http.instances(),
                  http.managementHost(),
                  managementPort());
              reaper.start();
              publishWhenReady(http, true);
            });
  }

  /** The service port, the one discovery publishes. */
  public int port() {
    return port;
  }

  /** The management port: {@code /health/live}, {@code /health/ready}, {@code /metrics}. */
  public int managementPort() {
    return management == null ? 0 : management.actualPort();
  }

  public ServiceIdentity identity() {
    return identity;
  }

  public ServiceDirectory directory() {
    return directory;
  }

  public ServiceDiscovery discovery() {
    return discovery;
  }

  /** Call from the service verticle's stop, after its servers have drained. */
  public Future<Void> stop() {
    LOG.info("Servers drained; leaving discovery");
    return withdraw()
        .eventually(directory::stop)
        .eventually(
            () -> {
              reaper.stop();
              discovery.close();
              return closeManagement();
            });
  }

  private Future<Void> closeManagement() {
    return management == null ? Future.succeededFuture() : management.close();
  }

  /**
   * One server for the whole process: probes and scrapes are few, and the answers come from state
   * every event loop shares.
   */
  private Future<Void> listenForManagement(HttpConfig http) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(http.managementHost())
            .setPort(http.managementPort())
            .setCompressionSupported(true)
            .setIdleTimeout(60);
    return StrictRequestDecoder.createServer(vertx, options, http.headTimeout())
        .requestHandler(ServiceRouter.management(vertx, health))
        .listen()
        .onSuccess(s -> management = s)
        .mapEmpty();
  }

  private Future<Void> listen(HttpConfig http, Function<Vertx, Router> routerFactory) {
    // Servers of one process share the port, even port 0: the first bind picks it for all.
    return deployServers(http, routerFactory, http.port(), http.instances())
        .onSuccess(actual -> port = actual)
        .mapEmpty();
  }

  private Future<Integer> deployServers(
      HttpConfig http, Function<Vertx, Router> routerFactory, int listenPort, int count) {
    HttpServerOptions options =
        serverOptions.apply(
            http.applyTls(new HttpServerOptions())
                .setHost(http.host())
                .setPort(listenPort)
                .setTcpNoDelay(true)
                .setCompressionSupported(true)
                .setIdleTimeout(60));
    HttpServerVerticle[] last = new HttpServerVerticle[1];
    return vertx
        .deployVerticle(
            () -> {
              last[0] =
                  new HttpServerVerticle(
                      routerFactory,
                      options,
                      http.headTimeout(),
                      http.drainTimeout(),
                      this::withdraw);
              return last[0];
            },
            new DeploymentOptions().setInstances(count))
        .map(id -> last[0].actualPort());
  }

  /**
   * Publishes the endpoint once every readiness check passes, so callers only ever find instances
   * that can serve them; until then it checks again every second.
   */
  private void publishWhenReady(HttpConfig http, boolean firstTry) {
    if (withdrawing()) {
      return;
    }
    health
        .checkReadiness()
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().getUp()) {
                publish(http)
                    .onFailure(
                        e -> {
                          LOG.warn("Could not publish the endpoint, retrying: {}", e.getMessage());
                          vertx.setTimer(PUBLISH_RETRY_MS, t -> publishWhenReady(http, false));
                        });
                return;
              }
              if (firstTry) {
                LOG.info(
                    "Not ready yet, publishing once it is: {}",
                    ar.succeeded() ? ar.result().toJson().encode() : ar.cause().getMessage());
              }
              vertx.setTimer(PUBLISH_RETRY_MS, t -> publishWhenReady(http, false));
            });
  }

  private Future<Void> publish(HttpConfig http) {
    String nodeId = ClusterMembership.of(vertx).nodeId();
    Record endpoint = Endpoint.record(identity, http.publicHost(), port, managementPort(), nodeId);
    return publishWithin(
            () -> discovery.publish(endpoint),
            late -> discovery.unpublish(late.getRegistration()),
            PUBLISH_TIMEOUT_MS)
        .compose(
            record -> {
              synchronized (this) {
                if (withdrawal == null) {
                  published = record;
                  LOG.info("Published {} at {}:{}", identity.service(), http.publicHost(), port);
                  watch(record, http);
                  return Future.<Void>succeededFuture();
                }
              }
              // Stopping began while the record was on its way: take it back.
              return discovery.unpublish(record.getRegistration());
            });
  }

  /**
   * A publication given {@code limitMillis}. A store held up by a cluster in trouble (a frozen
   * member, partitions on the move) answers only at Hazelcast's call timeout, two minutes; given up
   * sooner, the endpoint is tried again at the next retry. A publication given up may still land
   * afterwards: that record is taken back at once, so the one the retry publishes stays the only
   * one and none outlives this process's withdrawal.
   */
  static Future<Record> publishWithin(
      Supplier<Future<Record>> publish, Function<Record, Future<Void>> takeBack, long limitMillis) {
    Future<Record> publication = publish.get();
    return publication
        .timeout(limitMillis, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              if (!publication.isComplete()) {
                publication.onSuccess(
                    late ->
                        takeBack
                            .apply(late)
                            .onFailure(
                                f ->
                                    LOG.warn(
                                        "Could not take back the late record {}: {}",
                                        late.getRegistration(),
                                        f.getMessage())));
              }
            });
  }

  /** Publishes again should {@code record} vanish from the store (see {@link OwnRecordWatch}). */
  private void watch(Record record, HttpConfig http) {
    String registration = record.getRegistration();
    new OwnRecordWatch(
            vertx,
            RECORD_CHECK_MS,
            RECORD_QUERY_TIMEOUT_MS,
            () ->
                discovery
                    .getRecord(r -> registration.equals(r.getRegistration()), true)
                    .map(found -> found != null),
            () -> publishWhenReady(http, true),
            this::withdrawing)
        .start();
  }

  private synchronized boolean withdrawing() {
    return withdrawal != null;
  }

  /** Not ready, record removed, a moment for callers to notice; once, however often asked. */
  private synchronized Future<Void> withdraw() {
    if (withdrawal == null) {
      LOG.info("Stopping: reporting not ready and withdrawing from discovery, then draining");
      health.stopAccepting();
      withdrawal =
          published == null
              ? Future.succeededFuture()
              : discovery
                  .unpublish(published.getRegistration())
                  // The cluster may be busy moving partitions (a member just joined or died) and
                  // hold the removal back; stopping must not wait on it: survivors remove the
                  // record of a member that has left anyway.
                  .timeout(UNPUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .recover(
                      e -> {
                        LOG.warn(
                            "Could not unpublish {}: {}",
                            published.getRegistration(),
                            e.getMessage());
                        return Future.succeededFuture();
                      })
                  .compose(v -> sleep(WITHDRAW_GRACE));
    }
    return withdrawal;
  }

  private Future<Void> sleep(Duration duration) {
    return vertx.timer(duration.toMillis()).mapEmpty();
  }

  private Future<Void> writePortFile(String file, int value) {
    if (file.isEmpty()) {
      return Future.succeededFuture();
    }
    Path target = Path.of(file);
    return vertx.executeBlocking(
        () -> {
          Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
          Files.createDirectories(target.toAbsolutePath().getParent());
          Files.writeString(tmp, Integer.toString(value), StandardCharsets.US_ASCII);
          Files.move(
              tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return null;
        });
  }
}
