package dev.storefront.gateway.edge;

import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buckets in this process's memory, for a gateway outside a cluster: the same arithmetic and the
 * same expiry as the cluster store, shared by every event loop of one Vert.x instance.
 */
public final class LocalBucketStore implements BucketStore, Shareable {

  private static final String SHARED_MAP = "storefront.edge";
  private static final long SWEEP_EVERY_MS = 10_000;

  private record Bucket(long[] state, long expiresAt) {}

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong(System.currentTimeMillis());

  /** The store of {@code vertx}, created on first use. */
  public static LocalBucketStore of(Vertx vertx) {
    return (LocalBucketStore)
        vertx
            .sharedData()
            .<String, Shareable>getLocalMap(SHARED_MAP)
            .computeIfAbsent("buckets", k -> new LocalBucketStore());
  }

  @Override
  public Future<TokenBucket.Decision> take(String key, RateLimit limit) {
    long now = System.currentTimeMillis();
    long window = limit.window().toMillis();
    long[][] result = new long[1][];
    buckets.compute(
        key,
        (k, bucket) -> {
          long[] state = bucket == null || bucket.expiresAt() < now ? null : bucket.state();
          result[0] = TokenBucket.take(state, limit.capacity(), window, now);
          return new Bucket(
              new long[] {result[0][0], result[0][1]}, now + TokenBucket.ttlMillis(window));
        });
    sweep(now);
    return Future.succeededFuture(TokenBucket.decision(result[0], limit.capacity()));
  }

  /** Number of buckets held, expired or not. */
  int size() {
    return buckets.size();
  }

  /** Drops expired buckets now and then, so idle callers do not pile up. */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last >= SWEEP_EVERY_MS && lastSweep.compareAndSet(last, now)) {
      buckets.values().removeIf(b -> b.expiresAt() < now);
    }
  }
}
