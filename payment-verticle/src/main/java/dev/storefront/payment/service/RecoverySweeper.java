package dev.storefront.payment.service;

import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.repository.PaymentRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds payments left unfinished by a process that died mid-way (pending, or owing a reversal, and
 * untouched for PAYMENT_RECOVERY_AFTER_MS) and drives them on, a batch at a time, one after the
 * other. Every instance sweeps; two that take the same payment ask the processor under the same key
 * and only one records the outcome. Each sweep also deletes payment tokens (and their sealed cards)
 * expired for longer than PAYMENT_TOKEN_RETENTION_MS.
 */
public final class RecoverySweeper {

  private static final Logger LOG = LoggerFactory.getLogger(RecoverySweeper.class);
  private static final int BATCH = 50;

  private final Vertx vertx;
  private final PaymentRepository repository;
  private final PaymentService service;
  private final PaymentConfig.Recovery config;
  private long timer = -1;
  private boolean stopped;
  private Future<Void> sweeping = Future.succeededFuture();

  public RecoverySweeper(
      Vertx vertx,
      PaymentRepository repository,
      PaymentService service,
      PaymentConfig.Recovery config) {
    this.vertx = vertx;
    this.repository = repository;
    this.service = service;
    this.config = config;
  }

  public void start() {
    schedule();
  }

  /** Stops sweeping; completes once a sweep under way has finished. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return sweeping;
  }

  /** One sweep now; completes when every payment it found was driven on. */
  public Future<Void> sweep() {
    return repository
        .unfinished(config.after(), BATCH)
        .compose(this::driveAll)
        .compose(v -> service.purgeExpiredTokens(BATCH))
        .recover(
            e -> {
              LOG.warn("Recovery sweep failed, trying again later: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  private Future<Void> driveAll(List<UUID> orders) {
    if (!orders.isEmpty()) {
      LOG.info("Recovering {} unfinished payment(s)", orders.size());
    }
    Future<Void> chain = Future.succeededFuture();
    for (UUID order : orders) {
      chain =
          chain.compose(
              v ->
                  service
                      .resume(order)
                      .recover(
                          e -> {
                            LOG.warn(
                                "Could not recover the payment of order {}: {}",
                                order,
                                e.getMessage());
                            return Future.succeededFuture();
                          }));
    }
    return chain;
  }

  private void schedule() {
    if (stopped) {
      return;
    }
    timer =
        vertx.setTimer(
            config.interval().toMillis(),
            t -> {
              sweeping = sweep();
              sweeping.onComplete(ar -> schedule());
            });
  }
}
