package dev.storefront.gateway.identity;

import dev.storefront.gateway.identity.IdentityConfig.LoginLimit;
import java.time.Duration;
import java.time.Instant;

/**
 * The logins of one e-mail address lately: {@code count} started within the window that began at
 * {@code windowStart}, {@code lockouts} locks so far, the current one until {@code lockedUntil}.
 * Counted when a login starts rather than when it fails, so that logins racing each other cannot
 * all slip in before the first failure is written; a login that succeeds forgets the row.
 */
public record LoginAttempts(
    int count, Instant windowStart, int lockouts, Instant lockedUntil, Instant lastAttempt) {

  /** A row this long past its last attempt is forgotten, its locks with it. */
  public static final Duration FORGET_AFTER = Duration.ofDays(1);

  /** Doublings of the first lock, at most; the configured maximum bounds it well before that. */
  private static final int MAX_DOUBLINGS = 20;

  public static LoginAttempts none(Instant now) {
    return new LoginAttempts(0, now, 0, null, now);
  }

  /**
   * What a new login at {@code now} does: refused while locked (the row unchanged); else counted,
   * and the count reaching {@code limit.failures()} locks the address for the next lock's length
   * and starts a new count. The login that locks is still checked.
   */
  public Step next(Instant now, LoginLimit limit) {
    LoginAttempts current = lastAttempt.plus(FORGET_AFTER).isBefore(now) ? none(now) : this;
    if (current.lockedUntil != null && now.isBefore(current.lockedUntil)) {
      long millis = Duration.between(now, current.lockedUntil).toMillis();
      return new Step(current, Math.max(1, (millis + 999) / 1000), false);
    }
    boolean inWindow = now.isBefore(current.windowStart.plus(limit.window()));
    int count = (inWindow ? current.count : 0) + 1;
    if (count >= limit.failures()) {
      int lockouts = current.lockouts + 1;
      return new Step(
          new LoginAttempts(0, now, lockouts, now.plus(lockFor(limit, lockouts)), now), 0, true);
    }
    return new Step(
        new LoginAttempts(
            count,
            inWindow ? current.windowStart : now,
            current.lockouts,
            current.lockedUntil,
            now),
        0,
        false);
  }

  /** The length of the {@code lockouts}-th lock: the first one's, doubled each time, capped. */
  static Duration lockFor(LoginLimit limit, int lockouts) {
    int doublings = Math.min(Math.max(0, lockouts - 1), MAX_DOUBLINGS);
    Duration lock = limit.lock().multipliedBy(1L << doublings);
    return lock.compareTo(limit.maxLock()) > 0 ? limit.maxLock() : lock;
  }

  /**
   * The outcome of one login: the row after it; refused for that many seconds (0 when it may go
   * on); whether it locked the address.
   */
  public record Step(LoginAttempts after, long refusedForSeconds, boolean locked) {
    public boolean refused() {
      return refusedForSeconds > 0;
    }
  }
}
