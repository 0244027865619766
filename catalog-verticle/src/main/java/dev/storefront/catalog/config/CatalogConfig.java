package dev.storefront.catalog.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventConsumer;
import java.time.Duration;

/**
 * Catalog settings. Besides common's HTTP, database and Kafka variables:
 *
 * <table>
 *   <tr><td>CATALOG_CACHE_SIZE</td><td>10000</td><td>products kept in the process's cache; 0
 *   turns the cache off</td></tr>
 *   <tr><td>CATALOG_CACHE_TTL_MS</td><td>60000</td><td>the longest a cached product is served
 *   without reading it again, in case an invalidation from another process was lost</td></tr>
 *   <tr><td>CATALOG_DEMO_DATA</td><td>false</td><td>on start, fill an empty catalog with the demo
 *   catalog</td></tr>
 *   <tr><td>CATALOG_DEMO_PRODUCTS</td><td>10000</td><td>how many demo products</td></tr>
 *   <tr><td>CATALOG_ORDER_EVENTS</td><td>true</td><td>consume {@code orders.events}: commit and
 *   release stock reservations as orders are confirmed and cancelled</td></tr>
 * </table>
 *
 * <p>The consumer's retries come from common's EVENTS_* variables ({@link EventConsumer.Options}).
 */
public record CatalogConfig(
    HttpConfig http,
    DatabaseConfig db,
    KafkaConfig kafka,
    int cacheSize,
    Duration cacheTtl,
    boolean demoData,
    int demoProducts,
    boolean orderEvents,
    EventConsumer.Options events) {

  public static final String SERVICE = "catalog";

  public static final int DEFAULT_CACHE_SIZE = 10_000;
  public static final long DEFAULT_CACHE_TTL_MS = 60_000;
  public static final int DEFAULT_DEMO_PRODUCTS = 10_000;

  public static CatalogConfig from(Env env, String instanceId) {
    int cacheSize = env.integer("CATALOG_CACHE_SIZE", DEFAULT_CACHE_SIZE);
    if (cacheSize < 0) {
      throw new ConfigException("CATALOG_CACHE_SIZE must not be negative, got " + cacheSize);
    }
    return new CatalogConfig(
        HttpConfig.from(env, HttpConfig.LOOPBACK, 0),
        DatabaseConfig.from(env, SERVICE),
        KafkaConfig.from(env, SERVICE, instanceId),
        cacheSize,
        env.millis("CATALOG_CACHE_TTL_MS", DEFAULT_CACHE_TTL_MS),
        env.bool("CATALOG_DEMO_DATA", false),
        env.positive("CATALOG_DEMO_PRODUCTS", DEFAULT_DEMO_PRODUCTS),
        env.bool("CATALOG_ORDER_EVENTS", true),
        EventConsumer.Options.from(env));
  }
}
