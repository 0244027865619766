package dev.storefront.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.List;

/** Exposes a circuit breaker's state and failure count, the numbers an operator watches. */
public final class BreakerMetrics {

  private BreakerMetrics() {}

  /** Registers the gauges; the returned handle removes them when the breaker goes away. */
  public static Runnable bind(MeterRegistry registry, CircuitBreaker breaker, Tags tags) {
    Tags all = tags.and("breaker", breaker.name());
    List<Meter> meters =
        List.of(
            Gauge.builder("storefront_circuit_breaker_state", breaker, b -> stateValue(b.state()))
                .description("0 closed, 1 half-open, 2 open")
                .tags(all)
                .register(registry),
            Gauge.builder(
                    "storefront_circuit_breaker_failures", breaker, CircuitBreaker::failureCount)
                .description("Failures counted in the breaker's current window")
                .tags(all)
                .register(registry));
    return () -> meters.forEach(registry::remove);
  }

  static double stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
