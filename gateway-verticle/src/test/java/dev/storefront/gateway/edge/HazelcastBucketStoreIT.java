package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leased buckets against a real Hazelcast member. */
@ExtendWith(VertxExtension.class)
class HazelcastBucketStoreIT {

  private static HazelcastInstance hazelcast;

  @BeforeAll
  static void startMember() {
    Config config = new Config().setClusterName("bucket-it-" + UUID.randomUUID());
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast = Hazelcast.newHazelcastInstance(config);
  }

  @AfterAll
  static void stopMember() {
    hazelcast.shutdown();
  }

  @Test
  void aBurstOnOneBucketRefillsTheLeaseOnceAtATime(Vertx vertx, VertxTestContext ctx) {
    // A large bucket refilling slowly: what the burst took shows in what is left.
    RateLimit limit = new RateLimit("/api", 1_000_000, Duration.ofDays(1000));
    HazelcastBucketStore store =
        new HazelcastBucketStore(vertx, hazelcast, new SimpleMeterRegistry());
    String key = "burst-" + UUID.randomUUID();
    int burst = 300;
    vertx.runOnContext(
        v -> {
          // All issued before any answer comes back: every one finds the lease empty.
          List<Future<TokenBucket.Decision>> takes = new ArrayList<>();
          for (int i = 0; i < burst; i++) {
            takes.add(store.take(key, limit));
          }
          Future.all(takes)
              .onComplete(
                  ctx.succeeding(
                      all ->
                          ctx.verify(
                              () -> {
                                assertThat(takes).allMatch(t -> t.result().allowed());
                                long[] after =
                                    hazelcast
                                        .<String, long[]>getMap(HazelcastBucketStore.MAP)
                                        .executeOnKey(
                                            key,
                                            new TokenBucket.Take(
                                                1_000_000, Duration.ofDays(1000).toMillis(), 1));
                                long taken = 1_000_000 - after[1];
                                assertThat(taken).isGreaterThanOrEqualTo(burst);
                                // One refill in flight at a time, each batch at most 1% of the
                                // limit: a handful of runs, where a refill per waiting request
                                // would be 300.
                                assertThat(store.refills()).isBetween(2L, 10L);
                                assertThat(taken).isLessThanOrEqualTo(store.refills() * 10_000 + 1);
                                ctx.completeNow();
                              })));
        });
  }

  @Test
  void aSteadyCallerStopsWaitingOnTheClusterOnceItsLeaseFitsItsRate(
      Vertx vertx, VertxTestContext ctx) {
    RateLimit limit = new RateLimit("/api", 1_000_000, Duration.ofSeconds(1));
    HazelcastBucketStore store =
        new HazelcastBucketStore(vertx, hazelcast, new SimpleMeterRegistry());
    String key = "steady-" + UUID.randomUUID();
    int rounds = 40;
    int perRound = 100;
    int[] waited = new int[rounds];
    // 100 takes every 5 ms on the event loop, about 20,000 a second: a busy shopper's bucket.
    vertx.runOnContext(
        v ->
            vertx.setPeriodic(
                5,
                new io.vertx.core.Handler<Long>() {
                  int round;

                  @Override
                  public void handle(Long id) {
                    for (int i = 0; i < perRound; i++) {
                      if (!store.take(key, limit).isComplete()) {
                        waited[round]++;
                      }
                    }
                    if (++round == rounds) {
                      vertx.cancelTimer(id);
                      ctx.verify(
                          () -> {
                            // The first rounds wait while the lease grows to the rate; after
                            // that, refills run ahead of need. One round may still wait if the
                            // machine stalls this loop for longer than a lease lives.
                            int lateRoundsThatWaited = 0;
                            for (int r = rounds / 2; r < rounds; r++) {
                              lateRoundsThatWaited += waited[r] > 0 ? 1 : 0;
                            }
                            assertThat(lateRoundsThatWaited)
                                .as("waits per round %s", Arrays.toString(waited))
                                .isLessThanOrEqualTo(1);
                            assertThat(store.refills()).isLessThan(rounds);
                            ctx.completeNow();
                          });
                    }
                  }
                }));
  }

  @Test
  void aLeaseIsSpentOnWhileItsTopUpIsHeldUpPastItsLife(Vertx vertx, VertxTestContext ctx) {
    RateLimit limit = new RateLimit("/api", 1_000_000, Duration.ofSeconds(1));
    HazelcastBucketStore store =
        new HazelcastBucketStore(vertx, hazelcast, new SimpleMeterRegistry());
    String key = "slow-" + UUID.randomUUID();
    vertx.runOnContext(
        v ->
            store
                .take(key, limit)
                .onComplete(
                    ctx.succeeding(
                        first -> {
                          // The lease holds a first batch. Hold up the partition that owns the
                          // bucket, as a loaded member would, for longer than the lease lives.
                          // The test ends once the stall has: a partition thread held past it
                          // would hold up the next test's buckets too.
                          var stalled =
                              hazelcast
                                  .<String, long[]>getMap(HazelcastBucketStore.MAP)
                                  .submitToKey(samePartitionAs(key), new Stall(400));
                          // Past half its life: the top-up is asked for, and is stuck.
                          vertx.setTimer(
                              HazelcastBucketStore.LEASE_MILLIS * 6 / 10,
                              t1 -> {
                                store.take(key, limit);
                                // Past its whole life, the top-up still stuck: the tokens in hand
                                // are spent rather than the request waiting for the cluster.
                                vertx.setTimer(
                                    HazelcastBucketStore.LEASE_MILLIS * 6 / 10,
                                    t2 -> {
                                      Future<TokenBucket.Decision> late = store.take(key, limit);
                                      ctx.verify(
                                          () -> {
                                            assertThat(late.isComplete()).isTrue();
                                            assertThat(late.result().allowed()).isTrue();
                                            assertThat(store.refills()).isEqualTo(2);
                                            stalled.whenComplete((r, e) -> ctx.completeNow());
                                          });
                                    });
                              });
                        })));
  }

  /** Another key that the same partition thread serves. */
  private static String samePartitionAs(String key) {
    var partitions = hazelcast.getPartitionService();
    int partition = partitions.getPartition(key).getPartitionId();
    while (true) {
      String other = UUID.randomUUID().toString();
      if (partitions.getPartition(other).getPartitionId() == partition) {
        return other;
      }
    }
  }

  /** Occupies the partition thread that runs it, like a member too busy to answer. */
  private record Stall(long millis) implements EntryProcessor<String, long[], Object> {
    @Override
    public Object process(Map.Entry<String, long[]> entry) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }
}
