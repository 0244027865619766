package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations with Flyway, run at start-up from {@code classpath:db/<schema>}.
 * Flyway speaks JDBC, so it runs on a worker thread, never on an event loop. Instances starting
 * together are safe: Flyway serialises them with a database lock.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static Future<MigrateResult> migrate(Vertx vertx, DatabaseConfig config) {
    return vertx.executeBlocking(
        () -> {
          MigrateResult result =
              Flyway.configure()
                  .dataSource(config.jdbcUrl(), config.user(), config.password())
                  .schemas(config.schema())
                  .defaultSchema(config.schema())
                  .createSchemas(true)
                  .locations("classpath:db/" + config.schema())
                  // Postgres.start retries a refused connection itself, and reports it.
                  .connectRetries(0)
                  .load()
                  .migrate();
          LOG.info(
              "Schema {} at version {} ({} migration(s) applied)",
              config.schema(),
              result.targetSchemaVersion,
              result.migrationsExecuted);
          return result;
        },
        false);
  }
}
