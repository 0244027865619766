package dev.storefront.payment.service;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.events.OrderCancelled;
import dev.storefront.payment.events.OrderCreated;
import dev.storefront.payment.model.Card;
import dev.storefront.payment.model.FailureReason;
import dev.storefront.payment.model.Payment;
import dev.storefront.payment.model.PaymentStatus;
import dev.storefront.payment.processor.CardProcessor;
import dev.storefront.payment.processor.ChargeRequest;
import dev.storefront.payment.processor.ChargeResult;
import dev.storefront.payment.processor.ProcessorException;
import dev.storefront.payment.processor.RefundRequest;
import dev.storefront.payment.processor.RefundResult;
import dev.storefront.payment.processor.UnknownChargeException;
import dev.storefront.payment.repository.PaymentRepository;
import dev.storefront.payment.repository.PaymentRepository.Decision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each order's payment to its end: charged at most once, exactly one outcome published.
 *
 * <p>A payment is first recorded as pending (the order id unique), then charged at the processor
 * with the order id as idempotency key, each request limited in time and repeated with growing
 * waits up to a bound, then decided in one transaction with its event. Whoever drives a payment
 * (the consumer of a first or a redelivered {@code OrderCreated}, or recovery after a crash) uses
 * the same key, so the processor charges once; and only one of them can record the decision.
 *
 * <p>A cancelled order's payment is voided if undecided, refunded if it succeeded. Either way the
 * processor is asked to reverse whatever it holds under the key, until it has answered; a payment
 * given up on after timeouts is reversed the same way, since its charge may still have gone
 * through.
 */
public final class PaymentService {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

  private final Vertx vertx;
  private final PaymentRepository repository;
  private final CardProcessor processor;
  private final PaymentConfig.Charging charging;
  private final Duration abandonAfter;
  private final PaymentMetrics metrics;
  private final PaymentTokens tokens;
  private final Map<UUID, Future<Void>> driving = new ConcurrentHashMap<>();

  public PaymentService(
      Vertx vertx,
      PaymentRepository repository,
      CardProcessor processor,
      PaymentConfig.Charging charging,
      Duration abandonAfter,
      PaymentMetrics metrics,
      PaymentTokens tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.repository = repository;
    this.processor = processor;
    this.charging = charging;
    this.abandonAfter = abandonAfter;
    this.metrics = metrics;
  }

  /**
   * Charges the order once, however often this is called for it. The card is opened from the
   * order's payment token for the charge and held in memory only; a token that is unknown, another
   * account's or was expired when the order was placed declines the payment without asking the
   * processor, and the order service cancels the order on the {@code PaymentFailed}.
   */
  public Future<Void> orderCreated(EventEnvelope event, OrderCreated order) {
    return card(order)
        .compose(
            resolution -> {
              String last4 =
                  resolution instanceof PaymentTokens.Usable usable
                      ? Card.lastFour(usable.cardNumber())
                      : null;
              return repository
                  .open(event, order, last4)
                  .compose(
                      payment -> {
                        if (resolution instanceof PaymentTokens.Usable usable) {
                          return drive(payment, usable.cardNumber());
                        }
                        return refuse(payment, ((PaymentTokens.Refused) resolution).detail());
                      });
            });
  }

  private Future<PaymentTokens.Resolution> card(OrderCreated order) {
    if (order.version() == 1) {
      // Published before payment tokens: the card number itself, or the marker the order
      // service's migration left in its place.
      return Future.succeededFuture(
          order.carriesCardNumber()
              ? new PaymentTokens.Usable(null, order.paymentToken())
              : new PaymentTokens.Refused("card number removed from the order"));
    }
    return tokens.resolve(order.paymentToken(), order.accountId(), order.at());
  }

  /**
   * Declines a payment whose token cannot be charged. A payment already charged under its key (a
   * redelivery after the token was deleted, say) is resumed instead: only the processor knows
   * whether it took the money.
   */
  private Future<Void> refuse(Payment payment, String detail) {
    if (payment.status() != PaymentStatus.PENDING) {
      return Future.succeededFuture();
    }
    if (payment.attempts() > 0) {
      return drive(payment, null);
    }
    return repository
        .decide(
            payment.orderId(),
            new Decision(PaymentStatus.FAILED, FailureReason.DECLINED, detail, null, false))
        .compose(
            recorded -> {
              if (recorded.isEmpty()) {
                return Future.succeededFuture();
              }
              metrics.tokenRefused(refusalReason(detail));
              metrics.charge(FailureReason.DECLINED.code());
              LOG.info(
                  "Payment {} for order {}: failed (declined: {})",
                  recorded.get().id(),
                  payment.orderId(),
                  detail);
              return recorded.get().reversalPending()
                  ? reverse(recorded.get())
                  : Future.succeededFuture();
            });
  }

  private static String refusalReason(String detail) {
    if (detail.contains("expired")) {
      return "expired";
    }
    if (detail.contains("removed")) {
      return "legacy_card_removed";
    }
    return "unknown";
  }

  /** Deletes up to {@code limit} tokens past their retention, with their sealed cards. */
  public Future<Void> purgeExpiredTokens(int limit) {
    return tokens
        .purgeExpired(limit)
        .map(
            purged -> {
              if (purged > 0) {
                metrics.tokensPurged(purged);
                LOG.info("Deleted {} expired payment token(s)", purged);
              }
              return null;
            });
  }

  /** Voids or refunds the order's payment, once. */
  public Future<Void> orderCancelled(EventEnvelope event, OrderCancelled order) {
    return repository
        .cancel(event, order)
        .compose(
            cancellation -> {
              if (cancellation.changed() && cancellation.voided()) {
                metrics.voided();
              }
              return drive(cancellation.payment(), null);
            });
  }

  /**
   * Drives an unfinished payment on, for recovery: without a card, a pending charge can only be
   * resumed where the processor holds it.
   */
  public Future<Void> resume(UUID orderId) {
    return repository
        .find(orderId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture();
              }
              Payment payment = found.get();
              if (payment.status() == PaymentStatus.PENDING) {
                metrics.redrive("charge");
              } else if (payment.reversalPending()) {
                metrics.redrive("reversal");
              }
              return drive(payment, null);
            });
  }

  private Future<Void> drive(Payment payment, String cardNumber) {
    if (payment.status() != PaymentStatus.PENDING && !payment.reversalPending()) {
      return Future.succeededFuture();
    }
    UUID orderId = payment.orderId();
    Future<Void> running = driving.get(orderId);
    if (running != null) {
      if (cardNumber == null) {
        // This process works on it already, and that work finishes it: a charge it decides is
        // reversed if the order was cancelled meanwhile.
        return Future.succeededFuture();
      }
      // Recovery is resuming it without a card; the event that names the card takes over once
      // that is done, in case the processor never got the charge.
      return running.eventually(
          () ->
              repository
                  .find(orderId)
                  .compose(
                      now ->
                          now.isPresent()
                              ? drive(now.get(), cardNumber)
                              : Future.succeededFuture()));
    }
    Future<Void> work =
        payment.status() == PaymentStatus.PENDING ? charge(payment, cardNumber) : reverse(payment);
    driving.put(orderId, work);
    return work.onComplete(ar -> driving.remove(orderId, work));
  }

  private Future<Void> charge(Payment payment, String cardNumber) {
    ChargeRequest request =
        new ChargeRequest(payment.orderId().toString(), payment.amount(), cardNumber);
    return attempt(payment, request, 1, false)
        .compose(
            decision -> {
              if (decision.isEmpty()) {
                return Future.succeededFuture(Optional.<Payment>empty());
              }
              return repository.decide(payment.orderId(), decision.get());
            })
        .compose(
            recorded -> {
              if (recorded.isEmpty()) {
                // Decided elsewhere, or cancelled meanwhile: a cancellation may owe a reversal that
                // its own driver left to this one.
                return repository
                    .find(payment.orderId())
                    .compose(
                        now ->
                            now.isPresent() && now.get().reversalPending()
                                ? reverse(now.get())
                                : Future.succeededFuture());
              }
              Payment decided = recorded.get();
              metrics.charge(
                  decided.status() == PaymentStatus.SUCCEEDED
                      ? "succeeded"
                      : decided.failureReason().code());
              LOG.info(
                  "Payment {} for order {}: {}{}",
                  decided.id(),
                  decided.orderId(),
                  decided.status().dbValue(),
                  decided.failureReason() == null
                      ? ""
                      : " (" + decided.failureReason().code() + ")");
              return decided.reversalPending() ? reverse(decided) : Future.succeededFuture();
            });
  }

  /**
   * One charge request, and on an error or a timeout the next after a wait, up to the bound. Empty
   * when there is nothing to decide now: the payment is no longer pending, or recovery found no
   * charge at the processor to resume for a payment not yet abandoned.
   */
  private Future<Optional<Decision>> attempt(
      Payment payment, ChargeRequest request, int attempt, boolean timedOutBefore) {
    return repository
        .startAttempt(payment.orderId())
        .compose(
            pending -> {
              if (!pending) {
                return Future.succeededFuture(Optional.empty());
              }
              return timed("charge", () -> processor.charge(request), r -> outcome(r.outcome()))
                  .transform(
                      ar -> {
                        if (ar.succeeded()) {
                          return Future.succeededFuture(
                              Optional.of(decision(ar.result(), timedOutBefore)));
                        }
                        Throwable cause = ar.cause();
                        if (cause instanceof UnknownChargeException) {
                          return Future.succeededFuture(unknownCharge(payment));
                        }
                        boolean timedOut = timedOutBefore || cause instanceof TimeoutException;
                        if (attempt >= charging.attempts()) {
                          LOG.warn(
                              "Giving up charging order {} after {} requests: {}",
                              payment.orderId(),
                              attempt,
                              describe(cause));
                          return Future.succeededFuture(
                              Optional.of(
                                  new Decision(
                                      PaymentStatus.FAILED,
                                      FailureReason.PROCESSOR_ERROR,
                                      "no answer from the card processor after "
                                          + attempt
                                          + " requests: "
                                          + describe(cause),
                                      null,
                                      timedOut)));
                        }
                        metrics.retry();
                        return vertx
                            .timer(charging.backoffAfter(attempt).toMillis())
                            .compose(v -> attempt(payment, request, attempt + 1, timedOut));
                      });
            });
  }

  private Optional<Decision> unknownCharge(Payment payment) {
    if (payment.createdAt().isAfter(OffsetDateTime.now().minus(abandonAfter))) {
      // The event that names the card will be delivered again; it can start the charge.
      return Optional.empty();
    }
    LOG.warn(
        "Order {} has had a pending payment for more than {} s that never reached the processor",
        payment.orderId(),
        abandonAfter.toSeconds());
    return Optional.of(
        new Decision(
            PaymentStatus.FAILED,
            FailureReason.PROCESSOR_ERROR,
            "the charge never reached the card processor",
            null,
            false));
  }

  private static Decision decision(ChargeResult result, boolean timedOutBefore) {
    return switch (result.outcome()) {
      case APPROVED -> new Decision(PaymentStatus.SUCCEEDED, null, null, result.reference(), false);
      case DECLINED ->
          new Decision(
              PaymentStatus.FAILED,
              FailureReason.DECLINED,
              result.detail(),
              result.reference(),
              timedOutBefore);
      case INSUFFICIENT_FUNDS ->
          new Decision(
              PaymentStatus.FAILED,
              FailureReason.INSUFFICIENT_FUNDS,
              result.detail(),
              result.reference(),
              timedOutBefore);
    };
  }

  /**
   * Asks the processor to reverse the charge under the order's key, then records the answer. When
   * the processor does not answer, the reversal stays owed and recovery asks again later; the event
   * that led here is handled all the same.
   */
  private Future<Void> reverse(Payment payment) {
    RefundRequest request = new RefundRequest(payment.orderId().toString(), payment.amount());
    return reverseAttempt(request, 1)
        .compose(
            result -> {
              boolean moneyReturned =
                  result.outcome() == RefundResult.Outcome.REFUNDED
                      || (result.outcome() == RefundResult.Outcome.NOT_CHARGED
                          && payment.status() == PaymentStatus.SUCCEEDED);
              if (moneyReturned && result.outcome() != RefundResult.Outcome.REFUNDED) {
                LOG.warn(
                    "The processor holds no charge for succeeded payment {} of order {}; counting"
                        + " it as refunded",
                    payment.id(),
                    payment.orderId());
              }
              return repository
                  .reversed(payment.orderId(), moneyReturned)
                  .onSuccess(
                      recorded ->
                          recorded.ifPresent(
                              p -> {
                                metrics.refund(result.outcome().name().toLowerCase());
                                LOG.info(
                                    "Charge of order {} reversed: {}",
                                    p.orderId(),
                                    result.outcome().name().toLowerCase());
                              }));
            })
        .<Void>mapEmpty()
        .recover(
            e -> {
              if (e instanceof TimeoutException || e instanceof ProcessorException) {
                LOG.warn(
                    "Could not reverse the charge of order {}, recovery will ask again: {}",
                    payment.orderId(),
                    describe(e));
                return Future.succeededFuture();
              }
              return Future.failedFuture(e);
            });
  }

  private Future<RefundResult> reverseAttempt(RefundRequest request, int attempt) {
    return timed("refund", () -> processor.refund(request), r -> r.outcome().name().toLowerCase())
        .recover(
            e -> {
              if (attempt >= charging.attempts()
                  || !(e instanceof TimeoutException || e instanceof ProcessorException)) {
                return Future.failedFuture(e);
              }
              return vertx
                  .timer(charging.backoffAfter(attempt).toMillis())
                  .compose(v -> reverseAttempt(request, attempt + 1));
            });
  }

  private <T> Future<T> timed(
      String operation, Supplier<Future<T>> call, java.util.function.Function<T, String> outcome) {
    long start = System.nanoTime();
    return call.get()
        .timeout(charging.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar ->
                metrics.processorCall(
                    operation,
                    ar.succeeded()
                        ? outcome.apply(ar.result())
                        : ar.cause() instanceof TimeoutException ? "timeout" : "error",
                    System.nanoTime() - start));
  }

  private static String outcome(ChargeResult.Outcome outcome) {
    return outcome.name().toLowerCase();
  }

  private static String describe(Throwable e) {
    return e instanceof TimeoutException ? "timed out" : String.valueOf(e.getMessage());
  }
}
