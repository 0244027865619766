package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    HazelcastBucketStore store = new HazelcastBucketStore(vertx, hazelcast);
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
                                // Batches of 100, one in flight at a time: about the burst
                                // itself. A refill per waiting request would take 100 each.
                                assertThat(taken).isBetween((long) burst, (long) burst + 400);
                                ctx.completeNow();
                              })));
        });
  }
}
