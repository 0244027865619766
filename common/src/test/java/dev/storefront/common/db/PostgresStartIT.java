package dev.storefront.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service starting against a PostgreSQL server that refuses it, on the local server: a role of
 * its own with {@code CONNECTION LIMIT 2} (Flyway migrates over two connections) whose slots the
 * test holds refuses further connections with "too many connections for role" as a full server
 * would, without filling the server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresStartIT {

  private static final String ROLE =
      "storefront_limited_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  private static final int ROLE_LIMIT = 2;

  private static ThrowawayDatabase database;
  private Vertx vertx;

  @BeforeAll
  static void createLimitedRole() throws Exception {
    database = ThrowawayDatabase.create("pg_start");
    try (Connection admin = database.adminConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE ROLE " + quoted(ROLE) + " LOGIN CONNECTION LIMIT " + ROLE_LIMIT);
      sql.execute("GRANT CREATE ON DATABASE " + quoted(database.name()) + " TO " + quoted(ROLE));
    }
  }

  @AfterAll
  static void dropRole() throws Exception {
    database.close();
    try (Connection admin =
            DriverManager.getConnection(
                "jdbc:postgresql://" + database.host() + ":" + database.port() + "/postgres",
                "postgres",
                "");
        Statement sql = admin.createStatement()) {
      sql.execute("DROP ROLE IF EXISTS " + quoted(ROLE));
    }
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedStartWaitsNotReadyThenOpensAPoolTheRoleHasRoomFor() throws Exception {
    Health health = new Health(vertx);
    Future<Pool> started;
    try (Connection held = limitedConnection();
        Connection alsoHeld = limitedConnection()) {
      started = Postgres.start(vertx, config(4), 2, health, 200, 1_000);

      // Several attempts are refused; the process waits, not ready, and says why.
      Thread.sleep(2_500);
      assertThat(started.isComplete()).isFalse();
      CheckResult waiting = await(health.checkReadiness());
      assertThat(waiting.getUp()).isFalse();
      assertThat(waiting.toJson().encode())
          .contains("postgres")
          .contains("too many connections for role")
          .contains("attempt ");
      assertThat(held.isValid(1) && alsoHeld.isValid(1)).isTrue();
    }

    // The slot is free again: the next attempt migrates and opens the pool.
    Pool pool = started.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(await(health.checkReadiness()).getUp()).isTrue();
    assertThat(tableExists("it_schema", "widgets")).isTrue();

    // The role has two slots, so the pool was sized to two, not four: concurrent queries queue
    // for them instead of being refused connections of their own.
    List<Future<?>> queries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queries.add(pool.query("SELECT pg_sleep(0.02)").execute());
    }
    await(Future.all(queries));
    assertThat(connectionsOf(ROLE)).isEqualTo(ROLE_LIMIT);
  }

  @Test
  void aServerThatDoesNotAnswerIsTriedAgainAndReportedNotReady() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Health health = new Health(vertx);
    DatabaseConfig nowhere =
        new DatabaseConfig("127.0.0.1", closedPort, "storefront", ROLE, "", "it_schema", 4);

    Future<Pool> started = Postgres.start(vertx, nowhere, 1, health, 200, 1_000);
    Thread.sleep(1_500);

    assertThat(started.isComplete()).isFalse();
    CheckResult result = await(health.checkReadiness());
    assertThat(result.getUp()).isFalse();
    assertThat(result.toJson().encode())
        .contains("is unavailable")
        .contains("Connection refused")
        .contains("attempt ");
  }

  @Test
  void aRequestWhileThePoolCannotConnectIsA503WithRetryAfter() throws Exception {
    Pool pool = Database.pool(vertx, config(1), 1);
    Router router = ServiceRouter.create(vertx);
    router.get("/rows").respond(ctx -> pool.query("SELECT 1").execute().map(rows -> "served"));
    ServiceRouter.complete(router);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));

    HttpResponse<String> refused;
    try (Connection held = limitedConnection();
        Connection alsoHeld = limitedConnection()) {
      refused = get(server.actualPort(), "/rows");
    }
    HttpResponse<String> served = get(server.actualPort(), "/rows");

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("\"status\":503").doesNotContain("too many");
    assertThat(served.statusCode()).isEqualTo(200);
  }

  /** Names here are generated: quoting keeps them as they are. */
  private static String quoted(String name) {
    return '"' + name + '"';
  }

  private static DatabaseConfig config(int poolSize) {
    return new DatabaseConfig(
        database.host(), database.port(), database.name(), ROLE, "", "it_schema", poolSize);
  }

  private static Connection limitedConnection() throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), ROLE, "");
  }

  private static boolean tableExists(String schema, String table) throws Exception {
    try (Connection admin = database.adminConnection();
        Statement sql = admin.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema
                    + "' AND table_name = '"
                    + table
                    + "'")) {
      rows.next();
      return rows.getInt(1) == 1;
    }
  }

  private static int connectionsOf(String role) throws Exception {
    try (Connection admin = database.adminConnection();
        Statement sql = admin.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
