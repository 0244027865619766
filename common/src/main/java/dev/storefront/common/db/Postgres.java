package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.http.Health;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's start-up path to PostgreSQL: migrate its schema, size its pool to what the server has
 * room for, open the pool, watch it. A server that refuses connections (down, starting, or out of
 * slots) is tried again with growing pauses for as long as the process runs: the process reports
 * not ready and says why, instead of exiting and being restarted into the same refusal.
 */
public final class Postgres {

  private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

  static final long FIRST_RETRY_MS = 1_000;
  static final long MAX_RETRY_MS = 30_000;

  private Postgres() {}

  public static Future<Pool> start(
      Vertx vertx, DatabaseConfig config, int eventLoops, Health health) {
    return start(vertx, config, eventLoops, health, FIRST_RETRY_MS, MAX_RETRY_MS);
  }

  static Future<Pool> start(
      Vertx vertx,
      DatabaseConfig config,
      int eventLoops,
      Health health,
      long firstRetryMs,
      long maxRetryMs) {
    Starting starting = new Starting();
    health.check("postgres", starting::probe);
    Retry retry = new Retry(vertx, config, starting, firstRetryMs, maxRetryMs);
    return retry
        .until(
            () ->
                Migrations.migrate(vertx, config)
                    .compose(
                        migrated ->
                            vertx.executeBlocking(() -> ConnectionBudget.read(config), false)))
        .compose(
            budget -> {
              int size = budget.poolSize(config.poolSize());
              if (size < config.poolSize()) {
                LOG.warn(
                    "PostgreSQL has {} connection slot(s) free ({} for role {}): pool of {}, not {}",
                    budget.free(),
                    budget.roleFree() == Integer.MAX_VALUE ? "no limit" : budget.roleFree(),
                    config.user(),
                    size,
                    config.poolSize());
              }
              Pool pool = Database.pool(vertx, config.withPoolSize(size), eventLoops);
              // One connection made and tried before the service uses the pool: a server (or a
              // machine) slow to hand one out holds up the start, not the service's first query.
              return retry
                  .until(() -> Database.ping(pool))
                  .map(
                      pinged -> {
                        Gauge.builder("storefront_db_pool_max_connections", () -> size)
                            .description(
                                "The most connections this process's PostgreSQL pool opens")
                            .tag("pool_name", Database.poolName(config))
                            .register(Metrics.registry());
                        starting.opened(pool);
                        return pool;
                      });
            });
  }

  /** Tries an action again after growing pauses while PostgreSQL cannot take a connection. */
  private static final class Retry {
    private final Vertx vertx;
    private final DatabaseConfig config;
    private final Starting starting;
    private final long maxRetryMs;
    private long retryMs;
    private int attempt = 1;

    Retry(Vertx vertx, DatabaseConfig config, Starting starting, long firstMs, long maxMs) {
      this.vertx = vertx;
      this.config = config;
      this.starting = starting;
      this.retryMs = firstMs;
      this.maxRetryMs = maxMs;
    }

    <T> Future<T> until(Supplier<Future<T>> action) {
      return action
          .get()
          .recover(
              failure -> {
                if (!Database.unavailable(failure)) {
                  return Future.failedFuture(failure);
                }
                // Spread out the retries of processes that were refused together.
                long pause = retryMs / 2 + ThreadLocalRandom.current().nextLong(retryMs / 2 + 1);
                String reason = Database.refusal(failure);
                starting.waiting(
                    String.format(
                        "PostgreSQL at %s:%d is unavailable (attempt %d, next in %d ms): %s",
                        config.host(), config.port(), attempt, pause, reason));
                LOG.warn(
                    "PostgreSQL at {}:{} is unavailable (attempt {}), trying again in {} ms: {}",
                    config.host(),
                    config.port(),
                    attempt,
                    pause,
                    reason);
                attempt++;
                retryMs = Math.min(retryMs * 2, maxRetryMs);
                // Not vertx.timer: a process stopped while it waits cancels the timer, and that
                // future would then fail a start the undeployment has failed already.
                Promise<Void> pauseOver = Promise.promise();
                vertx.setTimer(pause, id -> pauseOver.complete());
                return pauseOver.future().compose(v -> until(action));
              });
    }
  }

  /** The readiness of the database while the process starts, then the pool's. */
  private static final class Starting {
    private volatile Pool pool;
    private volatile String waiting = "connecting to PostgreSQL";

    void waiting(String reason) {
      this.waiting = reason;
    }

    void opened(Pool pool) {
      this.pool = pool;
    }

    Future<?> probe() {
      Pool opened = pool;
      return opened == null ? Future.failedFuture(waiting) : Database.ping(opened);
    }
  }
}
