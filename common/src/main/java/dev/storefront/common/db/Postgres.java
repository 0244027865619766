package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.http.Health;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ThreadLocalRandom;
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
    return prepare(vertx, config, starting, 1, firstRetryMs, maxRetryMs)
        .map(
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
              Gauge.builder("storefront_db_pool_max_connections", () -> size)
                  .description("The most connections this process's PostgreSQL pool opens")
                  .tag("pool_name", Database.poolName(config))
                  .register(Metrics.registry());
              starting.opened(pool);
              return pool;
            });
  }

  /** Migrations, then the budget reading; again after a pause while the server refuses. */
  private static Future<ConnectionBudget> prepare(
      Vertx vertx,
      DatabaseConfig config,
      Starting starting,
      int attempt,
      long retryMs,
      long maxRetryMs) {
    return Migrations.migrate(vertx, config)
        .compose(migrated -> vertx.executeBlocking(() -> ConnectionBudget.read(config), false))
        .recover(
            failure -> {
              if (!Database.refusesConnections(failure)) {
                return Future.failedFuture(failure);
              }
              // Spread out the retries of processes that were refused together.
              long pause = retryMs / 2 + ThreadLocalRandom.current().nextLong(retryMs / 2 + 1);
              String reason = Database.refusal(failure);
              starting.waiting(
                  String.format(
                      "PostgreSQL at %s:%d refused a connection (attempt %d, next in %d ms): %s",
                      config.host(), config.port(), attempt, pause, reason));
              LOG.warn(
                  "PostgreSQL at {}:{} refused a connection (attempt {}), trying again in {} ms: {}",
                  config.host(),
                  config.port(),
                  attempt,
                  pause,
                  reason);
              return vertx
                  .timer(pause)
                  .compose(
                      v ->
                          prepare(
                              vertx,
                              config,
                              starting,
                              attempt + 1,
                              Math.min(retryMs * 2, maxRetryMs),
                              maxRetryMs));
            });
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
