package dev.storefront.payment.processor;

/**
 * The processor could not decide (it failed, or did not answer in time): no decision is known and
 * the same request may be sent again with the same key.
 */
public class ProcessorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProcessorException(String message) {
    super(message, null, false, false);
  }
}
