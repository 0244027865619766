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
 * The payment service's tokens: {@code GET /api/payments/tokens/{token}} on a discovered payment
 * instance, on behalf of the caller, behind a breaker with a time limit. A token that is not the
 * caller's is as unknown as one never issued; both are answers. Whatever else keeps an answer from
 * arriving fails with {@link ServiceUnavailableException}.
 */
public final class PaymentClient {

  public static final String SERVICE = "payment";

  /** What the payment service says of a token for the caller. */
  public enum TokenCheck {
    /** The caller's, and usable now. */
    VALID,
    /** Not issued, or issued to another account. */
    UNKNOWN,
    /** The caller's, but past its expiry. */
    EXPIRED
  }

  private final ServiceCalls calls;

  public PaymentClient(
      Vertx vertx,
      ServiceDirectory directory,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this(vertx, () -> directory.instances(SERVICE), config, meters);
  }

  PaymentClient(
      Vertx vertx,
      Supplier<List<Endpoint>> instances,
      OrderConfig.Downstream config,
      MeterRegistry meters) {
    this.calls = new ServiceCalls(vertx, SERVICE, instances, config, meters);
  }

  /** Whether {@code token} is usable by the caller {@code identity} vouches for. */
  public Future<TokenCheck> check(String token, String identity) {
    return calls.call(
        "check_token",
        endpoint ->
            calls
                .web()
                .get(endpoint.port(), endpoint.host(), "/api/payments/tokens/" + token)
                .timeout(calls.timeoutMillis())
                .putHeader("Accept", "application/json")
                .putHeader(InternalTokens.HEADER, identity)
                .send()
                .compose(
                    response -> {
                      if (response.statusCode() == 404) {
                        return Future.succeededFuture(TokenCheck.UNKNOWN);
                      }
                      if (response.statusCode() != 200) {
                        return Future.failedFuture(
                            new IllegalStateException(
                                "the payment service answered " + response.statusCode()));
                      }
                      return Future.succeededFuture(
                          response.bodyAsJsonObject().getBoolean("expired", false)
                              ? TokenCheck.EXPIRED
                              : TokenCheck.VALID);
                    }),
        check -> check.name().toLowerCase());
  }

  public CircuitBreakerState state() {
    return calls.state();
  }

  public void close() {
    calls.close();
  }
}
