package dev.storefront.common.discovery;

import dev.storefront.common.cluster.ClusterMembership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
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
 * should an announcement be lost, and endpoints of members that left are dropped at once, before
 * their records are even removed from the store.
 */
public final class ServiceDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceDirectory.class);
  private static final long RESYNC_MS = 15_000;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final ClusterMembership membership;
  private final Map<String, Endpoint> byRegistration = new HashMap<>();
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
  }

  /** Subscribes first, then reads the store, so no announcement falls between the two. */
  public Future<ServiceDirectory> start() {
    announcements =
        vertx
            .eventBus()
            .consumer(discovery.options().getAnnounceAddress(), msg -> onAnnouncement(msg.body()));
    stopMembershipEvents = membership.onMemberLeft(this::dropMember);
    resyncTimer = vertx.setPeriodic(RESYNC_MS, id -> resync());
    return announcements.completion().compose(v -> resync()).map(this);
  }

  public Future<Void> stop() {
    vertx.cancelTimer(resyncTimer);
    stopMembershipEvents.run();
    return announcements == null ? Future.succeededFuture() : announcements.unregister();
  }

  /** The instances of {@code service} now, in a stable order. Cheap: a volatile read. */
  public List<Endpoint> instances(String service) {
    return byService.getOrDefault(service, List.of());
  }

  public Map<String, List<Endpoint>> all() {
    return byService;
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

  private void dropMember(String nodeId) {
    if (byRegistration.values().removeIf(e -> e.nodeId().equals(nodeId))) {
      publishView();
    }
  }

  private void publishView() {
    var live = membership.memberIds();
    Map<String, List<Endpoint>> view = new HashMap<>();
    byRegistration.values().stream()
        .filter(e -> live.contains(e.nodeId()))
        .sorted(Comparator.comparing(Endpoint::registration))
        .forEach(e -> view.computeIfAbsent(e.service(), s -> new ArrayList<>()).add(e));
    view.replaceAll((service, list) -> List.copyOf(list));
    byService = Map.copyOf(view);
    listeners.forEach(listener -> listener.accept(byService));
  }
}
