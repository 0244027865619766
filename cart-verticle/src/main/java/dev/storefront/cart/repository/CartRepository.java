package dev.storefront.cart.repository;

import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.model.Cart;
import dev.storefront.common.cluster.CartMergePolicy;
import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carts in the cluster map {@value #MAP}, one entry per account id, the value a JSON string (see
 * {@link Cart#toStorage()}). Changes are compare-and-set loops: read the entry, apply the change,
 * write only if the entry still holds exactly the string read, else read again after a short random
 * pause. Concurrent changes to one cart therefore each apply to the latest cart and none is lost.
 * The map is never changed by an entry processor or a class of the cart's: other services' members
 * may own the partitions and know nothing of carts (the merge policy they run after a partition
 * lives in common, which every service has).
 *
 * <p>A side of a network partition that holds fewer than a majority of the cluster's data members
 * refuses every write (Hazelcast's split-brain protection {@value
 * HazelcastConfigFactory#WRITE_QUORUM}), so the repository fails with a {@code
 * SplitBrainProtectionException} there; what either side acknowledged before it noticed the
 * partition is kept by the merge, line by line.
 */
public final class CartRepository {

  public static final String MAP = "storefront.carts";

  /** A key no account id takes (account ids are UUIDs): what the readiness probe reads. */
  static final String PROBE_KEY = "readiness-probe";

  private static final Logger LOG = LoggerFactory.getLogger(CartRepository.class);
  private static final long MAX_BACKOFF_MS = 50;

  /** How often a change waiting for its side of a partition to regain the quorum tries again. */
  private static final Duration QUORUM_POLL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final AsyncMap<String, String> map;
  private final CartConfig.Storage config;
  private final Counter casRetries;
  private final Counter casExhausted;

  public CartRepository(
      Vertx vertx,
      AsyncMap<String, String> map,
      CartConfig.Storage config,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.map = map;
    this.config = config;
    this.casRetries =
        Counter.builder("storefront_cart_cas_retries")
            .description("Cart changes tried again because another change of the cart came first")
            .register(registry);
    this.casExhausted =
        Counter.builder("storefront_cart_cas_exhausted")
            .description("Cart changes given up after every compare-and-set attempt lost")
            .register(registry);
  }

  /** Configures the cluster map (backups, idle expiry), then opens it. */
  public static Future<CartRepository> open(
      Vertx vertx, CartConfig.Storage config, MeterRegistry registry) {
    return configureMap(vertx, config)
        .compose(v -> vertx.sharedData().<String, String>getAsyncMap(MAP))
        .map(map -> new CartRepository(vertx, map, config, registry));
  }

  /**
   * Adds the map's configuration to the cluster before the map is first used: one synchronous
   * backup, so a cart outlives the sudden loss of the member that owns it; a max-idle time, so an
   * abandoned cart goes away by itself; writes refused on a minority side; and the cart's own merge
   * policy, so that healing a partition keeps the lines either side acknowledged (Hazelcast's
   * default keeps one side's whole entry and drops the other's). Entries are plain strings, so
   * Hazelcast's max-idle is the only way to expire them: Vert.x's per-entry TTL is not kept by
   * {@code replaceIfPresent}. Outside a cluster (tests, single runs) carts never expire.
   */
  static Future<Void> configureMap(Vertx vertx, CartConfig.Storage config) {
    var hazelcast = ClusterMembership.of(vertx).hazelcast();
    if (hazelcast.isEmpty()) {
      return Future.succeededFuture();
    }
    HazelcastInstance instance = hazelcast.get();
    return vertx.executeBlocking(
        () -> {
          MapConfig wanted =
              new MapConfig(MAP)
                  .setBackupCount(1)
                  .setAsyncBackupCount(0)
                  .setMaxIdleSeconds((int) config.idleTtl().toSeconds())
                  .setSplitBrainProtectionName(HazelcastConfigFactory.WRITE_QUORUM)
                  .setMergePolicyConfig(
                      new MergePolicyConfig()
                          .setPolicy(CartMergePolicy.class.getName())
                          .setBatchSize(MergePolicyConfig.DEFAULT_BATCH_SIZE));
          try {
            // Cluster-wide and idempotent: every cart instance adds the same configuration.
            instance.getConfig().addMapConfig(wanted);
          } catch (RuntimeException e) {
            // Another instance configured it differently first (a rolling change of the TTL);
            // its configuration stays in force until the whole cluster restarts.
            LOG.warn("Kept the cluster's configuration of {}: {}", MAP, e.getMessage());
          }
          MapConfig effective = instance.getConfig().findMapConfig(MAP);
          var quorum =
              instance
                  .getConfig()
                  .getSplitBrainProtectionConfigs()
                  .get(HazelcastConfigFactory.WRITE_QUORUM);
          LOG.info(
              "Carts in cluster map {}: {} synchronous and {} asynchronous backups, max idle {} s,"
                  + " writes need {} data members, merged by {}",
              MAP,
              effective.getBackupCount(),
              effective.getAsyncBackupCount(),
              effective.getMaxIdleSeconds(),
              quorum == null ? 1 : quorum.getMinimumClusterSize(),
              effective.getMergePolicyConfig().getPolicy());
          return null;
        });
  }

  /** The account's cart; an empty one when it has none. */
  public Future<Cart> find(String accountId) {
    return map.get(accountId).map(raw -> raw == null ? Cart.empty() : Cart.fromStorage(raw));
  }

  /**
   * Applies {@code change} to the account's current cart and stores the result, as one atomic step
   * against every other change of that cart. A change that throws fails the future and writes
   * nothing; one that returns the very cart it was given writes nothing either. A cart left without
   * lines stays in the map, remembering what was removed, until it expires.
   */
  public Future<Cart> update(String accountId, UnaryOperator<Cart> change) {
    return attempt(accountId, change, 1);
  }

  /**
   * As {@link #update}, but on the minority side of a network partition tries again every second
   * for up to {@code patience}: for changes nobody waits on (an order's confirmation), which would
   * otherwise fail at once for as long as the partition lasts.
   */
  public Future<Cart> updateOnceWritable(
      String accountId, UnaryOperator<Cart> change, Duration patience) {
    return updateOnceWritable(accountId, change, System.nanoTime() + patience.toNanos());
  }

  private Future<Cart> updateOnceWritable(
      String accountId, UnaryOperator<Cart> change, long deadline) {
    return update(accountId, change)
        .recover(
            e -> {
              if (!refusedOnMinority(e) || System.nanoTime() + QUORUM_POLL.toNanos() > deadline) {
                return Future.failedFuture(e);
              }
              return vertx
                  .timer(QUORUM_POLL.toMillis())
                  .compose(t -> updateOnceWritable(accountId, change, deadline));
            });
  }

  /**
   * Whether {@code failure} is a write refused because this side of a network partition holds too
   * few data members; Hazelcast may wrap it.
   */
  public static boolean refusedOnMinority(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SplitBrainProtectionException) {
        return true;
      }
    }
    return false;
  }

  /** Succeeds when the map answers a read. */
  public Future<Void> ping() {
    return map.get(PROBE_KEY).mapEmpty();
  }

  private Future<Cart> attempt(String accountId, UnaryOperator<Cart> change, int attempt) {
    return map.get(accountId)
        .compose(
            raw -> {
              Cart current = raw == null ? Cart.empty() : Cart.fromStorage(raw);
              Cart next = change.apply(current);
              if (next == current) {
                return Future.succeededFuture(current);
              }
              return write(accountId, raw, next)
                  .compose(
                      written -> {
                        if (written) {
                          return Future.succeededFuture(next);
                        }
                        return retry(accountId, change, attempt);
                      });
            });
  }

  /**
   * Writes {@code next} only if the entry still holds {@code raw}, the exact string read: Hazelcast
   * compares serialized values, so the comparison must be with what the map returned, not with a
   * re-encoding of it.
   */
  private Future<Boolean> write(String accountId, String raw, Cart next) {
    String value = next.toStorage();
    if (raw == null) {
      return map.putIfAbsent(accountId, value).map(prior -> prior == null);
    }
    return map.replaceIfPresent(accountId, raw, value);
  }

  private Future<Cart> retry(String accountId, UnaryOperator<Cart> change, int attempt) {
    if (attempt >= config.maxAttempts()) {
      casExhausted.increment();
      return Future.failedFuture(new CartContentionException(attempt));
    }
    casRetries.increment();
    // Random and growing, so writers that collided do not collide again in lockstep.
    long ceiling = Math.min(MAX_BACKOFF_MS, 2L << Math.min(attempt, 5));
    long pause = ThreadLocalRandom.current().nextLong(1, ceiling + 1);
    return vertx.timer(pause).compose(t -> attempt(accountId, change, attempt + 1));
  }
}
