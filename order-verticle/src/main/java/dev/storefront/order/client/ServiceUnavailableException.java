package dev.storefront.order.client;

/** A downstream service gave no usable answer: none known, down, too slow, or its breaker open. */
public final class ServiceUnavailableException extends RuntimeException {

  private final String service;
  private final int retryAfterSeconds;

  public ServiceUnavailableException(
      String service, String detail, int retryAfterSeconds, Throwable cause) {
    super(detail, cause, false, false);
    this.service = service;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String service() {
    return service;
  }

  /** When asking again has a chance: once the breaker lets a trial call through. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
