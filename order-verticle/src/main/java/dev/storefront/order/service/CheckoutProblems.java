package dev.storefront.order.service;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.json.JsonObject;

/** The checkout's own kinds of failure, as problem details. */
public final class CheckoutProblems {

  public static final String EMPTY_CART = Problems.type("empty-cart");
  public static final String CURRENCY_MISMATCH = Problems.type("currency-mismatch");
  public static final String PRICES_UNVERIFIED = Problems.type("prices-unverified");
  public static final String INSUFFICIENT_STOCK = Problems.type("insufficient-stock");
  public static final String UNKNOWN_PRODUCT = Problems.type("unknown-product");
  public static final String KEY_REUSED = Problems.type("idempotency-key-reused");
  public static final String IN_PROGRESS = Problems.type("checkout-in-progress");
  public static final String CART_ALREADY_ORDERED = Problems.type("cart-already-ordered");
  public static final String CART_UNAVAILABLE = Problems.type("cart-unavailable");
  public static final String CATALOG_UNAVAILABLE = Problems.type("catalog-unavailable");
  public static final String PAYMENT_TOKEN_UNKNOWN = Problems.type("payment-token-unknown");
  public static final String PAYMENT_TOKEN_EXPIRED = Problems.type("payment-token-expired");

  private CheckoutProblems() {}

  /** A problem worth asking again about later: its answer carries Retry-After. */
  public static final class RetryLater extends ProblemException {

    private static final long serialVersionUID = 1L;
    private final int retryAfterSeconds;

    RetryLater(int status, String type, String detail, int retryAfterSeconds) {
      super(status, type, Problems.reason(status), detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  static ProblemException problem(int status, String type, String detail) {
    return problem(status, type, detail, new JsonObject());
  }

  static ProblemException problem(int status, String type, String detail, JsonObject extensions) {
    return new ProblemException(status, type, Problems.reason(status), detail, extensions);
  }

  static RetryLater retryLater(int status, String type, String detail, int seconds) {
    return new RetryLater(status, type, detail, seconds);
  }
}
