package dev.storefront.cart.client;

import dev.storefront.cart.config.CartConfig;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.metrics.BreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The catalog as the cart sees it: {@code GET /api/products/{id}} on the discovered catalog
 * instances, round robin, behind one circuit breaker with a time limit. A product the catalog does
 * not know is an answer (empty), not a failure; everything else that keeps an answer from arriving
 * (no instance, refused connection, timeout, 5xx, unreadable body, open breaker) fails with {@link
 * CatalogUnavailableException}. What the caller does then is its fallback: a cart change is
 * refused, a cart view keeps the prices it has.
 *
 * <p>Answers are kept for {@code CART_PRICE_CACHE_MS}, so that showing carts does not ask the
 * catalog for every line of every view; verifying a product for a cart change always asks.
 */
public final class CatalogClient {

  public static final String SERVICE = "catalog";

  private static final int CACHE_LIMIT = 10_000;
  private static final int POOL_SIZE = 16;

  private final WebClient web;
  private final Supplier<List<Endpoint>> instances;
  private final CartConfig.Catalog config;
  private final CircuitBreaker breaker;
  private final Runnable unbindMetrics;
  private final AtomicInteger cursor = new AtomicInteger();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  private record Cached(Optional<CatalogProduct> product, long readAtNanos) {}

  public CatalogClient(
      Vertx vertx, ServiceDirectory directory, CartConfig.Catalog config, MeterRegistry registry) {
    this(vertx, () -> directory.instances(SERVICE), config, registry);
  }

  CatalogClient(
      Vertx vertx,
      Supplier<List<Endpoint>> instances,
      CartConfig.Catalog config,
      MeterRegistry registry) {
    this.instances = instances;
    this.config = config;
    this.registry = registry;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setKeepAlive(true)
                .setName("catalog"),
            new PoolOptions().setHttp1MaxSize(POOL_SIZE));
    this.breaker =
        CircuitBreaker.create(
            SERVICE,
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(config.maxFailures())
                .setTimeout(config.timeout().toMillis())
                .setResetTimeout(config.resetTimeout().toMillis())
                .setFailuresRollingWindow(10_000)
                // Operators read the breaker from Micrometer; event-bus notifications would only
                // cost time.
                .setNotificationAddress(null));
    this.unbindMetrics = BreakerMetrics.bind(registry, breaker, Tags.of("service", SERVICE));
  }

  /** The product as the catalog has it now; empty when the catalog does not know it. */
  public Future<Optional<CatalogProduct>> fetch(String productId) {
    return breaker
        .<Optional<CatalogProduct>>execute(() -> call(productId))
        .onSuccess(product -> remember(productId, product))
        .transform(
            ar -> {
              if (ar.succeeded()) {
                count(ar.result().isPresent() ? "found" : "not_found");
                return Future.succeededFuture(ar.result());
              }
              Throwable cause = ar.cause();
              count(outcome(cause));
              return Future.failedFuture(
                  new CatalogUnavailableException(
                      "The catalog cannot be reached: " + cause.getMessage(),
                      retryAfterSeconds(),
                      cause));
            });
  }

  /** The product as the catalog had it at most {@code CART_PRICE_CACHE_MS} ago. */
  public Future<Optional<CatalogProduct>> recent(String productId) {
    Cached cached = cache.get(productId);
    if (cached != null && System.nanoTime() - cached.readAtNanos < config.cache().toNanos()) {
      return Future.succeededFuture(cached.product);
    }
    return fetch(productId);
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** Seconds until the breaker lets a trial call through, at least one. */
  public int retryAfterSeconds() {
    return (int) Math.max(1, (config.resetTimeout().toMillis() + 999) / 1000);
  }

  public void close() {
    unbindMetrics.run();
    breaker.close();
    web.close();
  }

  private Future<Optional<CatalogProduct>> call(String productId) {
    List<Endpoint> known = instances.get();
    int n = known.size();
    if (n == 0) {
      return Future.failedFuture(new NoInstanceException());
    }
    int first = Math.floorMod(cursor.getAndIncrement(), n);
    return request(known.get(first), productId)
        .recover(
            e -> {
              // An instance that refuses connections has died and discovery has not caught up
              // yet: that says nothing about the catalog as a whole, so the next one is asked.
              if (n > 1 && e instanceof ConnectException) {
                return request(known.get((first + 1) % n), productId);
              }
              return Future.failedFuture(e);
            });
  }

  private Future<Optional<CatalogProduct>> request(Endpoint endpoint, String productId) {
    return web.get(endpoint.port(), endpoint.host(), "/api/products/" + productId)
        .timeout(config.timeout().toMillis())
        .putHeader("Accept", "application/json")
        .send()
        .compose(response -> read(response, productId));
  }

  private static Future<Optional<CatalogProduct>> read(
      HttpResponse<io.vertx.core.buffer.Buffer> response, String productId) {
    return switch (response.statusCode()) {
      case 200 -> {
        CatalogProduct product = CatalogProduct.fromJson(response.bodyAsJsonObject());
        if (!product.id().equals(productId)) {
          throw new IllegalStateException("asked for " + productId + ", got " + product.id());
        }
        yield Future.succeededFuture(Optional.of(product));
      }
      case 404 -> Future.succeededFuture(Optional.empty());
      default ->
          Future.failedFuture(
              new IllegalStateException("the catalog answered " + response.statusCode()));
    };
  }

  private void remember(String productId, Optional<CatalogProduct> product) {
    if (cache.size() >= CACHE_LIMIT) {
      // Rarely reached; dropping everything costs one catalog call per product, no bookkeeping.
      cache.clear();
    }
    cache.put(productId, new Cached(product, System.nanoTime()));
  }

  private static String outcome(Throwable cause) {
    if (cause instanceof OpenCircuitException) {
      return "rejected";
    }
    // The request's own time limit or the breaker's, whichever struck first.
    if (cause instanceof TimeoutException
        || cause instanceof io.vertx.circuitbreaker.TimeoutException) {
      return "timeout";
    }
    if (cause instanceof NoInstanceException) {
      return "no_instance";
    }
    return "failed";
  }

  private void count(String outcome) {
    outcomes
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder("storefront_cart_catalog_calls")
                    .description("Product look-ups in the catalog by outcome")
                    .tag("outcome", o)
                    .register(registry))
        .increment();
  }

  /** Discovery knows no catalog instance. */
  private static final class NoInstanceException extends RuntimeException {
    NoInstanceException() {
      super("no catalog instance is known", null, false, false);
    }
  }
}
