package dev.storefront.order.service;

import dev.storefront.common.http.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order service's own meters:
 *
 * <ul>
 *   <li>{@code storefront_order_checkouts_total{outcome}}: checkout requests by what came of them:
 *       created, replayed, invalid (400, 415), unauthenticated, key_reused (422), in_progress
 *       (409), empty_cart, currency_mismatch, unknown_product (422), insufficient_stock (409),
 *       prices_unverified, cart_unavailable, catalog_unavailable (503), error;
 *   <li>{@code storefront_order_transitions_total{to, reason}}: orders moved to confirmed or
 *       cancelled (with the cancel reason, else "none");
 *   <li>{@code storefront_order_abandoned_checkouts_total}: checkouts that wrote no order and that
 *       the sweeper had to finish: a claim left in flight, or a reservation left unsettled.
 * </ul>
 */
public final class OrderMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public OrderMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts the checkout {@code result} once it completes; hands it on unchanged. */
  public Future<CheckoutService.Result> checkout(Future<CheckoutService.Result> result) {
    return result.onComplete(
        ar ->
            checkout(
                ar.succeeded()
                    ? (ar.result().replayed() ? "replayed" : "created")
                    : outcome(ar.cause())));
  }

  public void checkout(String outcome) {
    counter("storefront_order_checkouts", "Checkout requests by outcome", "outcome", outcome)
        .increment();
  }

  public void transition(String to, String reason) {
    counters
        .computeIfAbsent(
            "transitions|" + to + "|" + reason,
            k ->
                Counter.builder("storefront_order_transitions")
                    .description("Orders moved out of pending, by new status and reason")
                    .tag("to", to)
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  public void abandoned() {
    counters
        .computeIfAbsent(
            "abandoned",
            k ->
                Counter.builder("storefront_order_abandoned_checkouts")
                    .description("Checkouts without an order that the sweeper finished")
                    .register(registry))
        .increment();
  }

  static String outcome(Throwable failure) {
    if (!(failure instanceof ProblemException problem)) {
      return "error";
    }
    String type = problem.type();
    if (type.startsWith("urn:storefront:problem:")) {
      return type.substring("urn:storefront:problem:".length())
          .replace("idempotency-key-reused", "key-reused")
          .replace("checkout-in-progress", "in-progress")
          .replace('-', '_');
    }
    return switch (problem.status()) {
      case 400, 413, 415 -> "invalid";
      case 401 -> "unauthenticated";
      default -> "error";
    };
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(
        name + "|" + value,
        k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }
}
