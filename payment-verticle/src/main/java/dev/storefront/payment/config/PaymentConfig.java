package dev.storefront.payment.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;
import java.time.Duration;

/**
 * Payment settings. Besides common's HTTP, database and Kafka variables:
 *
 * <table>
 *   <tr><td>PAYMENT_CHARGE_TIMEOUT_MS</td><td>5000</td><td>how long one charge request to the
 *   processor may take before it counts as failed (and is asked again with the same key)</td></tr>
 *   <tr><td>PAYMENT_CHARGE_ATTEMPTS</td><td>3</td><td>charge requests per payment before it fails
 *   with {@code processor_error}</td></tr>
 *   <tr><td>PAYMENT_RETRY_BACKOFF_MS</td><td>200</td><td>wait before the second request, doubled
 *   for each further one</td></tr>
 *   <tr><td>PAYMENT_RETRY_BACKOFF_MAX_MS</td><td>2000</td><td>the longest wait between two
 *   requests</td></tr>
 *   <tr><td>PAYMENT_RECOVERY_INTERVAL_MS</td><td>5000</td><td>how often unfinished payments are
 *   looked for</td></tr>
 *   <tr><td>PAYMENT_RECOVERY_AFTER_MS</td><td>15000</td><td>a payment unfinished and untouched
 *   this long is driven again (its process died mid-way); must exceed the charge timeout plus the
 *   longest backoff</td></tr>
 *   <tr><td>PAYMENT_RECOVERY_ABANDON_MS</td><td>120000</td><td>a pending payment whose charge
 *   the processor never received (its process died first) is left for the redelivered {@code
 *   OrderCreated}, which carries the card, this long; then it fails with {@code
 *   processor_error}</td></tr>
 *   <tr><td>PAYMENT_EVENT_ATTEMPTS</td><td>5</td><td>handling attempts of one order event before it
 *   goes to {@code orders.events.dlq}</td></tr>
 *   <tr><td>PAYMENT_PROCESSOR_LATENCY_MS</td><td>50</td><td>the simulated processor's answer
 *   time</td></tr>
 *   <tr><td>PAYMENT_PROCESSOR_FAILURE_RATE</td><td>0</td><td>share of processor calls (0 to 1)
 *   that fail without a decision</td></tr>
 *   <tr><td>PAYMENT_PROCESSOR_SLOW_MS</td><td>30000</td><td>the slow test card's answer
 *   time</td></tr>
 *   <tr><td>PAYMENT_CARD_KEY</td><td>(required)</td><td>256-bit key, base64, that seals stored
 *   card numbers; the same for every payment process, never in the database</td></tr>
 *   <tr><td>PAYMENT_TOKEN_TTL_MS</td><td>86400000</td><td>how long a payment token can be used
 *   after it was issued</td></tr>
 *   <tr><td>PAYMENT_TOKEN_RETENTION_MS</td><td>86400000</td><td>how long an expired token (and
 *   its sealed card) is kept for orders placed while it was valid; then it is deleted</td></tr>
 * </table>
 */
public record PaymentConfig(
    HttpConfig http,
    DatabaseConfig db,
    KafkaConfig kafka,
    Charging charging,
    Recovery recovery,
    int eventAttempts,
    Processor processor,
    Tokens tokens) {

  public static final String SERVICE = "payment";
  public static final String SCHEMA = "payments";

  /** How one payment is charged: per-request timeout, bounded requests, growing waits. */
  public record Charging(Duration timeout, int attempts, Duration backoff, Duration maxBackoff) {

    /** The wait before request {@code attempt + 1}, {@code attempt} counted from 1. */
    public Duration backoffAfter(int attempt) {
      long millis = backoff.toMillis() << Math.min(attempt - 1, 20);
      return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
  }

  /**
   * When unfinished payments are driven again, and when a pending payment whose charge never
   * reached the processor is given up.
   */
  public record Recovery(Duration interval, Duration after, Duration abandonAfter) {}

  /**
   * Payment tokens: how long one may be used, how long an expired one is kept (an order placed
   * while it was valid may still be charged, after a broker outage say), and the base64 key that
   * seals card numbers (checked when the service starts; kept out of {@link #toString}).
   */
  public record Tokens(Duration ttl, Duration retention, String cardKey) {

    public static final String CARD_KEY_ENV = "PAYMENT_CARD_KEY";

    public static Tokens from(Env env) {
      return new Tokens(
          positiveMillis(env, "PAYMENT_TOKEN_TTL_MS", 86_400_000),
          env.millis("PAYMENT_TOKEN_RETENTION_MS", 86_400_000),
          env.string(CARD_KEY_ENV, null));
    }

    @Override
    public String toString() {
      return "Tokens[ttl=" + ttl + ", retention=" + retention + ", cardKey=(hidden)]";
    }
  }

  /** The simulated processor's behaviour. */
  public record Processor(Duration latency, double failureRate, Duration slowDelay) {

    public Processor {
      if (!(failureRate >= 0 && failureRate <= 1)) {
        throw new ConfigException(
            "PAYMENT_PROCESSOR_FAILURE_RATE must be between 0 and 1, got " + failureRate);
      }
    }

    public static Processor from(Env env) {
      return new Processor(
          env.millis("PAYMENT_PROCESSOR_LATENCY_MS", 50),
          fraction(env, "PAYMENT_PROCESSOR_FAILURE_RATE"),
          env.millis("PAYMENT_PROCESSOR_SLOW_MS", 30_000));
    }
  }

  public static PaymentConfig from(Env env, String instanceId) {
    Charging charging =
        new Charging(
            positiveMillis(env, "PAYMENT_CHARGE_TIMEOUT_MS", 5_000),
            env.positive("PAYMENT_CHARGE_ATTEMPTS", 3),
            env.millis("PAYMENT_RETRY_BACKOFF_MS", 200),
            env.millis("PAYMENT_RETRY_BACKOFF_MAX_MS", 2_000));
    Recovery recovery =
        new Recovery(
            positiveMillis(env, "PAYMENT_RECOVERY_INTERVAL_MS", 5_000),
            positiveMillis(env, "PAYMENT_RECOVERY_AFTER_MS", 15_000),
            positiveMillis(env, "PAYMENT_RECOVERY_ABANDON_MS", 120_000));
    Duration longestQuiet = charging.timeout().plus(charging.maxBackoff());
    if (recovery.after().compareTo(longestQuiet) <= 0) {
      // A payment being charged is touched before every request; recovery must not take a
      // payment that is merely waiting for its processor for one that was abandoned.
      throw new ConfigException(
          "PAYMENT_RECOVERY_AFTER_MS must exceed PAYMENT_CHARGE_TIMEOUT_MS plus"
              + " PAYMENT_RETRY_BACKOFF_MAX_MS ("
              + longestQuiet.toMillis()
              + "), got "
              + recovery.after().toMillis());
    }
    return new PaymentConfig(
        HttpConfig.from(env, HttpConfig.LOOPBACK, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId),
        charging,
        recovery,
        env.positive("PAYMENT_EVENT_ATTEMPTS", 5),
        Processor.from(env),
        Tokens.from(env));
  }

  static Duration positiveMillis(Env env, String name, long defaultMillis) {
    Duration value = env.millis(name, defaultMillis);
    if (value.isZero()) {
      throw new ConfigException(name + " must be at least 1, got 0");
    }
    return value;
  }

  private static double fraction(Env env, String name) {
    String value = env.string(name, "0");
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number between 0 and 1, got '" + value + "'");
    }
  }
}
