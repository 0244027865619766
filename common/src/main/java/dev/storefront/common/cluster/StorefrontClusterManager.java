package dev.storefront.common.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private static final long LOOK_EVERY_MILLIS = 250;
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);

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

  /** Completes {@code promise} once the cluster has a data member, looking four times a second. */
  private void awaitDataMember(Completable<Void> promise) {
    Cluster cluster = getHazelcastInstance().getCluster();
    if (!cluster.getLocalMember().isLiteMember() || hasDataMember(cluster)) {
      promise.succeed();
      return;
    }
    LOG.info("This process holds no cluster data; waiting for a member that does (cart, gateway)");
    ScheduledExecutorService looker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "storefront-cluster-wait");
              thread.setDaemon(true);
              return thread;
            });
    long[] lastWarning = {System.nanoTime()};
    looker.scheduleWithFixedDelay(
        () -> {
          if (hasDataMember(cluster)) {
            looker.shutdown();
            LOG.info("A data member joined the cluster: joined");
            promise.succeed();
          } else if (System.nanoTime() - lastWarning[0] >= WARN_EVERY.toNanos()) {
            lastWarning[0] = System.nanoTime();
            LOG.warn("Still waiting for a cluster member that holds data (cart, gateway)");
          }
        },
        LOOK_EVERY_MILLIS,
        LOOK_EVERY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private static boolean hasDataMember(Cluster cluster) {
    return cluster.getMembers().stream().anyMatch(member -> !member.isLiteMember());
  }
}
