package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.http.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** A service's start-up path to PostgreSQL: migrate its schema, open its pool, watch it. */
public final class Postgres {

  private Postgres() {}

  public static Future<Pool> start(
      Vertx vertx, DatabaseConfig config, int eventLoops, Health health) {
    return Migrations.migrate(vertx, config)
        .map(
            migrated -> {
              Pool pool = Database.pool(vertx, config, eventLoops);
              health.check("postgres", () -> Database.ping(pool));
              return pool;
            });
  }
}
