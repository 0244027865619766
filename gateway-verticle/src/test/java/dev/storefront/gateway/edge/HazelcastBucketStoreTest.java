package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HazelcastBucketStoreTest {

  @Test
  void smallLimitsAreTakenTokenByTokenSoTheyHoldExactly() {
    assertThat(HazelcastBucketStore.maxBatch(limit(10))).isEqualTo(1);
    assertThat(HazelcastBucketStore.maxBatch(limit(99))).isEqualTo(1);
  }

  @Test
  void aLeaseIsAtMostOneHundredthOfTheLimit() {
    assertThat(HazelcastBucketStore.maxBatch(limit(200))).isEqualTo(2);
    assertThat(HazelcastBucketStore.maxBatch(limit(5_000))).isEqualTo(50);
    assertThat(HazelcastBucketStore.maxBatch(limit(1_000_000))).isEqualTo(10_000);
  }

  @Test
  void theFirstLeaseIsSmallWhateverTheLimit() {
    assertThat(HazelcastBucketStore.firstBatch(limit(200))).isEqualTo(2);
    assertThat(HazelcastBucketStore.firstBatch(limit(1_000_000))).isEqualTo(100);
  }

  @Test
  void laterLeasesFollowTheCallersRate() {
    RateLimit big = limit(1_000_000);
    // 50 tokens in 10 ms: 5,000 a second, 500 per lease life, twice that for headroom.
    assertThat(HazelcastBucketStore.nextBatch(50, 10, big)).isEqualTo(1_000);
    // A slow caller keeps the first size; a flood is held to the largest batch.
    assertThat(HazelcastBucketStore.nextBatch(1, 5_000, big)).isEqualTo(100);
    assertThat(HazelcastBucketStore.nextBatch(100_000, 1, big)).isEqualTo(10_000);
    // Time not yet measurable counts as a millisecond.
    assertThat(HazelcastBucketStore.nextBatch(30, 0, big)).isEqualTo(6_000);
    // Within a small limit's bounds too.
    assertThat(HazelcastBucketStore.nextBatch(1_000, 1, limit(5_000))).isEqualTo(50);
  }

  private static RateLimit limit(long capacity) {
    return new RateLimit("/api", capacity, Duration.ofSeconds(1));
  }
}
