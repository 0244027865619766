package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The service's PostgreSQL pool, spread over the event loops, statements prepared and cached. */
public final class Database {

  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseConfig config, int eventLoops) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setDatabase(config.database())
            .setUser(config.user())
            .setPassword(config.password())
            .setCachePreparedStatements(true)
            .setPipeliningLimit(256)
            // Unqualified names resolve in the service's own schema.
            .addProperty("search_path", config.schema())
            .addProperty("application_name", "storefront-" + config.user());
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(config.poolSize())
            .setName("pg-" + config.schema())
            .setEventLoopSize(eventLoops)
            .setConnectionTimeout(5)
            .setMaxWaitQueueSize(config.poolSize() * 64);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** Readiness probe: the database answers a trivial query. */
  public static Future<?> ping(Pool pool) {
    return pool.query("SELECT 1").execute();
  }
}
