package dev.storefront.cart.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventConsumer;
import java.time.Duration;

/**
 * Cart settings. Carts live in the Hazelcast cluster, so the cart service has no database of its
 * own; HTTP and Kafka variables are common's (see {@link HttpConfig} and {@link KafkaConfig}).
 *
 * <table>
 *   <tr><td>CART_IDLE_TTL_S</td><td>604800 (7 days)</td><td>a cart nobody reads or writes for this
 *   long is forgotten; 0 keeps carts until cleared</td></tr>
 *   <tr><td>CART_MAX_LINES</td><td>100</td><td>distinct products one cart may hold</td></tr>
 *   <tr><td>CART_CAS_MAX_ATTEMPTS</td><td>30</td><td>compare-and-set attempts one change makes
 *   against concurrent changes of the same cart before answering 503</td></tr>
 *   <tr><td>CART_CATALOG_TIMEOUT_MS</td><td>1000</td><td>time limit of one catalog call</td></tr>
 *   <tr><td>CART_CATALOG_MAX_FAILURES</td><td>5</td><td>failures within 10 s that open the
 *   catalog breaker</td></tr>
 *   <tr><td>CART_CATALOG_RESET_MS</td><td>5000</td><td>how long the open breaker refuses calls
 *   before it lets a trial call through; also the Retry-After of a refused change</td></tr>
 *   <tr><td>CART_PRICE_CACHE_MS</td><td>30000</td><td>how long a product read from the catalog
 *   prices cart views without asking the catalog again; 0 asks every time</td></tr>
 *   <tr><td>CART_ORDER_EVENTS</td><td>true</td><td>consume {@code orders.events}: a confirmed
 *   order empties the cart it was placed from</td></tr>
 * </table>
 *
 * <p>The consumer's retries come from common's EVENTS_* variables ({@link EventConsumer.Options}).
 */
public record CartConfig(
    HttpConfig http,
    KafkaConfig kafka,
    Storage storage,
    Catalog catalog,
    boolean orderEvents,
    EventConsumer.Options events) {

  public static final String SERVICE = "cart";

  /** Where and how long carts are kept. */
  public record Storage(Duration idleTtl, int maxLines, int maxAttempts) {}

  /** How the catalog is asked for products. */
  public record Catalog(Duration timeout, int maxFailures, Duration resetTimeout, Duration cache) {}

  public static CartConfig from(Env env, String instanceId) {
    int idleSeconds = env.integer("CART_IDLE_TTL_S", (int) Duration.ofDays(7).toSeconds());
    if (idleSeconds < 0) {
      throw new ConfigException("CART_IDLE_TTL_S must not be negative, got " + idleSeconds);
    }
    Duration timeout = env.millis("CART_CATALOG_TIMEOUT_MS", 1_000);
    if (timeout.isZero()) {
      throw new ConfigException("CART_CATALOG_TIMEOUT_MS must be at least 1");
    }
    return new CartConfig(
        HttpConfig.from(env, HttpConfig.LOOPBACK, 0),
        KafkaConfig.from(env, SERVICE, instanceId),
        new Storage(
            Duration.ofSeconds(idleSeconds),
            env.positive("CART_MAX_LINES", 100),
            env.positive("CART_CAS_MAX_ATTEMPTS", 30)),
        new Catalog(
            timeout,
            env.positive("CART_CATALOG_MAX_FAILURES", 5),
            env.millis("CART_CATALOG_RESET_MS", 5_000),
            env.millis("CART_PRICE_CACHE_MS", 30_000)),
        env.bool("CART_ORDER_EVENTS", true),
        EventConsumer.Options.from(env));
  }
}
