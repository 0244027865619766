package dev.storefront.payment.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.model.Money;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SimulatedCardProcessorTest {

  private static final Money TEN_EUROS = new Money(1_000, "EUR");

  private static PaymentConfig.Processor config(long latencyMs, double failureRate, long slowMs) {
    return new PaymentConfig.Processor(
        Duration.ofMillis(latencyMs), failureRate, Duration.ofMillis(slowMs));
  }

  private static SimulatedCardProcessor fast(Vertx vertx) {
    return new SimulatedCardProcessor(vertx, config(1, 0, 50));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static ChargeRequest charge(String card) {
    return new ChargeRequest(UUID.randomUUID().toString(), TEN_EUROS, card);
  }

  @Test
  void eachTestCardHasItsDocumentedAnswer(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);

    assertThat(await(processor.charge(charge(TestCards.APPROVED))).outcome())
        .isEqualTo(ChargeResult.Outcome.APPROVED);
    assertThat(await(processor.charge(charge(TestCards.DECLINED))).outcome())
        .isEqualTo(ChargeResult.Outcome.DECLINED);
    assertThat(await(processor.charge(charge(TestCards.INSUFFICIENT_FUNDS))).outcome())
        .isEqualTo(ChargeResult.Outcome.INSUFFICIENT_FUNDS);
    assertThat(failure(processor.charge(charge(TestCards.PROCESSOR_ERROR))))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("processor error");
    // Another valid-looking number (Mastercard test number) is approved; a mistyped one is not.
    assertThat(await(processor.charge(charge("5555555555554444"))).outcome())
        .isEqualTo(ChargeResult.Outcome.APPROVED);
    ChargeResult mistyped = await(processor.charge(charge("4242424242424241")));
    assertThat(mistyped.outcome()).isEqualTo(ChargeResult.Outcome.DECLINED);
    assertThat(mistyped.detail()).isEqualTo("invalid card number");
    assertThat(processor.captures()).isEqualTo(2);
  }

  @Test
  void theSameKeyAgainAnswersTheFirstDecisionWithoutChargingTwice(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest request = charge(TestCards.APPROVED);

    ChargeResult first = await(processor.charge(request));
    ChargeResult second = await(processor.charge(request));
    // Resuming without the card also finds it.
    ChargeResult resumed =
        await(processor.charge(ChargeRequest.resume(request.idempotencyKey(), TEN_EUROS)));

    assertThat(second).isEqualTo(first);
    assertThat(resumed).isEqualTo(first);
    assertThat(processor.captures()).isEqualTo(1);
    SimulatedCardProcessor.LedgerEntry entry = processor.ledger(request.idempotencyKey()).get();
    assertThat(entry.captures()).isEqualTo(1);
    assertThat(entry.chargeRequests()).isEqualTo(3);
    assertThat(entry.state()).isEqualTo("captured");
  }

  @Test
  void aDeclineIsAlsoRemembered(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest request = charge(TestCards.DECLINED);
    ChargeResult first = await(processor.charge(request));
    // Even with another card under the same key, the first decision stands.
    ChargeResult again =
        await(
            processor.charge(
                new ChargeRequest(request.idempotencyKey(), TEN_EUROS, TestCards.APPROVED)));
    assertThat(again).isEqualTo(first);
    assertThat(processor.captures()).isZero();
  }

  @Test
  void concurrentRequestsUnderOneKeyJoinOneCharge(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = new SimulatedCardProcessor(vertx, config(100, 0, 50));
    ChargeRequest request = charge(TestCards.APPROVED);
    List<Future<ChargeResult>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(processor.charge(request));
    }
    await(Future.all(all));
    assertThat(all).extracting(Future::result).containsOnly(all.get(0).result());
    assertThat(processor.captures()).isEqualTo(1);
  }

  @Test
  void answersComeAfterTheConfiguredLatency(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = new SimulatedCardProcessor(vertx, config(150, 0, 50));
    long start = System.nanoTime();
    await(processor.charge(charge(TestCards.APPROVED)));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void theSlowCardAnswersAfterTheSlowDelayAndIsApproved(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = new SimulatedCardProcessor(vertx, config(1, 0, 400));
    long start = System.nanoTime();
    Future<ChargeResult> slow = processor.charge(charge(TestCards.SLOW));
    // A short timeout, as the payment service's, sees no answer.
    assertThat(failure(slow.timeout(100, TimeUnit.MILLISECONDS)))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(await(slow).outcome()).isEqualTo(ChargeResult.Outcome.APPROVED);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void theFailureRateFailsThatShareOfCallsWithoutDeciding(Vertx vertx) throws Exception {
    double[] rolls = {0.1, 0.9};
    int[] next = {0};
    SimulatedCardProcessor processor =
        new SimulatedCardProcessor(vertx, config(1, 0.5, 50), () -> rolls[next[0]++ % 2]);
    ChargeRequest request = charge(TestCards.APPROVED);

    assertThat(failure(processor.charge(request))).isInstanceOf(ProcessorException.class);
    // No decision was made: the ledger forgot the key and the next request charges.
    assertThat(processor.ledger(request.idempotencyKey())).isEmpty();
    assertThat(await(processor.charge(request)).approved()).isTrue();
    assertThat(processor.captures()).isEqualTo(1);
  }

  @Test
  void failureRatesOfZeroAndOneNeverAndAlwaysFail(Vertx vertx) throws Exception {
    SimulatedCardProcessor never = new SimulatedCardProcessor(vertx, config(0, 0, 50));
    SimulatedCardProcessor always = new SimulatedCardProcessor(vertx, config(0, 1, 50));
    for (int i = 0; i < 50; i++) {
      assertThat(await(never.charge(charge(TestCards.APPROVED))).approved()).isTrue();
      assertThat(failure(always.charge(charge(TestCards.APPROVED))))
          .isInstanceOf(ProcessorException.class);
    }
    assertThat(always.captures()).isZero();
  }

  @Test
  void theProcessorErrorCardFailsEveryTimeAndChargesNothing(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest request = charge(TestCards.PROCESSOR_ERROR);
    for (int i = 0; i < 3; i++) {
      assertThat(failure(processor.charge(request))).isInstanceOf(ProcessorException.class);
    }
    assertThat(processor.ledger(request.idempotencyKey())).isEmpty();
    assertThat(processor.captures()).isZero();
  }

  @Test
  void resumingAChargeTheProcessorNeverGotFailsAsUnknown(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    assertThat(failure(processor.charge(ChargeRequest.resume("never-seen", TEN_EUROS))))
        .isInstanceOf(UnknownChargeException.class);
    assertThat(processor.ledger("never-seen")).isEmpty();
  }

  @Test
  void anIdempotencyKeyReusedForAnotherAmountIsRefused(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest request = charge(TestCards.APPROVED);
    await(processor.charge(request));
    assertThat(
            failure(
                processor.charge(
                    new ChargeRequest(
                        request.idempotencyKey(), new Money(999, "EUR"), TestCards.APPROVED))))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("was used for");
    assertThat(processor.captures()).isEqualTo(1);
  }

  @Test
  void aCapturedChargeIsRefundedOnceHoweverOftenAsked(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest request = charge(TestCards.APPROVED);
    await(processor.charge(request));
    RefundRequest refund = new RefundRequest(request.idempotencyKey(), TEN_EUROS);

    assertThat(await(processor.refund(refund)).outcome()).isEqualTo(RefundResult.Outcome.REFUNDED);
    assertThat(await(processor.refund(refund)).outcome()).isEqualTo(RefundResult.Outcome.REFUNDED);
    assertThat(processor.refunds()).isEqualTo(1);
    assertThat(processor.ledger(request.idempotencyKey()).get().state()).isEqualTo("refunded");
  }

  @Test
  void reversingAChargeStillUnderWayVoidsIt(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = new SimulatedCardProcessor(vertx, config(1, 0, 300));
    ChargeRequest request = charge(TestCards.SLOW);
    Future<ChargeResult> underWay = processor.charge(request);

    RefundResult reversal =
        await(processor.refund(new RefundRequest(request.idempotencyKey(), TEN_EUROS)));

    assertThat(reversal.outcome()).isEqualTo(RefundResult.Outcome.VOIDED);
    assertThat(await(underWay).outcome()).isEqualTo(ChargeResult.Outcome.DECLINED);
    assertThat(processor.captures()).isZero();
  }

  @Test
  void reversingWhereNothingWasTakenSaysSo(Vertx vertx) throws Exception {
    SimulatedCardProcessor processor = fast(vertx);
    ChargeRequest declined = charge(TestCards.DECLINED);
    await(processor.charge(declined));
    assertThat(
            await(processor.refund(new RefundRequest(declined.idempotencyKey(), TEN_EUROS)))
                .outcome())
        .isEqualTo(RefundResult.Outcome.NOT_CHARGED);
    assertThat(await(processor.refund(new RefundRequest("unknown", TEN_EUROS))).outcome())
        .isEqualTo(RefundResult.Outcome.NOT_CHARGED);
    assertThat(processor.refunds()).isZero();
  }
}
