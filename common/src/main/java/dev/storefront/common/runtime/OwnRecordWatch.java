package dev.storefront.common.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for this process's discovery record every interval, and has it published again once it is
 * gone from the store: lost with cluster members that held it and its backups, or removed by a
 * survivor that took this process for departed.
 *
 * <p>Each look has a time limit. A store query held up by a cluster in trouble (a member frozen, a
 * split being healed) otherwise answers only when Hazelcast gives up on it, two minutes later by
 * default, and the watch would stand still for exactly the time it is there for.
 */
final class OwnRecordWatch {

  private static final Logger LOG = LoggerFactory.getLogger(OwnRecordWatch.class);

  private final Vertx vertx;
  private final long intervalMs;
  private final long queryTimeoutMs;
  private final Supplier<Future<Boolean>> present;
  private final Runnable republish;
  private final BooleanSupplier stopped;

  /**
   * @param present whether the record is in the store
   * @param republish called once, when it is not; the watch ends there (publishing starts another)
   * @param stopped true once the process is withdrawing: the watch ends
   */
  OwnRecordWatch(
      Vertx vertx,
      long intervalMs,
      long queryTimeoutMs,
      Supplier<Future<Boolean>> present,
      Runnable republish,
      BooleanSupplier stopped) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
    this.queryTimeoutMs = queryTimeoutMs;
    this.present = present;
    this.republish = republish;
    this.stopped = stopped;
  }

  void start() {
    vertx.setTimer(intervalMs, t -> look());
  }

  private void look() {
    if (stopped.getAsBoolean()) {
      return;
    }
    present
        .get()
        .timeout(queryTimeoutMs, TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (stopped.getAsBoolean()) {
                return;
              }
              if (ar.succeeded() && !ar.result()) {
                LOG.warn("Own discovery record is gone from the store; publishing again");
                republish.run();
                return;
              }
              if (ar.failed()) {
                LOG.warn(
                    "Could not look for the own discovery record ({}); looking again in {} ms",
                    ar.cause().toString(),
                    intervalMs);
              }
              start();
            });
  }
}
