package dev.storefront.common.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's Hazelcast cluster manager, except that a lite member finishes joining only once the
 * cluster has a data member. Vert.x writes its node's record into a cluster map right after
 * joining, which fails at once while only lite members exist (they hold no partitions); processes
 * of a stack start in any order, so a lite member that comes first waits for a data member instead.
 */
public final class StorefrontClusterManager extends HazelcastClusterManager {

  private static final Logger LOG = LoggerFactory.getLogger(StorefrontClusterManager.class);
  private static final long LOG_EVERY_SECONDS = 10;

  public StorefrontClusterManager(Config config) {
    super(config);
  }

  @Override
  public void join(Completable<Void> promise) {
    super.join(
        (v, failure) -> {
          if (failure != null) {
            promise.fail(failure);
          } else {
            awaitDataMember(promise);
          }
        });
  }

  private void awaitDataMember(Completable<Void> promise) {
    Cluster cluster = getHazelcastInstance().getCluster();
    if (!cluster.getLocalMember().isLiteMember() || hasDataMember(cluster)) {
      promise.succeed();
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    ScheduledExecutorService reminder =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "storefront-cluster-wait");
              thread.setDaemon(true);
              return thread;
            });
    UUID[] registration = new UUID[1];
    Runnable check =
        () -> {
          if (hasDataMember(cluster) && done.compareAndSet(false, true)) {
            cluster.removeMembershipListener(registration[0]);
            reminder.shutdown();
            LOG.info("A data member joined the cluster: joined");
            promise.succeed();
          }
        };
    registration[0] =
        cluster.addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                check.run();
              }

              @Override
              public void memberRemoved(MembershipEvent event) {}
            });
    LOG.info("This process holds no cluster data; waiting for a member that does (cart, gateway)");
    reminder.scheduleAtFixedRate(
        () -> {
          check.run();
          if (!done.get()) {
            LOG.warn("Still waiting for a cluster member that holds data (cart, gateway)");
          }
        },
        LOG_EVERY_SECONDS,
        LOG_EVERY_SECONDS,
        TimeUnit.SECONDS);
    // A data member may have joined between the first look and the listener's registration.
    check.run();
  }

  private static boolean hasDataMember(Cluster cluster) {
    return cluster.getMembers().stream().anyMatch(member -> !member.isLiteMember());
  }
}
