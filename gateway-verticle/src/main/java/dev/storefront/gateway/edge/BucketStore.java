package dev.storefront.gateway.edge;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Where token buckets live: one per (limit, caller) key. */
public interface BucketStore {

  /** Takes one token from the bucket under {@code key}, which has the size of {@code limit}. */
  Future<TokenBucket.Decision> take(String key, RateLimit limit);

  /**
   * The cluster-wide store when {@code vertx} is a Hazelcast member, else this process's own one
   * (shared by every event loop of this Vert.x instance).
   */
  static BucketStore forVertx(Vertx vertx) {
    return ClusterMembership.of(vertx)
        .hazelcast()
        .<BucketStore>map(hz -> new HazelcastBucketStore(vertx, hz, Metrics.registry()))
        .orElseGet(() -> LocalBucketStore.of(vertx));
  }
}
