package dev.storefront.order.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;
import java.time.Duration;

/**
 * Order settings. HTTP, PostgreSQL and Kafka variables are common's (see {@link HttpConfig}, {@link
 * DatabaseConfig}, {@link KafkaConfig}); the order service's own:
 *
 * <table>
 *   <tr><td>ORDER_PAYMENT_DEADLINE_S</td><td>120</td><td>how long a pending order waits for its
 *   payment outcome before it is cancelled (payment_timeout)</td></tr>
 *   <tr><td>ORDER_SWEEP_INTERVAL_MS</td><td>2000</td><td>how often overdue orders and abandoned
 *   checkouts are looked for</td></tr>
 *   <tr><td>ORDER_CHECKOUT_LEASE_S</td><td>60</td><td>how long a checkout may stay in flight before
 *   it counts as abandoned (its process died, or releasing its stock failed): its key is freed and,
 *   if it may have reserved stock, an OrderCancelled makes the catalog release it. Far longer than
 *   any checkout takes.</td></tr>
 *   <tr><td>ORDER_IDEMPOTENCY_RETENTION_H</td><td>24</td><td>how long a completed checkout's key
 *   replays its answer</td></tr>
 *   <tr><td>ORDER_CART_TIMEOUT_MS</td><td>1000</td><td>time limit of reading the cart</td></tr>
 *   <tr><td>ORDER_CATALOG_TIMEOUT_MS</td><td>2000</td><td>time limit of one reservation call to
 *   the catalog</td></tr>
 *   <tr><td>ORDER_PAYMENT_TIMEOUT_MS</td><td>1000</td><td>time limit of checking the payment
 *   token with the payment service</td></tr>
 *   <tr><td>ORDER_BREAKER_MAX_FAILURES</td><td>5</td><td>failures within 10 s that open the
 *   breaker of the cart, the catalog or the payment service</td></tr>
 *   <tr><td>ORDER_BREAKER_RESET_MS</td><td>5000</td><td>how long an open breaker refuses calls;
 *   also the Retry-After of the 503 answered meanwhile</td></tr>
 * </table>
 */
public record OrderConfig(
    HttpConfig http,
    DatabaseConfig db,
    KafkaConfig kafka,
    Checkout checkout,
    Downstream cart,
    Downstream catalog,
    Downstream payment) {

  public static final String SERVICE = "order";
  public static final String SCHEMA = "orders";

  /** The checkout saga's clocks. */
  public record Checkout(
      Duration paymentDeadline,
      Duration sweepInterval,
      Duration lease,
      Duration idempotencyRetention) {}

  /** How one downstream service is called. */
  public record Downstream(Duration timeout, int maxFailures, Duration resetTimeout) {

    /** Seconds until an open breaker lets a trial call through, at least one. */
    public int retryAfterSeconds() {
      return (int) Math.max(1, (resetTimeout.toMillis() + 999) / 1000);
    }
  }

  public static OrderConfig from(Env env, String instanceId) {
    int maxFailures = env.positive("ORDER_BREAKER_MAX_FAILURES", 5);
    Duration reset = env.millis("ORDER_BREAKER_RESET_MS", 5_000);
    return new OrderConfig(
        HttpConfig.from(env, HttpConfig.LOOPBACK, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId),
        new Checkout(
            Duration.ofSeconds(env.positive("ORDER_PAYMENT_DEADLINE_S", 120)),
            atLeastOne(env, "ORDER_SWEEP_INTERVAL_MS", 2_000),
            Duration.ofSeconds(env.positive("ORDER_CHECKOUT_LEASE_S", 60)),
            Duration.ofHours(env.positive("ORDER_IDEMPOTENCY_RETENTION_H", 24))),
        new Downstream(atLeastOne(env, "ORDER_CART_TIMEOUT_MS", 1_000), maxFailures, reset),
        new Downstream(atLeastOne(env, "ORDER_CATALOG_TIMEOUT_MS", 2_000), maxFailures, reset),
        new Downstream(atLeastOne(env, "ORDER_PAYMENT_TIMEOUT_MS", 1_000), maxFailures, reset));
  }

  private static Duration atLeastOne(Env env, String name, long defaultMillis) {
    Duration value = env.millis(name, defaultMillis);
    if (value.isZero()) {
      throw new ConfigException(name + " must be at least 1");
    }
    return value;
  }
}
