package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HazelcastBucketStoreTest {

  @Test
  void smallLimitsAreTakenTokenByTokenSoTheyHoldExactly() {
    assertThat(HazelcastBucketStore.batchFor(limit(10))).isEqualTo(1);
    assertThat(HazelcastBucketStore.batchFor(limit(99))).isEqualTo(1);
  }

  @Test
  void largeLimitsAreLeasedInBoundedBatches() {
    assertThat(HazelcastBucketStore.batchFor(limit(200))).isEqualTo(2);
    assertThat(HazelcastBucketStore.batchFor(limit(5_000))).isEqualTo(50);
    assertThat(HazelcastBucketStore.batchFor(limit(1_000_000))).isEqualTo(100);
  }

  private static RateLimit limit(long capacity) {
    return new RateLimit("/api", capacity, Duration.ofSeconds(1));
  }
}
