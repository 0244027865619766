package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.gateway.identity.IdentityConfig.LoginLimit;
import dev.storefront.gateway.identity.LoginAttempts.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoginAttemptsTest {

  private static final LoginLimit LIMIT =
      new LoginLimit(3, Duration.ofMinutes(15), Duration.ofSeconds(60), Duration.ofSeconds(300));
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void theLoginThatReachesTheLimitLocksAndIsStillChecked() {
    LoginAttempts state = LoginAttempts.none(T0);
    Step first = state.next(T0, LIMIT);
    Step second = first.after().next(T0.plusSeconds(1), LIMIT);
    Step third = second.after().next(T0.plusSeconds(2), LIMIT);

    assertThat(first.refused() || first.locked()).isFalse();
    assertThat(second.refused() || second.locked()).isFalse();
    assertThat(third.refused()).isFalse();
    assertThat(third.locked()).isTrue();
    assertThat(third.after().lockedUntil()).isEqualTo(T0.plusSeconds(62));
    assertThat(third.after().count()).isZero();
  }

  @Test
  void whileLockedEveryLoginIsRefusedWithTheTimeLeftAndChangesNothing() {
    LoginAttempts locked = lockedAt(T0, LoginAttempts.none(T0));

    Step refused = locked.next(T0.plusMillis(30_500), LIMIT);

    assertThat(refused.refused()).isTrue();
    assertThat(refused.refusedForSeconds()).isEqualTo(30);
    assertThat(refused.after()).isEqualTo(locked);
    assertThat(locked.next(T0.plusMillis(59_999), LIMIT).refusedForSeconds()).isEqualTo(1);
  }

  @Test
  void afterTheLockLoginsAreCountedAfresh() {
    LoginAttempts locked = lockedAt(T0, LoginAttempts.none(T0));

    Step after = locked.next(T0.plusSeconds(60), LIMIT);

    assertThat(after.refused()).isFalse();
    assertThat(after.locked()).isFalse();
    assertThat(after.after().count()).isEqualTo(1);
  }

  @Test
  void eachFurtherLockLastsTwiceAsLongUpToTheMaximum() {
    LoginAttempts state = LoginAttempts.none(T0);
    Instant now = T0;
    long[] lengths = new long[5];
    for (int lock = 0; lock < lengths.length; lock++) {
      state = lockedAt(now, state);
      lengths[lock] = Duration.between(now, state.lockedUntil()).toSeconds();
      now = state.lockedUntil();
    }
    assertThat(lengths).containsExactly(60, 120, 240, 300, 300);
    assertThat(LoginAttempts.lockFor(LIMIT, 1_000)).isEqualTo(Duration.ofSeconds(300));
    assertThat(Arrays.stream(lengths).max().getAsLong()).isEqualTo(LIMIT.maxLock().toSeconds());
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    LoginAttempts state = LoginAttempts.none(T0);
    state = state.next(T0, LIMIT).after();
    state = state.next(T0.plusSeconds(1), LIMIT).after();

    Step late = state.next(T0.plus(Duration.ofMinutes(15)), LIMIT);

    assertThat(late.locked()).isFalse();
    assertThat(late.after().count()).isEqualTo(1);
    assertThat(late.after().windowStart()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void aDayWithoutLoginsForgetsThePastLocks() {
    LoginAttempts state = LoginAttempts.none(T0);
    Instant now = T0;
    for (int lock = 0; lock < 3; lock++) {
      state = lockedAt(now, state);
      now = state.lockedUntil();
    }
    assertThat(state.lockouts()).isEqualTo(3);

    Instant nextDay = state.lastAttempt().plus(LoginAttempts.FORGET_AFTER).plusSeconds(1);
    LoginAttempts relocked = lockedAt(nextDay, state);

    assertThat(relocked.lockouts()).isEqualTo(1);
    assertThat(Duration.between(nextDay, relocked.lockedUntil())).isEqualTo(Duration.ofSeconds(60));
  }

  /** {@code state} after as many logins at {@code now} as it takes to lock it. */
  private static LoginAttempts lockedAt(Instant now, LoginAttempts state) {
    for (int i = 0; i < LIMIT.failures(); i++) {
      Step step = state.next(now, LIMIT);
      assertThat(step.refused()).isFalse();
      state = step.after();
      if (step.locked()) {
        return state;
      }
    }
    throw new AssertionError("no lock after " + LIMIT.failures() + " logins");
  }
}
