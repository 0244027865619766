package dev.storefront.gateway.edge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Buckets in a Hazelcast map, so every gateway of the cluster draws from the same ones. Each take
 * is one entry processor run on the key's owner: atomic per bucket without locks or retries, one
 * network round trip at most, and the future completes on the caller's Vert.x context.
 */
public final class HazelcastBucketStore implements BucketStore {

  /** The map's name; its entries carry their own time to live. */
  public static final String MAP = "storefront.edge.rate-limits";

  private final Vertx vertx;
  private final IMap<String, long[]> buckets;

  public HazelcastBucketStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.buckets = hazelcast.getMap(MAP);
  }

  @Override
  public Future<TokenBucket.Decision> take(String key, RateLimit limit) {
    try {
      return Future.fromCompletionStage(
              buckets.submitToKey(
                  key, new TokenBucket.Take(limit.capacity(), limit.window().toMillis())),
              vertx.getOrCreateContext())
          .map(
              result ->
                  new TokenBucket.Decision(result[0] == 1, limit.capacity(), result[1], result[2]));
    } catch (RuntimeException e) {
      // A member shutting down throws rather than failing the stage.
      return Future.failedFuture(e);
    }
  }
}
