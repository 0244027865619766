package dev.storefront.cart.client;

/** The catalog could not say whether a product exists or what it costs. */
public final class CatalogUnavailableException extends RuntimeException {

  private final int retryAfterSeconds;

  public CatalogUnavailableException(String detail, int retryAfterSeconds, Throwable cause) {
    super(detail, cause, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** When asking again has a chance: once the breaker lets a trial call through. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
