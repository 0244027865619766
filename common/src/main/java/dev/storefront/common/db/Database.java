package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** The service's PostgreSQL pool, spread over the event loops, statements prepared and cached. */
public final class Database {

  /**
   * Connections unused this long are closed: a process holds what its load needs, not what its
   * busiest minute needed, so idle instances leave the server's slots to busy ones.
   */
  static final int IDLE_TIMEOUT_S = 60;

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
            .setName(poolName(config))
            .setEventLoopSize(eventLoops)
            .setConnectionTimeout(5)
            .setIdleTimeout(IDLE_TIMEOUT_S)
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxWaitQueueSize(config.poolSize() * 64);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** The pool's name, the {@code pool_name} label of its metrics. */
  public static String poolName(DatabaseConfig config) {
    return "pg-" + config.schema();
  }

  /** Readiness probe: the database answers a trivial query. */
  public static Future<?> ping(Pool pool) {
    return pool.query("SELECT 1").execute();
  }

  /**
   * Whether {@code failure} says PostgreSQL could not take the work now rather than that a
   * statement is wrong: the server would not take a connection (it is down, starting or shutting
   * down, or has no slot left for anyone or for the role), or no pooled connection came free in
   * time. Worth trying again later. Causes are followed a few levels, as JDBC, Flyway and futures
   * wrap them.
   */
  public static boolean unavailable(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 6; depth++, cause = cause.getCause()) {
      if (cause instanceof ConnectException || isConnectionWaitTimeout(cause)) {
        return true;
      }
      String state =
          cause instanceof DatabaseException db
              ? db.getSqlState()
              : cause instanceof SQLException sql ? sql.getSQLState() : null;
      if (state != null && refusalState(state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pool's own failure when no connection came free (or could be made) within its connection
   * timeout: a plain VertxException, told only by its message.
   */
  private static boolean isConnectionWaitTimeout(Throwable cause) {
    return cause instanceof VertxException
        && "Timeout waiting for connection".equals(cause.getMessage());
  }

  /** The innermost message of a refusal, the one that names what refused. */
  static String refusal(Throwable failure) {
    Throwable cause = failure;
    String message = String.valueOf(failure.getMessage());
    for (int depth = 0; cause != null && depth < 6; depth++, cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message;
  }

  /**
   * Connection exceptions (class 08), too many connections (53300), and a server starting up or
   * shutting down (57P01-57P03).
   */
  private static boolean refusalState(String state) {
    return state.startsWith("08")
        || state.equals("53300")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03");
  }
}
