package dev.storefront.payment.processor;

import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.processor.ChargeResult.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A card processor in the process, for development, tests and load tests. Its answer depends on the
 * card number (see {@link TestCards}); every answer comes after {@code latency}, the slow card's
 * after {@code slowDelay}, on Vert.x timers. A share {@code failureRate} of calls fails as a
 * processor outage would, without a decision.
 *
 * <p>It honours idempotency keys like a real processor: a charge under a key it has decided on
 * answers that decision again and moves no money, and a charge under a key still in progress joins
 * it. Its ledger lives in memory and is lost with the process; the payment service's own guarantee
 * of one charge per order is its {@code payments} table, whose unique order id is the key.
 */
public final class SimulatedCardProcessor implements CardProcessor {

  private enum State {
    IN_PROGRESS,
    CAPTURED,
    NOT_APPROVED,
    VOIDED,
    REFUNDED
  }

  /** What the processor holds for one key, for tests and operators. */
  public record LedgerEntry(
      String key, String state, int chargeRequests, int captures, int refunds) {}

  private static final class Entry {
    final ChargeRequest request;
    final String reference = "sim_" + UUID.randomUUID();
    Future<ChargeResult> decision;
    State state = State.IN_PROGRESS;
    int chargeRequests = 1;
    int captures;
    int refunds;

    Entry(ChargeRequest request) {
      this.request = request;
    }

    LedgerEntry snapshot() {
      return new LedgerEntry(
          request.idempotencyKey(), state.name().toLowerCase(), chargeRequests, captures, refunds);
    }
  }

  private final Vertx vertx;
  private final PaymentConfig.Processor config;
  private final DoubleSupplier random;
  private final Map<String, Entry> ledger = new HashMap<>();
  private final AtomicLong captures = new AtomicLong();
  private final AtomicLong refunds = new AtomicLong();

  public SimulatedCardProcessor(Vertx vertx, PaymentConfig.Processor config) {
    this(vertx, config, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With {@code random} deciding which calls fail at {@code failureRate}. */
  public SimulatedCardProcessor(
      Vertx vertx, PaymentConfig.Processor config, DoubleSupplier random) {
    this.vertx = vertx;
    this.config = config;
    this.random = random;
  }

  @Override
  public Future<ChargeResult> charge(ChargeRequest request) {
    synchronized (this) {
      Entry known = ledger.get(request.idempotencyKey());
      if (known != null) {
        known.chargeRequests++;
        if (!known.request.amount().equals(request.amount())) {
          return after(
              config.latency(),
              () ->
                  Future.failedFuture(
                      new ProcessorException(
                          "idempotency key "
                              + request.idempotencyKey()
                              + " was used for "
                              + known.request.amount()
                              + ", not "
                              + request.amount())));
        }
        // The first decision, however often asked; a charge in progress is joined, not repeated.
        return known.decision;
      }
      if (request.cardNumber() == null) {
        return after(
            config.latency(),
            () -> Future.failedFuture(new UnknownChargeException(request.idempotencyKey())));
      }
      Entry entry = new Entry(request);
      ledger.put(request.idempotencyKey(), entry);
      String card = request.cardNumber();
      Duration delay = TestCards.SLOW.equals(card) ? config.slowDelay() : config.latency();
      entry.decision = after(delay, () -> decide(entry, card));
      entry.decision.onFailure(
          e -> {
            synchronized (this) {
              // No decision was made: a later request with this key is a new attempt.
              ledger.remove(request.idempotencyKey(), entry);
            }
          });
      return entry.decision;
    }
  }

  private Future<ChargeResult> decide(Entry entry, String card) {
    if (TestCards.PROCESSOR_ERROR.equals(card)) {
      return Future.failedFuture(new ProcessorException("processor error (test card)"));
    }
    if (random.getAsDouble() < config.failureRate()) {
      return Future.failedFuture(new ProcessorException("processor unavailable (simulated)"));
    }
    ChargeResult result;
    synchronized (this) {
      if (entry.state == State.VOIDED) {
        result = result(entry, Outcome.DECLINED, "authorisation voided before capture");
      } else if (!TestCards.looksValid(card)) {
        result = notApproved(entry, Outcome.DECLINED, "invalid card number");
      } else if (entry.request.amount().amountMinor() <= 0) {
        result = notApproved(entry, Outcome.DECLINED, "invalid amount");
      } else if (TestCards.DECLINED.equals(card)) {
        result = notApproved(entry, Outcome.DECLINED, "card declined");
      } else if (TestCards.INSUFFICIENT_FUNDS.equals(card)) {
        result = notApproved(entry, Outcome.INSUFFICIENT_FUNDS, "insufficient funds");
      } else {
        entry.state = State.CAPTURED;
        entry.captures++;
        captures.incrementAndGet();
        result = result(entry, Outcome.APPROVED, "approved");
      }
    }
    return Future.succeededFuture(result);
  }

  private static ChargeResult notApproved(Entry entry, Outcome outcome, String detail) {
    entry.state = State.NOT_APPROVED;
    return result(entry, outcome, detail);
  }

  private static ChargeResult result(Entry entry, Outcome outcome, String detail) {
    return new ChargeResult(outcome, entry.reference, detail);
  }

  @Override
  public Future<RefundResult> refund(RefundRequest request) {
    return after(
        config.latency(),
        () -> {
          if (random.getAsDouble() < config.failureRate()) {
            return Future.failedFuture(new ProcessorException("processor unavailable (simulated)"));
          }
          synchronized (this) {
            Entry entry = ledger.get(request.chargeKey());
            if (entry == null) {
              return Future.succeededFuture(
                  new RefundResult(RefundResult.Outcome.NOT_CHARGED, "no charge under this key"));
            }
            return Future.succeededFuture(
                switch (entry.state) {
                  case IN_PROGRESS -> {
                    entry.state = State.VOIDED;
                    yield new RefundResult(RefundResult.Outcome.VOIDED, "voided before capture");
                  }
                  case CAPTURED -> {
                    entry.state = State.REFUNDED;
                    entry.refunds++;
                    refunds.incrementAndGet();
                    yield new RefundResult(RefundResult.Outcome.REFUNDED, "refunded");
                  }
                  case REFUNDED -> new RefundResult(RefundResult.Outcome.REFUNDED, "refunded");
                  case VOIDED -> new RefundResult(RefundResult.Outcome.VOIDED, "voided");
                  case NOT_APPROVED ->
                      new RefundResult(RefundResult.Outcome.NOT_CHARGED, "charge not approved");
                });
          }
        });
  }

  /** The ledger entry for a key, once a charge under it was asked for. */
  public synchronized Optional<LedgerEntry> ledger(String key) {
    return Optional.ofNullable(ledger.get(key)).map(Entry::snapshot);
  }

  /** Charges captured since start, across all keys. */
  public long captures() {
    return captures.get();
  }

  /** Refunds made since start, across all keys. */
  public long refunds() {
    return refunds.get();
  }

  private <T> Future<T> after(Duration delay, java.util.function.Supplier<Future<T>> answer) {
    if (delay.isZero()) {
      return answer.get();
    }
    return vertx.timer(delay.toMillis()).compose(v -> answer.get());
  }
}
