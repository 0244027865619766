package dev.storefront.order.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.order.model.OrderStateMachine.DeadlinePassed;
import dev.storefront.order.model.OrderStateMachine.PaymentFailed;
import dev.storefront.order.model.OrderStateMachine.PaymentSucceeded;
import dev.storefront.order.model.OrderStateMachine.Transition;
import dev.storefront.order.model.OrderStateMachine.Trigger;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OrderStateMachineTest {

  private static final UUID PAYMENT = UUID.fromString("0b7e0c53-8a43-4a4f-9d59-3f1c2b3a4d5e");

  @Test
  void aSucceededPaymentConfirmsAPendingOrder() {
    assertThat(OrderStateMachine.next(OrderStatus.PENDING, new PaymentSucceeded(PAYMENT)))
        .contains(new Transition(OrderStatus.CONFIRMED, null, PAYMENT));
  }

  @ParameterizedTest
  @CsvSource({
    "declined, PAYMENT_DECLINED",
    "insufficient_funds, INSUFFICIENT_FUNDS",
    "processor_error, PAYMENT_ERROR",
    "a_reason_from_a_later_version, PAYMENT_ERROR"
  })
  void aFailedPaymentCancelsAPendingOrderForTheMatchingReason(
      String reason, CancelReason expected) {
    assertThat(OrderStateMachine.next(OrderStatus.PENDING, new PaymentFailed(PAYMENT, reason)))
        .contains(new Transition(OrderStatus.CANCELLED, expected, PAYMENT));
  }

  @Test
  void thePassedDeadlineCancelsAPendingOrderForPaymentTimeout() {
    assertThat(OrderStateMachine.next(OrderStatus.PENDING, new DeadlinePassed()))
        .contains(new Transition(OrderStatus.CANCELLED, CancelReason.PAYMENT_TIMEOUT, null));
  }

  @ParameterizedTest
  @EnumSource(
      value = OrderStatus.class,
      names = {"CONFIRMED", "CANCELLED"})
  void finalStatesNeverChange(OrderStatus status) {
    List<Trigger> triggers =
        List.of(
            new PaymentSucceeded(PAYMENT),
            new PaymentFailed(PAYMENT, "declined"),
            new DeadlinePassed());
    for (Trigger trigger : triggers) {
      assertThat(OrderStateMachine.next(status, trigger)).as("%s on %s", trigger, status).isEmpty();
    }
  }

  @Test
  void aSucceededPaymentForAnOrderCancelledByItsDeadlineChangesNothing() {
    Transition cancelled =
        OrderStateMachine.next(OrderStatus.PENDING, new DeadlinePassed()).orElseThrow();

    assertThat(OrderStateMachine.next(cancelled.to(), new PaymentSucceeded(PAYMENT))).isEmpty();
  }

  @Test
  void statusesAndReasonsReadBackFromTheirValues() {
    for (OrderStatus status : OrderStatus.values()) {
      assertThat(OrderStatus.of(status.value())).isEqualTo(status);
    }
    for (CancelReason reason : CancelReason.values()) {
      assertThat(CancelReason.of(reason.value())).isEqualTo(reason);
    }
    assertThat(OrderStatus.PENDING.value()).isEqualTo("pending");
    assertThat(CancelReason.PAYMENT_TIMEOUT.value()).isEqualTo("payment_timeout");
  }
}
