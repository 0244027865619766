package dev.storefront.gateway.identity;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import dev.storefront.gateway.identity.IdentityConfig.LoginLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit on failed logins per e-mail address ({@link LoginLimit}), on top of the rate limit per
 * client address: an attacker spreading guesses at one account over many addresses gets {@code
 * LOGIN_FAILURE_LIMIT} of them per window, then a 429 of type {@value #TYPE} with {@code
 * Retry-After} for a lock that starts short and doubles with each lock, up to {@code
 * LOGIN_LOCK_MAX_S}. While locked, even the right password is refused; the first login that
 * succeeds afterwards forgets it all.
 *
 * <p>The count is kept per address as typed, whether or not an account has it, and the 429 says the
 * same for both, so the limit tells nobody which addresses have accounts; nor does it say whether a
 * password was right. It lives in PostgreSQL ({@code identity.login_attempts}) rather than in the
 * Hazelcast cluster of the rate-limit buckets: every gateway reaches the database that holds the
 * accounts on every login anyway, a row lock makes concurrent logins of one address count one by
 * one, and the count survives the cluster restarting or splitting, which an attacker could
 * otherwise wait for or provoke; the rate limits may fail open when the cluster is slow, this limit
 * must not.
 *
 * <p>Meters: {@value #REFUSED} (logins refused, {@code _total} in Prometheus) and {@value #LOCKS}
 * (locks begun). Rows a day past their last login are swept every {@value #SWEEP_EVERY_MS} ms.
 */
public final class LoginThrottle {

  public static final String TYPE = "urn:storefront:problem:too-many-failed-logins";

  static final String REFUSED = "storefront_gateway_login_attempts_refused";
  static final String LOCKS = "storefront_gateway_login_locks";
  static final long SWEEP_EVERY_MS = 600_000;

  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

  private final LoginAttemptRepository repository;
  private final LoginLimit limit;
  private final Counter refused;
  private final Counter locks;

  public LoginThrottle(
      LoginAttemptRepository repository, LoginLimit limit, MeterRegistry registry) {
    this.repository = repository;
    this.limit = limit;
    this.refused =
        Counter.builder(REFUSED)
            .description(
                "Logins refused with 429 because their e-mail address had failed too often")
            .register(registry);
    this.locks =
        Counter.builder(LOCKS)
            .description("Times an e-mail address was locked after too many failed logins")
            .register(registry);
  }

  /**
   * Counts a login of {@code email} before its password is checked; a failed future with {@link
   * TooManyFailedLogins} while the address is locked. Nothing to do when the limit is off.
   */
  public Future<Void> attempt(String email) {
    if (!limit.enabled()) {
      return Future.succeededFuture();
    }
    return repository
        .take(key(email), limit)
        .compose(
            step -> {
              if (step.refused()) {
                refused.increment();
                return Future.failedFuture(new TooManyFailedLogins(step.refusedForSeconds()));
              }
              if (step.locked()) {
                locks.increment();
              }
              return Future.succeededFuture();
            });
  }

  /**
   * Forgets the failures of {@code email}: its login succeeded. Never fails; a row left behind only
   * counts towards a lock as a failure would.
   */
  public Future<Void> succeeded(String email) {
    if (!limit.enabled()) {
      return Future.succeededFuture();
    }
    return repository
        .forget(key(email))
        .recover(
            e -> {
              LOG.warn("Could not reset the failed logins of an address: {}", e.toString());
              return Future.succeededFuture();
            });
  }

  /** Sweeps forgotten rows now and then until {@code vertx} closes; answers the timer's id. */
  public long sweepPeriodically(Vertx vertx) {
    return vertx.setPeriodic(
        SWEEP_EVERY_MS,
        id ->
            repository
                .sweep()
                .onSuccess(n -> LOG.debug("Swept {} login attempt rows", n))
                .onFailure(e -> LOG.warn("Could not sweep login attempts: {}", e.toString())));
  }

  /** SHA-256 of the address trimmed and lower-cased: one key whatever its case, none in clear. */
  static byte[] key(String email) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * 429 (problem type {@value LoginThrottle#TYPE}): the address has failed too often lately. Its
   * {@code retryAfter} extension becomes the answer's {@code Retry-After} in the problem handler.
   */
  public static final class TooManyFailedLogins extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyFailedLogins(long retryAfterSeconds) {
      super(
          429,
          TYPE,
          Problems.reason(429),
          "Too many failed logins for this e-mail address; try again in "
              + retryAfterSeconds
              + " s",
          new JsonObject().put("retryAfter", retryAfterSeconds));
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
