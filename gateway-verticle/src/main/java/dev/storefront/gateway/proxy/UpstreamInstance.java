package dev.storefront.gateway.proxy;

import dev.storefront.common.discovery.Endpoint;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One discovered instance of a service, with the breaker that guards calls to it and the count of
 * requests the gateway process has under way there.
 */
public record UpstreamInstance(
    Endpoint endpoint, CircuitBreaker breaker, Runnable unbindMetrics, AtomicInteger outstanding) {

  UpstreamInstance(Endpoint endpoint, CircuitBreaker breaker, Runnable unbindMetrics) {
    this(endpoint, breaker, unbindMetrics, new AtomicInteger());
  }

  boolean open() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }
}
