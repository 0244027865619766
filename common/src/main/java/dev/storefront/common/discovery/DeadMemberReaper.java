package dev.storefront.common.discovery;

import dev.storefront.common.cluster.ClusterMembership;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the discovery records of cluster members that are gone. Vert.x service discovery has no
 * heartbeat: a process killed hard leaves its records in the store forever unless a survivor
 * removes them. Every survivor reacts to a departure at once; a periodic sweep catches records
 * whose owner died while nobody was listening (for example during a restart of every member).
 */
public final class DeadMemberReaper {

  private static final Logger LOG = LoggerFactory.getLogger(DeadMemberReaper.class);
  private static final long SWEEP_MS = 5_000;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final ClusterMembership membership;
  private final Counter removed;
  private Runnable stopMembershipEvents = () -> {};
  private long sweepTimer = -1;

  public DeadMemberReaper(Vertx vertx, ServiceDiscovery discovery, Counter removed) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.membership = ClusterMembership.of(vertx);
    this.removed = removed;
  }

  public void start() {
    if (!membership.clustered()) {
      return;
    }
    stopMembershipEvents = membership.onMemberLeft(this::reap);
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(sweepTimer);
    stopMembershipEvents.run();
  }

  /** Removes every record owned by {@code nodeId}. */
  public Future<Integer> reap(String nodeId) {
    return discovery
        .getRecords(r -> nodeId.equals(ownerOf(r)), true)
        .compose(this::unpublishAll)
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("Removed {} discovery record(s) of departed member {}", n, nodeId);
              }
            })
        .onFailure(
            e ->
                LOG.warn(
                    "Could not remove the records of departed member {}: {}",
                    nodeId,
                    e.getMessage()));
  }

  /** Removes every record whose owner is not a live member. */
  public Future<Integer> sweep() {
    return discovery
        .getRecords(r -> ownerOf(r) != null, true)
        .compose(
            records -> {
              // Members are read after the store, so a member that joined and published while
              // the store was being read is never mistaken for a departed one.
              Set<String> live = membership.memberIds();
              return unpublishAll(
                  records.stream().filter(r -> !live.contains(ownerOf(r))).toList());
            })
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("Swept {} discovery record(s) of members no longer in the cluster", n);
              }
            })
        .onFailure(e -> LOG.warn("Discovery sweep failed: {}", e.getMessage()));
  }

  private Future<Integer> unpublishAll(List<Record> records) {
    // Other survivors race to remove the same records; losing that race is fine.
    List<Future<Boolean>> removals =
        records.stream()
            .map(r -> discovery.unpublish(r.getRegistration()).map(true).otherwise(false))
            .toList();
    return Future.all(removals)
        .map(
            all -> {
              int count = (int) removals.stream().filter(f -> f.result()).count();
              removed.increment(count);
              return count;
            });
  }

  private static String ownerOf(Record record) {
    return record.getMetadata() == null ? null : record.getMetadata().getString(Endpoint.NODE_ID);
  }
}
