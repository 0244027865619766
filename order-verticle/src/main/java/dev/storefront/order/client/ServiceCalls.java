package dev.storefront.order.client;

import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.metrics.BreakerMetrics;
import dev.storefront.order.config.OrderConfig;
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
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls to one downstream service: its discovered instances round robin, one circuit breaker with a
 * time limit, and {@code storefront_order_downstream_calls{service, operation, outcome}}. A
 * request's future succeeds for every answer the caller understands (refusals included, so that
 * they do not open the breaker) and fails for everything else, which then leaves as {@link
 * ServiceUnavailableException}.
 */
final class ServiceCalls {

  private static final int POOL_SIZE = 16;

  private final String service;
  private final Supplier<List<Endpoint>> instances;
  private final OrderConfig.Downstream config;
  private final MeterRegistry registry;
  private final WebClient web;
  private final CircuitBreaker breaker;
  private final Runnable unbindMetrics;
  private final AtomicInteger cursor = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ServiceCalls(
      Vertx vertx,
      String service,
      Supplier<List<Endpoint>> instances,
      OrderConfig.Downstream config,
      MeterRegistry registry) {
    this.service = service;
    this.instances = instances;
    this.config = config;
    this.registry = registry;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setKeepAlive(true)
                .setName(service),
            new PoolOptions().setHttp1MaxSize(POOL_SIZE));
    this.breaker =
        CircuitBreaker.create(
            "order-" + service,
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(config.maxFailures())
                .setTimeout(config.timeout().toMillis())
                .setResetTimeout(config.resetTimeout().toMillis())
                .setFailuresRollingWindow(10_000)
                .setNotificationAddress(null));
    this.unbindMetrics = BreakerMetrics.bind(registry, breaker, Tags.of("service", service));
  }

  WebClient web() {
    return web;
  }

  long timeoutMillis() {
    return config.timeout().toMillis();
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  /**
   * {@code request} against one instance under the breaker; {@code outcome} names a successful
   * answer for the metrics.
   */
  <T> Future<T> call(
      String operation, Function<Endpoint, Future<T>> request, Function<T, String> outcome) {
    return breaker
        .<T>execute(() -> roundRobin(request))
        .transform(
            ar -> {
              if (ar.succeeded()) {
                count(operation, outcome.apply(ar.result()));
                return Future.succeededFuture(ar.result());
              }
              Throwable cause = ar.cause();
              count(operation, failureOutcome(cause));
              return Future.failedFuture(
                  new ServiceUnavailableException(
                      service,
                      "The " + service + " service cannot be reached: " + cause.getMessage(),
                      config.retryAfterSeconds(),
                      cause));
            });
  }

  void close() {
    unbindMetrics.run();
    breaker.close();
    web.close();
  }

  private <T> Future<T> roundRobin(Function<Endpoint, Future<T>> request) {
    List<Endpoint> known = instances.get();
    int n = known.size();
    if (n == 0) {
      return Future.failedFuture(new NoInstanceException(service));
    }
    int first = Math.floorMod(cursor.getAndIncrement(), n);
    return request
        .apply(known.get(first))
        .recover(
            e -> {
              // A refused connection means that instance died before discovery noticed; it says
              // nothing about the service, so the next instance is asked.
              if (n > 1 && e instanceof ConnectException) {
                return request.apply(known.get((first + 1) % n));
              }
              return Future.failedFuture(e);
            });
  }

  private static String failureOutcome(Throwable cause) {
    if (cause instanceof OpenCircuitException) {
      return "rejected";
    }
    if (cause instanceof TimeoutException
        || cause instanceof io.vertx.circuitbreaker.TimeoutException) {
      return "timeout";
    }
    if (cause instanceof NoInstanceException) {
      return "no_instance";
    }
    return "failed";
  }

  private void count(String operation, String outcome) {
    counters
        .computeIfAbsent(
            operation + "|" + outcome,
            k ->
                Counter.builder("storefront_order_downstream_calls")
                    .description("Calls of the order service to other services by outcome")
                    .tag("service", service)
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  /** Discovery knows no instance of the service. */
  private static final class NoInstanceException extends RuntimeException {
    NoInstanceException(String service) {
      super("no " + service + " instance is known", null, false, false);
    }
  }
}
