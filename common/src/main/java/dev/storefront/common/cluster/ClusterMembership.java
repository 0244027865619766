package dev.storefront.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What this process knows of the cluster: its own node id, the live members, and departures.
 * Outside a cluster (unit tests, single-process runs) the process is a cluster of one.
 */
public final class ClusterMembership {

  private static final String STANDALONE_NODE_ID = "standalone";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private ClusterMembership(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  public static ClusterMembership of(Vertx vertx) {
    HazelcastInstance hazelcast = null;
    if (vertx.isClustered()
        && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager) {
      hazelcast = manager.getHazelcastInstance();
    }
    return new ClusterMembership(vertx, hazelcast);
  }

  public boolean clustered() {
    return hazelcast != null;
  }

  public String nodeId() {
    return clustered()
        ? hazelcast.getCluster().getLocalMember().getUuid().toString()
        : STANDALONE_NODE_ID;
  }

  /** Node ids of the members alive now. */
  public Set<String> memberIds() {
    if (!clustered()) {
      return Set.of(STANDALONE_NODE_ID);
    }
    return hazelcast.getCluster().getMembers().stream()
        .map(Member::getUuid)
        .map(UUID::toString)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the cluster answers: this member is running and sees itself among the members. */
  public boolean healthy() {
    return !clustered()
        || (hazelcast.getLifecycleService().isRunning()
            && hazelcast
                .getCluster()
                .getMembers()
                .contains(hazelcast.getCluster().getLocalMember()));
  }

  /**
   * Calls {@code onLeft} with the node id of every member that leaves or dies, on the caller's
   * Vert.x context. Returns a handle that stops the notifications.
   */
  public Runnable onMemberLeft(Consumer<String> onLeft) {
    if (!clustered()) {
      return () -> {};
    }
    Context context = vertx.getOrCreateContext();
    UUID registration =
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {}

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    String nodeId = event.getMember().getUuid().toString();
                    context.runOnContext(v -> onLeft.accept(nodeId));
                  }
                });
    return () -> {
      if (hazelcast.getLifecycleService().isRunning()) {
        hazelcast.getCluster().removeMembershipListener(registration);
      }
    };
  }

  public Optional<HazelcastInstance> hazelcast() {
    return Optional.ofNullable(hazelcast);
  }
}
