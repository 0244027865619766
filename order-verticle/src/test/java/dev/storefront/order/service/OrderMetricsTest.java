package dev.storefront.order.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.Problems;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderMetricsTest {

  @Test
  void checkoutOutcomesAreNamedAfterTheirProblemTypes() {
    assertThat(OrderMetrics.outcome(CheckoutProblems.problem(422, CheckoutProblems.EMPTY_CART, "")))
        .isEqualTo("empty_cart");
    assertThat(
            OrderMetrics.outcome(
                CheckoutProblems.problem(409, CheckoutProblems.INSUFFICIENT_STOCK, "")))
        .isEqualTo("insufficient_stock");
    assertThat(OrderMetrics.outcome(CheckoutProblems.problem(422, CheckoutProblems.KEY_REUSED, "")))
        .isEqualTo("key_reused");
    assertThat(
            OrderMetrics.outcome(
                CheckoutProblems.retryLater(409, CheckoutProblems.IN_PROGRESS, "", 1)))
        .isEqualTo("in_progress");
    assertThat(OrderMetrics.outcome(Problems.of(400, "bad"))).isEqualTo("invalid");
    assertThat(OrderMetrics.outcome(new IllegalStateException())).isEqualTo("error");
  }

  @Test
  void countsCreatedAndReplayedCheckoutsAndTransitions() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OrderMetrics metrics = new OrderMetrics(registry);
    UUID id = UUID.randomUUID();

    metrics.checkout(
        Future.succeededFuture(new CheckoutService.Result(201, new JsonObject(), id, false)));
    metrics.checkout(
        Future.succeededFuture(new CheckoutService.Result(201, new JsonObject(), id, true)));
    metrics.checkout(
        Future.succeededFuture(new CheckoutService.Result(201, new JsonObject(), id, true)));
    metrics.transition("cancelled", "payment_timeout");

    assertThat(
            registry.get("storefront_order_checkouts").tag("outcome", "created").counter().count())
        .isEqualTo(1);
    assertThat(
            registry.get("storefront_order_checkouts").tag("outcome", "replayed").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("storefront_order_transitions")
                .tag("to", "cancelled")
                .tag("reason", "payment_timeout")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
