package dev.storefront.payment.processor;

/**
 * A charge was resumed without a card, and the processor holds no charge under its key: it never
 * got the first request, or failed before deciding it. Nothing was taken.
 */
public class UnknownChargeException extends ProcessorException {

  private static final long serialVersionUID = 1L;

  public UnknownChargeException(String idempotencyKey) {
    super("no charge under idempotency key " + idempotencyKey);
  }
}
