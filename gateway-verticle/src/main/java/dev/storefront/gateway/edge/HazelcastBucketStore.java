package dev.storefront.gateway.edge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buckets in a Hazelcast map, so every gateway of the cluster draws from the same ones. Each take
 * is one entry processor run on the key's owner: atomic per bucket without locks or retries, one
 * network round trip at most, and the future completes on the caller's Vert.x context.
 *
 * <p>A round trip per request would make the limiter the edge's largest cost, so a gateway takes
 * tokens from a large bucket in small batches (a lease) and spends them locally for a moment. Small
 * limits (under {@value #LEASE_FROM} per window) are never leased: every token is taken from the
 * cluster, so they hold exactly. Leased tokens not spent within {@value #LEASE_MILLIS} ms are
 * dropped, which errs on the strict side.
 */
public final class HazelcastBucketStore implements BucketStore {

  /** The map's name; its entries carry their own time to live. */
  public static final String MAP = "storefront.edge.rate-limits";

  static final long LEASE_FROM = 100;
  static final long LEASE_MILLIS = 100;
  private static final long MAX_LEASE = 100;

  private final Vertx vertx;
  private final IMap<String, long[]> buckets;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, Future<long[]>> refills = new ConcurrentHashMap<>();

  /** Tokens this process holds for a bucket, and until when. */
  private record Lease(AtomicLong tokens, long expiresAtMillis, long remainingHint) {}

  public HazelcastBucketStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.buckets = hazelcast.getMap(MAP);
    vertx.setPeriodic(
        10_000,
        id -> {
          long now = System.currentTimeMillis();
          leases.values().removeIf(lease -> lease.expiresAtMillis() <= now);
        });
  }

  @Override
  public Future<TokenBucket.Decision> take(String key, RateLimit limit) {
    long batch = batchFor(limit);
    if (batch == 1) {
      return submit(key, limit, 1)
          .map(r -> new TokenBucket.Decision(r[0] >= 1, limit.capacity(), r[1], r[2]));
    }
    return takeLeased(key, limit, batch);
  }

  /**
   * A token from this process's lease, refilling it from the cluster when it runs dry. One refill
   * per bucket is in flight at a time and every request that finds the lease empty waits for it:
   * under load, a request each going to the cluster would queue dozens of entry-processor runs on
   * the one key (the bucket of a busy client) and make the limiter the edge's bottleneck.
   */
  private Future<TokenBucket.Decision> takeLeased(String key, RateLimit limit, long batch) {
    Lease lease = leases.get(key);
    if (lease != null
        && lease.expiresAtMillis() > System.currentTimeMillis()
        && lease.tokens().getAndDecrement() > 0) {
      return Future.succeededFuture(
          new TokenBucket.Decision(true, limit.capacity(), lease.remainingHint(), 0));
    }
    return refill(key, limit, batch)
        .compose(
            r ->
                r[0] <= 0
                    // The bucket itself is empty: a refusal for every request that waited.
                    ? Future.succeededFuture(
                        new TokenBucket.Decision(false, limit.capacity(), r[1], r[2]))
                    // Tokens came; the waiters race for them and the losers refill again.
                    : takeLeased(key, limit, batch));
  }

  private Future<long[]> refill(String key, RateLimit limit, long batch) {
    Future<long[]> inFlight = refills.get(key);
    if (inFlight != null) {
      return inFlight;
    }
    Promise<long[]> promise = Promise.promise();
    Future<long[]> mine = promise.future();
    Future<long[]> existing = refills.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    submit(key, limit, batch)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result()[0] > 0) {
                leases.put(
                    key,
                    new Lease(
                        new AtomicLong(ar.result()[0]),
                        System.currentTimeMillis() + LEASE_MILLIS,
                        ar.result()[1]));
              }
              refills.remove(key, mine);
              promise.handle(ar);
            });
    return mine;
  }

  /** One run of the bucket's entry processor: {granted, remaining, retry after ms}. */
  private Future<long[]> submit(String key, RateLimit limit, long tokens) {
    try {
      return Future.fromCompletionStage(
          buckets.submitToKey(
              key, new TokenBucket.Take(limit.capacity(), limit.window().toMillis(), tokens)),
          vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      // A member shutting down throws rather than failing the stage.
      return Future.failedFuture(e);
    }
  }

  static long batchFor(RateLimit limit) {
    return limit.capacity() < LEASE_FROM ? 1 : Math.min(MAX_LEASE, limit.capacity() / LEASE_FROM);
  }
}
