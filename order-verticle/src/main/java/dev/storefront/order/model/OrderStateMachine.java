package dev.storefront.order.model;

import java.util.Optional;
import java.util.UUID;

/**
 * The order's states and what moves it between them:
 *
 * <pre>
 *   pending --PaymentSucceeded--> confirmed
 *   pending --PaymentFailed-----> cancelled (payment_declined | insufficient_funds | payment_error)
 *   pending --deadline passed---> cancelled (payment_timeout)
 * </pre>
 *
 * Confirmed and cancelled are final: whatever arrives later changes nothing. A payment that
 * succeeds for an order already cancelled (its deadline passed first) is the payment service's to
 * refund when it sees {@code OrderCancelled}; a repeated event finds the order already moved.
 */
public final class OrderStateMachine {

  private OrderStateMachine() {}

  /** What can happen to an order. */
  public sealed interface Trigger permits PaymentSucceeded, PaymentFailed, DeadlinePassed {}

  /** The payment for the order went through. */
  public record PaymentSucceeded(UUID paymentId) implements Trigger {}

  /** The payment failed for {@code reason} (the payment service's: declined, ...). */
  public record PaymentFailed(UUID paymentId, String reason) implements Trigger {}

  /** The payment deadline passed without an outcome. */
  public record DeadlinePassed() implements Trigger {}

  /** A change of status; {@code reason} for a cancellation, {@code paymentId} when one is known. */
  public record Transition(OrderStatus to, CancelReason reason, UUID paymentId) {}

  /** The transition {@code trigger} causes from {@code current}; empty when it changes nothing. */
  public static Optional<Transition> next(OrderStatus current, Trigger trigger) {
    if (current.isFinal()) {
      return Optional.empty();
    }
    if (trigger instanceof PaymentSucceeded s) {
      return Optional.of(new Transition(OrderStatus.CONFIRMED, null, s.paymentId()));
    }
    if (trigger instanceof PaymentFailed f) {
      return Optional.of(
          new Transition(
              OrderStatus.CANCELLED, CancelReason.ofPaymentFailure(f.reason()), f.paymentId()));
    }
    return Optional.of(new Transition(OrderStatus.CANCELLED, CancelReason.PAYMENT_TIMEOUT, null));
  }
}
