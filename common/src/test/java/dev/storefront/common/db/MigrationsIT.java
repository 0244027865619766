package dev.storefront.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flyway migrations from {@code classpath:db/it_schema} (this module's test resources) against the
 * local PostgreSQL server, in throwaway databases.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationsIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String SCHEMA = "it_schema";
  private static final String SUFFIX =
      UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  /** Migrated by one process, twice. */
  private static final String DATABASE = "storefront_it_" + SUFFIX;

  /** Migrated by several processes at once. */
  private static final String RACED_DATABASE = "storefront_it_race_" + SUFFIX;

  private static final List<String> created = new ArrayList<>();
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void createDatabases() throws SQLException {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement sql = admin.createStatement()) {
      for (String database : List.of(DATABASE, RACED_DATABASE)) {
        // Names are generated above from a UUID: nothing to inject.
        sql.execute("CREATE DATABASE " + database);
        created.add(database);
      }
    }
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    try {
      if (pool != null) {
        pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
        for (String database : created) {
          try (PreparedStatement terminate =
              admin.prepareStatement(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, database);
            terminate.execute();
          }
          try (Statement drop = admin.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + database);
          }
        }
      }
    }
  }

  @Test
  @Order(1)
  void aFreshDatabaseGetsEveryMigration(VertxTestContext ctx) {
    DatabaseConfig config = config(DATABASE);

    Migrations.migrate(vertx, config)
        .compose(
            result -> {
              pool = Database.pool(vertx, config, 1);
              return columns()
                  .compose(
                      columns ->
                          // Unqualified names resolve in the service's schema (search_path).
                          pool.preparedQuery(
                                  "INSERT INTO widgets (name) VALUES ($1) RETURNING colour")
                              .execute(Tuple.of("sprocket"))
                              .map(
                                  rows ->
                                      new Object[] {
                                        result, columns, rows.iterator().next().getString(0)
                                      }));
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          MigrateResult result = (MigrateResult) r[0];
                          assertThat(result.success).isTrue();
                          assertThat(result.migrationsExecuted).isEqualTo(2);
                          assertThat(result.initialSchemaVersion).isNull();
                          assertThat(result.targetSchemaVersion).isEqualTo("2");
                          assertThat(result.schemaName).isEqualTo(SCHEMA);
                          assertThat(r[1]).isEqualTo(List.of("id", "name", "colour"));
                          assertThat(r[2]).isEqualTo("grey");
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(2)
  void aSecondRunAppliesNothingAndKeepsTheData(VertxTestContext ctx) {
    Migrations.migrate(vertx, config(DATABASE))
        .compose(
            result ->
                pool.query("SELECT count(*) FROM widgets")
                    .execute()
                    .map(rows -> new Object[] {result, rows.iterator().next().getLong(0)}))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          MigrateResult result = (MigrateResult) r[0];
                          assertThat(result.success).isTrue();
                          assertThat(result.migrationsExecuted).isZero();
                          assertThat(result.initialSchemaVersion).isEqualTo("2");
                          assertThat(result.targetSchemaVersion).isNull();
                          assertThat(r[1]).isEqualTo(1L);
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(3)
  void pingAnswersWhileTheDatabaseIsUp(VertxTestContext ctx) {
    Database.ping(pool).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Order(4)
  void instancesStartingTogetherMigrateOnce(VertxTestContext ctx) {
    DatabaseConfig config = config(RACED_DATABASE);

    List<Future<MigrateResult>> runs =
        IntStream.range(0, 3).mapToObj(i -> Migrations.migrate(vertx, config)).toList();

    Future.all(runs)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          int executed =
                              runs.stream().mapToInt(f -> f.result().migrationsExecuted).sum();
                          assertThat(executed).isEqualTo(2);
                          ctx.completeNow();
                        })));
  }

  private static DatabaseConfig config(String database) {
    return new DatabaseConfig("127.0.0.1", 5432, database, "postgres", "", SCHEMA, 4);
  }

  private static Future<List<String>> columns() {
    return pool.preparedQuery(
            "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = $1 AND table_name = 'widgets' ORDER BY ordinal_position")
        .execute(Tuple.of(SCHEMA))
        .map(
            rows -> {
              List<String> names = new ArrayList<>();
              for (Row row : rows) {
                names.add(row.getString(0));
              }
              return names;
            });
  }
}
