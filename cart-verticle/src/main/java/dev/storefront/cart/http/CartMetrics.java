package dev.storefront.cart.http;

import dev.storefront.common.http.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code storefront_cart_operations{operation, outcome}}: every cart request that reached its
 * handler, by what came of it. Outcomes: ok, invalid (400, 413, 415), unknown_product (404),
 * refused (422: a full cart, another currency), catalog_unavailable, contention and minority (503:
 * the instance is on the minority side of a network partition), error.
 */
public final class CartMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public CartMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts {@code result} once it completes; hands it on unchanged. */
  public <T> Future<T> record(String operation, Future<T> result) {
    return result.onComplete(ar -> count(operation, ar.succeeded() ? "ok" : outcome(ar.cause())));
  }

  static String outcome(Throwable failure) {
    if (!(failure instanceof ProblemException problem)) {
      return "error";
    }
    if (CartProblems.CATALOG_UNAVAILABLE.equals(problem.type())) {
      return "catalog_unavailable";
    }
    if (CartProblems.CONTENTION.equals(problem.type())) {
      return "contention";
    }
    if (CartProblems.CLUSTER_MINORITY.equals(problem.type())) {
      return "minority";
    }
    return switch (problem.status()) {
      case 400, 413, 415 -> "invalid";
      case 401 -> "unauthenticated";
      case 404 -> "unknown_product";
      case 422 -> "refused";
      default -> "error";
    };
  }

  private void count(String operation, String outcome) {
    counters
        .computeIfAbsent(
            operation + "|" + outcome,
            k ->
                Counter.builder("storefront_cart_operations")
                    .description("Cart requests by operation and outcome")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }
}
