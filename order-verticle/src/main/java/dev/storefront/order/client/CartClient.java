package dev.storefront.order.client;

import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.order.config.OrderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cart as checkout reads it: {@code GET /api/cart} on a discovered cart instance, on behalf of
 * the caller (their {@value InternalTokens#HEADER} forwarded), behind a breaker with a time limit.
 * Whatever keeps an answer from arriving fails with {@link ServiceUnavailableException}; the
 * checkout's fallback is a 503 with Retry-After.
 */
public final class CartClient {

  public static final String SERVICE = "cart";

  private final ServiceCalls calls;

  public CartClient(
      Vertx vertx,
      ServiceDirectory directory,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this(vertx, () -> directory.instances(SERVICE), config, meters);
  }

  CartClient(
      Vertx vertx,
      Supplier<List<Endpoint>> instances,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this.calls = new ServiceCalls(vertx, SERVICE, instances, config, meters);
  }

  /** The cart of the caller {@code identity} vouches for. */
  public Future<CartView> read(String identity) {
    return calls.call("read", endpoint -> request(endpoint, identity), cart -> "ok");
  }

  public CircuitBreakerState state() {
    return calls.state();
  }

  public void close() {
    calls.close();
  }

  private Future<CartView> request(Endpoint endpoint, String identity) {
    return calls
        .web()
        .get(endpoint.port(), endpoint.host(), "/api/cart")
        .timeout(calls.timeoutMillis())
        .putHeader("Accept", "application/json")
        .putHeader(InternalTokens.HEADER, identity)
        .send()
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture(
                    new IllegalStateException("the cart answered " + response.statusCode()));
              }
              return Future.succeededFuture(CartView.fromJson(response.bodyAsJsonObject()));
            });
  }
}
