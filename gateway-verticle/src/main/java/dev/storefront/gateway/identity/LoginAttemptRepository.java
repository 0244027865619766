package dev.storefront.gateway.identity;

import dev.storefront.gateway.identity.IdentityConfig.LoginLimit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Login attempts per e-mail key in schema {@code identity}, shared by every gateway. Times are the
 * database's, so gateways whose clocks differ still agree on when a lock ends.
 */
public final class LoginAttemptRepository {

  // The no-op update takes the row lock, so concurrent logins of one address count one by one.
  private static final String LOCK =
      "INSERT INTO login_attempts (email_key) VALUES ($1)"
          + " ON CONFLICT (email_key) DO UPDATE SET attempts = login_attempts.attempts"
          + " RETURNING attempts, window_start, lockouts, locked_until, last_attempt, now() AS now";
  private static final String SAVE =
      "UPDATE login_attempts SET attempts = $2, window_start = $3, lockouts = $4,"
          + " locked_until = $5, last_attempt = $6 WHERE email_key = $1";
  private static final String FORGET = "DELETE FROM login_attempts WHERE email_key = $1";
  // A day: LoginAttempts.FORGET_AFTER, after which a row counts for nothing anyway.
  private static final String SWEEP =
      "DELETE FROM login_attempts WHERE last_attempt < now() - interval '1 day'"
          + " AND (locked_until IS NULL OR locked_until < now())";

  private final Pool pool;

  public LoginAttemptRepository(Pool pool) {
    this.pool = pool;
  }

  /** Counts a login of {@code key} under {@code limit}, or refuses it while the key is locked. */
  public Future<LoginAttempts.Step> take(byte[] key, LoginLimit limit) {
    Buffer id = Buffer.buffer(key);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(LOCK)
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      Row row = rows.iterator().next();
                      Instant now = row.getOffsetDateTime("now").toInstant();
                      LoginAttempts.Step step = attempts(row).next(now, limit);
                      if (step.refused()) {
                        return Future.succeededFuture(step);
                      }
                      LoginAttempts after = step.after();
                      return conn.preparedQuery(SAVE)
                          .execute(
                              Tuple.of(
                                  id,
                                  after.count(),
                                  utc(after.windowStart()),
                                  after.lockouts(),
                                  utc(after.lockedUntil()),
                                  utc(after.lastAttempt())))
                          .map(done -> step);
                    }));
  }

  /** Forgets every attempt of {@code key}: its login succeeded. */
  public Future<Void> forget(byte[] key) {
    return pool.preparedQuery(FORGET).execute(Tuple.of(Buffer.buffer(key))).mapEmpty();
  }

  /** Deletes rows a day past their last attempt and not locked; answers how many. */
  public Future<Integer> sweep() {
    return pool.query(SWEEP).execute().map(rows -> rows.rowCount());
  }

  private static LoginAttempts attempts(Row row) {
    OffsetDateTime lockedUntil = row.getOffsetDateTime("locked_until");
    return new LoginAttempts(
        row.getInteger("attempts"),
        row.getOffsetDateTime("window_start").toInstant(),
        row.getInteger("lockouts"),
        lockedUntil == null ? null : lockedUntil.toInstant(),
        row.getOffsetDateTime("last_attempt").toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
