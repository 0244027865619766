package dev.storefront.payment.processor;

import io.vertx.core.Future;

/**
 * The card processor as the payment service uses it. Both operations are keyed: a charge by its
 * idempotency key (the order id), so asking again after a timeout or a crash never charges twice; a
 * refund by the key of the charge it reverses, so asking again never refunds twice.
 *
 * <p>A charge the processor decided on succeeds with a {@link ChargeResult}, approved or not. A
 * failed future ({@link ProcessorException}, or a timeout) means no decision is known: the caller
 * may ask again with the same key.
 */
public interface CardProcessor {

  Future<ChargeResult> charge(ChargeRequest request);

  /**
   * Reverses whatever the charge under {@code request.chargeKey()} took or is about to take: a
   * captured charge is refunded, one still in progress is voided, and when nothing was taken the
   * answer says so.
   */
  Future<RefundResult> refund(RefundRequest request);
}
