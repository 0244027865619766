package dev.storefront.gateway.proxy;

import dev.storefront.common.discovery.Endpoint;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;

/** One discovered instance of a service, with the breaker that guards calls to it. */
public record UpstreamInstance(Endpoint endpoint, CircuitBreaker breaker, Runnable unbindMetrics) {

  boolean open() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }
}
