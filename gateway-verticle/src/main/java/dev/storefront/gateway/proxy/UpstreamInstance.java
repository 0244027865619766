package dev.storefront.gateway.proxy;

import dev.storefront.common.discovery.Endpoint;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One discovered instance of a service, with the breaker that guards calls to it, its answer
 * timers, the count of requests the gateway process has under way there, and its address, worked
 * out once rather than from the host string for every request.
 */
public record UpstreamInstance(
    Endpoint endpoint,
    CircuitBreaker breaker,
    UpstreamMeters meters,
    Runnable unbindMetrics,
    AtomicInteger outstanding,
    SocketAddress address) {

  UpstreamInstance(
      Endpoint endpoint, CircuitBreaker breaker, UpstreamMeters meters, Runnable unbindMetrics) {
    this(
        endpoint,
        breaker,
        meters,
        unbindMetrics,
        new AtomicInteger(),
        SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()));
  }

  boolean open() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }
}
