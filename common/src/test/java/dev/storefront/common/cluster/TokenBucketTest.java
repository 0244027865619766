package dev.storefront.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void aFullBucketGivesCapacityTokensThenTellsWhenTheNextComes() {
    long[] state = null;
    long now = 1_000_000;
    for (int i = 0; i < 10; i++) {
      long[] r = TokenBucket.take(state, 10, 60_000, now);
      assertThat(r[2]).as("take %d", i).isEqualTo(1);
      assertThat(r[3]).isEqualTo(9 - i);
      state = new long[] {r[0], r[1]};
    }
    long[] refused = TokenBucket.take(state, 10, 60_000, now);
    assertThat(refused[2]).isZero();
    // One token of ten per minute: six seconds.
    assertThat(refused[4]).isEqualTo(6_000);
    assertThat(TokenBucket.decision(refused, 10).retryAfterSeconds()).isEqualTo(6);
  }

  @Test
  void tokensRefillInProportionToTimeAndNeverPastCapacity() {
    long[] empty = {0, 0};
    assertThat(TokenBucket.take(empty, 10, 60_000, 5_999)[2]).isZero();
    long[] one = TokenBucket.take(empty, 10, 60_000, 6_000);
    assertThat(one[2]).isEqualTo(1);
    assertThat(one[3]).isZero();
    long[] later = TokenBucket.take(empty, 10, 60_000, 10_000_000);
    assertThat(later[3]).isEqualTo(9);
  }

  @Test
  void retryAfterRoundsUp() {
    assertThat(new TokenBucket.Decision(false, 2, 0, 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(new TokenBucket.Decision(false, 2, 0, 1_001).retryAfterSeconds()).isEqualTo(2);
    assertThat(new TokenBucket.Decision(true, 2, 1, 0).retryAfterSeconds()).isZero();
  }

  @Test
  void aBatchTakeGrantsAsManyWholeTokensAsTheBucketHolds() {
    long[] first = TokenBucket.take(null, 10, 60_000, 0, 4);
    org.assertj.core.api.Assertions.assertThat(first[2]).isEqualTo(4);
    org.assertj.core.api.Assertions.assertThat(first[3]).isEqualTo(6);
    long[] second = TokenBucket.take(new long[] {first[0], first[1]}, 10, 60_000, 0, 8);
    org.assertj.core.api.Assertions.assertThat(second[2]).isEqualTo(6);
    long[] third = TokenBucket.take(new long[] {second[0], second[1]}, 10, 60_000, 0, 8);
    org.assertj.core.api.Assertions.assertThat(third[2]).isZero();
    org.assertj.core.api.Assertions.assertThat(third[4]).isPositive();
  }
}
