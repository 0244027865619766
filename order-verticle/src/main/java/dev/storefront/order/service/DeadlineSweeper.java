package dev.storefront.order.service;

import dev.storefront.order.config.OrderConfig;
import dev.storefront.order.repository.IdempotencyRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code ORDER_SWEEP_INTERVAL_MS}: cancels pending orders past their payment deadline, undoes
 * checkouts abandoned in flight, announces unsettled reservations as cancelled, and forgets
 * idempotency keys past their retention. Each order is its own transaction, and rows are taken with
 * {@code FOR UPDATE SKIP LOCKED}, so every instance of the service can sweep at once without two
 * touching the same order. One sweep at a time per process; a sweep does at most {@value #BATCH} of
 * each kind, the next continues.
 */
public final class DeadlineSweeper {

  static final int BATCH = 200;

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);

  private final Vertx vertx;
  private final OrderTransitions transitions;
  private final IdempotencyRepository keys;
  private final OrderConfig.Checkout config;
  private long timer = -1;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile Future<Void> current = Future.succeededFuture();

  public DeadlineSweeper(
      Vertx vertx,
      OrderTransitions transitions,
      IdempotencyRepository keys,
      OrderConfig.Checkout config) {
    this.vertx = vertx;
    this.transitions = transitions;
    this.keys = keys;
    this.config = config;
  }

  public void start() {
    timer = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> sweepNow());
  }

  /** Stops the timer and waits for a sweep under way. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return current.recover(e -> Future.succeededFuture());
  }

  /** One sweep now, unless one is under way; completes when it is done. */
  public Future<Void> sweepNow() {
    if (stopped || !sweeping.compareAndSet(false, true)) {
      return current;
    }
    current =
        repeat(transitions::cancelNextOverdue, BATCH)
            .compose(n -> repeat(() -> transitions.abandonNext(config.lease()), BATCH))
            .compose(n -> repeat(() -> transitions.settleNext(config.lease()), BATCH))
            .compose(n -> keys.deleteExpired(config.idempotencyRetention(), BATCH * 5))
            .<Void>mapEmpty()
            .onFailure(e -> LOG.warn("Sweep failed, trying again next time: {}", e.getMessage()))
            .onComplete(ar -> sweeping.set(false));
    return current;
  }

  /** Runs {@code step} until it finds nothing or has run {@code limit} times; how many did work. */
  private Future<Integer> repeat(Supplier<Future<Boolean>> step, int limit) {
    return repeat(step, limit, 0);
  }

  private Future<Integer> repeat(Supplier<Future<Boolean>> step, int limit, int done) {
    if (done >= limit || stopped) {
      return Future.succeededFuture(done);
    }
    return step.get()
        .compose(found -> found ? repeat(step, limit, done + 1) : Future.succeededFuture(done));
  }
}
