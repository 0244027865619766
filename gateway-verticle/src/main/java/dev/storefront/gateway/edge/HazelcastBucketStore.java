package dev.storefront.gateway.edge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buckets in a Hazelcast map, so every gateway of the cluster draws from the same ones. Each take
 * is one entry processor run on the key's owner: atomic per bucket without locks or retries, one
 * network round trip at most.
 *
 * <p>A round trip per request would make the limiter the edge's largest cost, so a gateway takes
 * tokens from a large bucket in batches (a lease) and spends them locally for a moment. Small
 * limits (under {@value #LEASE_FROM} per window) are never leased: every token is taken from the
 * cluster, so they hold exactly. A lease holds about what the caller spends in twice its life of
 * {@value #LEASE_MILLIS} ms (at least {@value #FIRST_LEASE} tokens, at most 1/{@value #LEASE_FROM}
 * of the limit) and is topped up in the background once half of it is spent or half of its life has
 * passed, so a steady caller never waits on the cluster; while a top-up is on its way the lease is
 * spent on, even past its life, so a slow cluster delays the top-up rather than the requests.
 * Tokens are taken from the shared bucket when leased, so leasing never lets more through than the
 * limit (at most one lease's worth is spent a little later than it was taken); a lease a caller
 * stops using lapses after {@value #LEASE_MILLIS} ms and what it held is dropped, which errs on the
 * strict side.
 */
public final class HazelcastBucketStore implements BucketStore {

  /** The map's name; its entries carry their own time to live. */
  public static final String MAP = "storefront.edge.rate-limits";

  static final long LEASE_FROM = 100;
  static final long LEASE_MILLIS = 100;
  static final long FIRST_LEASE = 100;

  private final Vertx vertx;
  private final IMap<String, long[]> buckets;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, Future<long[]>> refills = new ConcurrentHashMap<>();
  private final AtomicLong refillCount = new AtomicLong();

  /** The tokens this process holds for one bucket, and what sizes the next batch. */
  private static final class Lease {
    final AtomicLong tokens = new AtomicLong();
    final AtomicLong spent = new AtomicLong();
    volatile long size;
    volatile long grantedAtMillis;
    volatile long expiresAtMillis;
    volatile long remainingHint;

    /** A new life for the lease, holding {@code held} tokens; spending is counted afresh. */
    void renew(long now, long held) {
      size = held;
      spent.set(0);
      grantedAtMillis = now;
      expiresAtMillis = now + LEASE_MILLIS;
    }

    /** One token if any is left: the count never goes below zero, so a refill adds up. */
    long takeOne() {
      long left;
      do {
        left = tokens.get();
        if (left <= 0) {
          return -1;
        }
      } while (!tokens.compareAndSet(left, left - 1));
      spent.incrementAndGet();
      return left - 1;
    }
  }

  public HazelcastBucketStore(Vertx vertx, HazelcastInstance hazelcast, MeterRegistry registry) {
    this.vertx = vertx;
    this.buckets = hazelcast.getMap(MAP);
    FunctionCounter.builder("storefront_rate_limit_refills", refillCount, AtomicLong::doubleValue)
        .description("Batches of tokens this gateway took from the cluster's rate-limit buckets")
        .register(registry);
    vertx.setPeriodic(
        10_000,
        id -> {
          long now = System.currentTimeMillis();
          leases.values().removeIf(lease -> lease.expiresAtMillis <= now);
        });
  }

  @Override
  public Future<TokenBucket.Decision> take(String key, RateLimit limit) {
    if (maxBatch(limit) == 1) {
      return submit(key, limit, 1)
          .map(r -> new TokenBucket.Decision(r[0] >= 1, limit.capacity(), r[1], r[2]));
    }
    return takeLeased(key, limit);
  }

  /** Batches taken from the cluster so far. */
  long refills() {
    return refillCount.get();
  }

  /**
   * A token from this process's lease, topping the lease up in the background when it runs low, and
   * waiting for a refill when it is empty. One refill per bucket is in flight at a time and every
   * request that finds the lease empty waits for it: under load, a request each going to the
   * cluster would queue dozens of entry-processor runs on the one key.
   */
  private Future<TokenBucket.Decision> takeLeased(String key, RateLimit limit) {
    Lease lease = leases.get(key);
    long now = System.currentTimeMillis();
    // A lease whose top-up is on its way is still spent from: on a loaded cluster the top-up can
    // take longer than the rest of the lease's life, and its tokens were taken from the shared
    // bucket all the same. Waiting for the cluster is for an empty lease only.
    if (lease != null && (lease.expiresAtMillis > now || refills.containsKey(key))) {
      long left = lease.takeOne();
      if (left >= 0) {
        if (left <= lease.size / 2 || lease.expiresAtMillis - now <= LEASE_MILLIS / 2) {
          refill(key, limit);
        }
        return Future.succeededFuture(
            new TokenBucket.Decision(true, limit.capacity(), lease.remainingHint, 0));
      }
    }
    return refill(key, limit)
        .compose(
            r ->
                r[0] <= 0
                    // The bucket itself is empty: a refusal for every request that waited.
                    ? Future.succeededFuture(
                        new TokenBucket.Decision(false, limit.capacity(), r[1], r[2]))
                    // Tokens came; the waiters race for them and the losers refill again.
                    : takeLeased(key, limit));
  }

  /**
   * Brings the lease up to what the caller's rate calls for: from the cluster when it holds less,
   * else by extending its life. Completes with the entry processor's {granted, remaining, retry
   * after ms}.
   */
  private Future<long[]> refill(String key, RateLimit limit) {
    Future<long[]> inFlight = refills.get(key);
    if (inFlight != null) {
      return inFlight;
    }
    long now = System.currentTimeMillis();
    Lease current = leases.get(key);
    boolean live = current != null && current.expiresAtMillis > now;
    long held = live ? Math.max(0, current.tokens.get()) : 0;
    long wanted =
        live
            ? nextBatch(current.spent.get(), now - current.grantedAtMillis, limit)
            : firstBatch(limit);
    if (live && held >= wanted) {
      // Enough in hand for the caller's rate: no trip to the cluster, a longer life.
      current.renew(now, held);
      return Future.succeededFuture(new long[] {held, current.remainingHint, 0});
    }
    Promise<long[]> promise = Promise.promise();
    Future<long[]> mine = promise.future();
    Future<long[]> existing = refills.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    refillCount.incrementAndGet();
    submit(key, limit, wanted - held)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result()[0] > 0) {
                grant(key, ar.result(), live);
              }
              refills.remove(key, mine);
              promise.handle(ar);
            });
    return mine;
  }

  /**
   * Adds a granted batch to the bucket's lease, which lives on for {@value #LEASE_MILLIS} ms.
   *
   * @param renewing whether the lease was live when the batch was asked for: what it held then
   *     counted towards the batch and stays; a lease that had lapsed unused is emptied first
   */
  private void grant(String key, long[] result, boolean renewing) {
    long now = System.currentTimeMillis();
    Lease lease = leases.computeIfAbsent(key, k -> new Lease());
    if (!renewing && lease.expiresAtMillis <= now) {
      // What a lapsed lease still held is dropped: strict rather than late.
      lease.tokens.set(0);
    }
    lease.remainingHint = result[1];
    long held = lease.tokens.addAndGet(result[0]);
    lease.renew(now, held);
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

  /** The largest batch: 1/{@value #LEASE_FROM} of the limit; 1 (no lease) for small limits. */
  static long maxBatch(RateLimit limit) {
    return limit.capacity() < LEASE_FROM ? 1 : limit.capacity() / LEASE_FROM;
  }

  /** A bucket's first batch, before this process knows its caller's rate. */
  static long firstBatch(RateLimit limit) {
    return Math.min(FIRST_LEASE, maxBatch(limit));
  }

  /**
   * What a lease should hold for a caller that spent {@code spent} tokens in the {@code
   * elapsedMillis} since it was last renewed: twice what that rate spends in a lease's life, within
   * the first and the largest batch.
   */
  static long nextBatch(long spent, long elapsedMillis, RateLimit limit) {
    long wanted = 2 * spent * LEASE_MILLIS / Math.max(1, elapsedMillis);
    return Math.max(firstBatch(limit), Math.min(maxBatch(limit), wanted));
  }
}
