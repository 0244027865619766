package dev.storefront.common.discovery;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's local view of the published endpoints, kept current from discovery announcements,
 * so that choosing an instance never costs a cluster look-up. A periodic re-read repairs the view
 * should an announcement be lost. When a member leaves the cluster, its endpoints are asked at once
 * whether they still answer their own readiness check: a dead instance does not and is dropped at
 * once, before its record is even removed from the store; one that does is kept, and asked again
 * every {@value #RETAINED_PROBE_MS} ms, because a member that has only lost sight of the cluster
 * (or this process has) still serves. So a process cut off from the cluster keeps routing on its
 * last view, checked by the instances' health and by the callers' breakers, and says so ({@link
 * #retained}).
 */
public final class ServiceDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceDirectory.class);
  private static final long RESYNC_MS = 15_000;
  static final long RETAINED_PROBE_MS = 2_000;
  private static final long PROBE_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final ClusterMembership membership;
  private final Map<String, Endpoint> byRegistration = new HashMap<>();

  /** Endpoints of members this process no longer sees in the cluster that still answer. */
  private final Map<String, Endpoint> retained = new HashMap<>();

  private final HttpClient probes;
  private long retainedTimer = -1;
  private final List<Consumer<Map<String, List<Endpoint>>>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile Map<String, List<Endpoint>> byService = Map.of();
  private MessageConsumer<JsonObject> announcements;
  private Runnable stopMembershipEvents = () -> {};
  private long resyncTimer = -1;
  private boolean resyncing;
  private long readsStarted;
  private long lastApplied;
  private boolean resyncAgain;

  public ServiceDirectory(Vertx vertx, ServiceDiscovery discovery) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.membership = ClusterMembership.of(vertx);
    this.probes =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) PROBE_TIMEOUT_MS)
                .setKeepAlive(false)
                .setName("discovery-probes")
                .setMetricsName(Metrics.UNMETERED + "discovery-probes"));
  }

  /** Subscribes first, then reads the store, so no announcement falls between the two. */
  public Future<ServiceDirectory> start() {
    announcements =
        vertx
            .eventBus()
            .consumer(discovery.options().getAnnounceAddress(), msg -> onAnnouncement(msg.body()));
    stopMembershipEvents = membership.onMemberLeft(this::dropMember);
    resyncTimer = vertx.setPeriodic(RESYNC_MS, id -> resync());
    retainedTimer = vertx.setPeriodic(RETAINED_PROBE_MS, id -> probeRetained());
    return announcements.completion().compose(v -> resync()).map(this);
  }

  public Future<Void> stop() {
    vertx.cancelTimer(resyncTimer);
    vertx.cancelTimer(retainedTimer);
    stopMembershipEvents.run();
    probes.close();
    return announcements == null ? Future.succeededFuture() : announcements.unregister();
  }

  /** The instances of {@code service} now, in a stable order. Cheap: a volatile read. */
  public List<Endpoint> instances(String service) {
    return byService.getOrDefault(service, List.of());
  }

  public Map<String, List<Endpoint>> all() {
    return byService;
  }

  /**
   * The endpoints kept in the view although their members are out of this process's sight of the
   * cluster, because they still answer: empty unless this process, or they, lost the cluster.
   */
  public synchronized List<Endpoint> retained() {
    return List.copyOf(retained.values());
  }

  /** Called with the whole view after every change. */
  public void onChange(Consumer<Map<String, List<Endpoint>>> listener) {
    listeners.add(listener);
  }

  private Future<Void> resync() {
    long read = ++readsStarted;
    return discovery
        .getRecords(r -> true)
        .onSuccess(
            records -> {
              // Re-reads overlap; one that started before the last applied read is stale.
              if (read < lastApplied) {
                return;
              }
              lastApplied = read;
              byRegistration.clear();
              records.stream()
                  .filter(Endpoint::up)
                  .map(Endpoint::from)
                  .filter(e -> e != null)
                  .forEach(e -> byRegistration.put(e.registration(), e));
              publishView();
            })
        .onFailure(e -> LOG.warn("Could not re-read discovery records: {}", e.getMessage()))
        .mapEmpty();
  }

  /**
   * Announcements say that something changed, but vertx-service-discovery sends them without the
   * record's registration id, so they cannot be applied one by one: re-read the store instead,
   * merging announcements that arrive while a re-read is under way into one more re-read.
   */
  private void onAnnouncement(JsonObject json) {
    if (resyncing) {
      resyncAgain = true;
      return;
    }
    resyncing = true;
    resync()
        .onComplete(
            ar -> {
              resyncing = false;
              if (resyncAgain) {
                resyncAgain = false;
                onAnnouncement(json);
              }
            });
  }

  /**
   * A member left this process's view of the cluster: its endpoints leave the view now, and come
   * back as retained once one answers its readiness check.
   */
  private void dropMember(String nodeId) {
    List<Endpoint> gone =
        byRegistration.values().stream().filter(e -> e.nodeId().equals(nodeId)).toList();
    if (gone.isEmpty()) {
      return;
    }
    gone.forEach(e -> byRegistration.remove(e.registration()));
    publishView();
    for (Endpoint endpoint : gone) {
      answers(endpoint)
          .onSuccess(
              up -> {
                if (up && !membership.memberIds().contains(endpoint.nodeId())) {
                  LOG.warn(
                      "{} at {} left this process's view of the cluster but still answers; routing"
                          + " to it while it does",
                      endpoint.service(),
                      endpoint.authority());
                  synchronized (this) {
                    retained.put(endpoint.registration(), endpoint);
                  }
                  publishView();
                }
              });
    }
  }

  /** Drops retained endpoints that stopped answering, or whose members are back in sight. */
  private void probeRetained() {
    for (Endpoint endpoint : retained()) {
      if (membership.memberIds().contains(endpoint.nodeId())
          && byRegistration.containsKey(endpoint.registration())) {
        release(endpoint, "its member and record are back in the cluster");
        continue;
      }
      answers(endpoint)
          .onSuccess(
              up -> {
                if (!up) {
                  release(endpoint, "it no longer answers");
                }
              });
    }
  }

  private void release(Endpoint endpoint, String why) {
    boolean removed;
    synchronized (this) {
      removed = retained.remove(endpoint.registration()) != null;
    }
    if (removed) {
      LOG.info(
          "No longer routing to retained {} at {}: {}",
          endpoint.service(),
          endpoint.authority(),
          why);
      publishView();
    }
  }

  /** Whether the endpoint's own readiness check answers 200 within the probe time limit. */
  private Future<Boolean> answers(Endpoint endpoint) {
    if (endpoint.managementPort() <= 0) {
      return Future.succeededFuture(false);
    }
    return probes
        .request(
            new RequestOptions()
                .setHost(endpoint.host())
                .setPort(endpoint.managementPort())
                .setURI("/health/ready")
                .setTimeout(PROBE_TIMEOUT_MS))
        .compose(request -> request.send())
        .compose(response -> response.body().map(b -> response.statusCode() == 200))
        .otherwise(false);
  }

  private void publishView() {
    var live = membership.memberIds();
    Map<String, List<Endpoint>> view = new HashMap<>();
    List<Endpoint> kept = retained();
    java.util.stream.Stream.concat(
            byRegistration.values().stream().filter(e -> live.contains(e.nodeId())),
            kept.stream().filter(e -> !byRegistration.containsKey(e.registration())))
        .sorted(Comparator.comparing(Endpoint::registration))
        .forEach(e -> view.computeIfAbsent(e.service(), s -> new ArrayList<>()).add(e));
    view.replaceAll((service, list) -> List.copyOf(list));
    byService = Map.copyOf(view);
    listeners.forEach(listener -> listener.accept(byService));
  }
}
