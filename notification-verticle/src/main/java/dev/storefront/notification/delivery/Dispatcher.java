package dev.storefront.notification.delivery;

import dev.storefront.notification.config.DeliveryConfig;
import dev.storefront.notification.config.RetryConfig;
import dev.storefront.notification.metrics.NotificationMetrics;
import dev.storefront.notification.model.Channel;
import dev.storefront.notification.model.Delivery;
import dev.storefront.notification.repository.DeliveryRepository;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off the delivery log. It claims due rows ({@code pending}, their next attempt due) with
 * {@code FOR UPDATE SKIP LOCKED}, marks them {@code sending} under a lease and commits, sends them,
 * and records each outcome: sent, retried after a backoff (or failed once out of attempts), failed,
 * skipped, or postponed without an attempt while the destination's breaker is open. Rows left
 * {@code sending} past their lease, by a process that died mid-send, go back to {@code pending}.
 *
 * <p>Any number of processes run one each: a row is claimed by one of them at a time. It looks for
 * due rows every {@code DELIVERY_POLL_MS}, at once when {@link #nudge()}d (the consumer does after
 * each commit), and again as soon as a send finishes if its last claim came back full; it holds at
 * most {@code DELIVERY_BATCH_SIZE} deliveries in flight.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How often expired leases are looked for and the pending gauges refreshed. */
  private static final long HOUSEKEEPING_MS = 5_000;

  /** How long a stop waits for the sends in flight; the rest is left to their leases. */
  private static final long STOP_TIMEOUT_MS = 5_000;

  private static final int MAX_ERROR_LENGTH = 1_000;

  private final Vertx vertx;
  private final DeliveryRepository deliveries;
  private final EmailSender email;
  private final WebhookSender webhooks;
  private final RetryConfig mailRetry;
  private final RetryConfig webhookRetry;
  private final DeliveryConfig config;
  private final NotificationMetrics metrics;

  // Touched on the dispatcher's context only.
  private Context context;
  private long pollTimer = -1;
  private long housekeepingTimer = -1;
  private boolean claiming;
  private boolean lastClaimFull;
  private boolean nudged;
  private int inFlight;
  private boolean stopping;
  private Promise<Void> drained;
  private long failingSince = -1;

  public Dispatcher(
      Vertx vertx,
      DeliveryRepository deliveries,
      EmailSender email,
      WebhookSender webhooks,
      RetryConfig mailRetry,
      RetryConfig webhookRetry,
      DeliveryConfig config,
      NotificationMetrics metrics) {
    this.vertx = vertx;
    this.deliveries = deliveries;
    this.email = email;
    this.webhooks = webhooks;
    this.mailRetry = mailRetry;
    this.webhookRetry = webhookRetry;
    this.config = config;
    this.metrics = metrics;
  }

  /** Starts polling on the caller's context. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> {
          if (stopping) {
            return;
          }
          housekeeping();
          pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), t -> poll());
          housekeepingTimer = vertx.setPeriodic(HOUSEKEEPING_MS, t -> housekeeping());
          poll();
        });
  }

  /** Looks for due deliveries now: something was just added to the log. */
  public void nudge() {
    if (context == null) {
      return;
    }
    context.runOnContext(
        v -> {
          nudged = true;
          poll();
        });
  }

  /**
   * Stops claiming and waits (at most five seconds) for the sends in flight to be recorded; a send
   * still going then is left to its lease.
   */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (!stopping) {
            stopping = true;
            vertx.cancelTimer(pollTimer);
            vertx.cancelTimer(housekeepingTimer);
            drained = Promise.promise();
            if (inFlight == 0 && !claiming) {
              drained.tryComplete();
            }
          }
          drained.future().onComplete(done);
        });
    return done.future()
        .timeout(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              LOG.warn("Stopping with deliveries still being sent; their leases hand them on");
              return Future.succeededFuture();
            });
  }

  private void poll() {
    if (stopping || claiming) {
      return;
    }
    int room = config.batchSize() - inFlight;
    if (room <= 0) {
      return;
    }
    claiming = true;
    nudged = false;
    deliveries
        .claim(room, config.lease())
        .onComplete(ar -> context.runOnContext(v -> claimed(room, ar)));
  }

  private void claimed(int room, AsyncResult<List<Delivery>> claim) {
    claiming = false;
    if (claim.failed()) {
      pollFailed(claim.cause());
      finishIfStopping();
      return;
    }
    pollRecovered();
    List<Delivery> rows = claim.result();
    lastClaimFull = rows.size() == room;
    for (Delivery row : rows) {
      inFlight++;
      deliver(row)
          .onComplete(
              ar ->
                  context.runOnContext(
                      v -> {
                        inFlight--;
                        if (ar.failed()) {
                          LOG.warn(
                              "Outcome of delivery {} not recorded; its lease hands it on: {}",
                              row.id(),
                              ar.cause().toString());
                        }
                        finishIfStopping();
                        if (lastClaimFull || nudged) {
                          poll();
                        }
                      }));
    }
    finishIfStopping();
    if (nudged) {
      poll();
    }
  }

  private void finishIfStopping() {
    if (stopping && inFlight == 0 && !claiming && drained != null) {
      drained.tryComplete();
    }
  }

  /** Sends {@code delivery} and records the outcome; fails only if recording it failed. */
  private Future<Void> deliver(Delivery delivery) {
    Future<Outcome> attempt;
    try {
      attempt =
          switch (delivery.channel()) {
            case EMAIL -> email.send(delivery);
            case WEBHOOK -> webhooks.send(delivery);
            // Written as sent with the feed entry; a pending one is a leftover to close.
            case IN_APP -> Future.succeededFuture(Outcome.sent());
          };
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    return attempt
        .recover(e -> Future.succeededFuture(Outcome.retry(String.valueOf(e.getMessage()))))
        .compose(outcome -> record(delivery, outcome));
  }

  private Future<Void> record(Delivery delivery, Outcome outcome) {
    Channel channel = delivery.channel();
    String detail = truncate(outcome.detail());
    Future<Boolean> recorded;
    String counted;
    switch (outcome.kind()) {
      case SENT -> {
        recorded = deliveries.sent(delivery);
        counted = NotificationMetrics.SENT;
      }
      case RETRY -> {
        RetryConfig retry = channel == Channel.EMAIL ? mailRetry : webhookRetry;
        int attempts = delivery.attempts() + 1;
        if (attempts >= retry.maxAttempts()) {
          recorded = deliveries.fail(delivery, true, detail);
          counted = NotificationMetrics.FAILED;
        } else {
          long delay = Backoff.delayMillis(retry, attempts, ThreadLocalRandom.current());
          recorded = deliveries.retry(delivery, delay, detail);
          counted = NotificationMetrics.RETRIED;
        }
      }
      case FAILED -> {
        recorded = deliveries.fail(delivery, outcome.attempted(), detail);
        counted = NotificationMetrics.FAILED;
      }
      case SKIPPED -> {
        recorded = deliveries.skip(delivery, detail);
        counted = NotificationMetrics.SKIPPED;
      }
      case POSTPONED -> {
        recorded = deliveries.postpone(delivery, outcome.delayMillis(), detail);
        counted = null;
      }
      default -> throw new IllegalStateException("unknown outcome " + outcome.kind());
    }
    return recorded.map(
        held -> {
          if (!held) {
            LOG.warn(
                "Delivery {} was no longer this process's when its outcome ({}) came",
                delivery.id(),
                outcome.kind());
            return null;
          }
          if (counted == null) {
            metrics.postponed(channel);
          } else {
            metrics.delivery(channel, counted);
          }
          log(delivery, counted, detail);
          if (outcome.kind() == Outcome.Kind.SENT) {
            metrics.sentAfter(channel, Duration.between(occurredAt(delivery), Instant.now()));
          }
          return null;
        });
  }

  private static void log(Delivery delivery, String counted, String detail) {
    if (NotificationMetrics.FAILED.equals(counted)) {
      LOG.warn(
          "Gave up on {} delivery {} of {} to {} after {} attempt(s): {}",
          delivery.channel().dbValue(),
          delivery.id(),
          delivery.kind(),
          delivery.destination(),
          delivery.attempts() + 1,
          detail);
    } else if (NotificationMetrics.RETRIED.equals(counted)) {
      LOG.info(
          "{} delivery {} to {} failed (attempt {}), retrying: {}",
          delivery.channel().dbValue(),
          delivery.id(),
          delivery.destination(),
          delivery.attempts() + 1,
          detail);
    } else {
      LOG.debug(
          "{} delivery {} to {}: {} {}",
          delivery.channel().dbValue(),
          delivery.id(),
          delivery.destination(),
          counted == null ? "postponed" : counted,
          detail == null ? "" : detail);
    }
  }

  private static Instant occurredAt(Delivery delivery) {
    String text = delivery.payload().getString("occurredAt");
    if (text != null) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // Measured from the row's creation instead.
      }
    }
    return delivery.createdAt() == null ? Instant.now() : delivery.createdAt().toInstant();
  }

  private void housekeeping() {
    if (stopping) {
      return;
    }
    deliveries
        .releaseExpired()
        .onSuccess(
            released -> {
              if (released > 0) {
                LOG.warn(
                    "{} delivery(ies) outlived their lease (a process stopped mid-send);"
                        + " due again",
                    released);
              }
            })
        .compose(v -> deliveries.pendingByChannel())
        .onSuccess(metrics::pending)
        .onFailure(e -> LOG.debug("Delivery housekeeping failed: {}", e.toString()));
  }

  private void pollFailed(Throwable cause) {
    if (failingSince < 0) {
      failingSince = System.nanoTime();
      LOG.warn(
          "Cannot claim deliveries, retrying every {} ms: {}",
          config.pollInterval().toMillis(),
          cause.toString());
    }
  }

  private void pollRecovered() {
    if (failingSince >= 0) {
      LOG.info(
          "Claiming deliveries again after {} s",
          (System.nanoTime() - failingSince) / 1_000_000_000L);
      failingSince = -1;
    }
  }

  private static String truncate(String text) {
    return text == null || text.length() <= MAX_ERROR_LENGTH
        ? text
        : text.substring(0, MAX_ERROR_LENGTH);
  }
}
