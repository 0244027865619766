package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Migrations;
import dev.storefront.common.http.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Accounts and tokens against the local PostgreSQL server, in a throwaway database migrated with
 * the real identity migrations, through the real routes on a real server.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AuthRoutesIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String DATABASE =
      "storefront_it_identity_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String PASSWORD = "correct horse battery";

  private static Vertx vertx;
  private static Pool pool;
  private static WebClient client;
  private static int port;
  private static boolean created;
  private static String accessToken;
  private static EdgeSecurity security;

  @BeforeAll
  static void start() throws Exception {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement sql = admin.createStatement()) {
      // The name is generated above from a UUID: nothing to inject.
      sql.execute("CREATE DATABASE " + DATABASE);
      created = true;
    }
    vertx = Vertx.vertx();
    DatabaseConfig config =
        new DatabaseConfig("127.0.0.1", 5432, DATABASE, "postgres", "", "identity", 4);
    port =
        Migrations.migrate(vertx, config)
            .compose(
                migrated -> {
                  pool = Database.pool(vertx, config, 1);
                  return EdgeSecurity.start(
                      vertx, Env.of(Map.of("ADMIN_EMAILS", "Boss@Example.com")), pool);
                })
            .compose(
                s -> {
                  security = s;
                  Router router = Router.router(vertx);
                  s.mount(router, io.vertx.ext.web.RoutingContext::next);
                  router.route().failureHandler(ProblemHandler::handle);
                  return vertx.createHttpServer().requestHandler(router).listen(0);
                })
            .map(server -> server.actualPort())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (pool != null) {
        pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      if (created) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
          try (PreparedStatement terminate =
              admin.prepareStatement(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, DATABASE);
            terminate.execute();
          }
          try (Statement drop = admin.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + DATABASE);
          }
        }
      }
    }
  }

  @Test
  @Order(1)
  void registeringCreatesACustomer(VertxTestContext ctx) {
    post("/api/auth/register", credentials("Alice@Example.com", PASSWORD))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(201);
                          JsonObject body = r.bodyAsJsonObject();
                          assertThat(UUID.fromString(body.getString("id"))).isNotNull();
                          assertThat(body.getString("email")).isEqualTo("Alice@Example.com");
                          assertThat(body.getJsonArray("roles")).containsExactly("customer");
                          assertThat(body.containsKey("password_hash")).isFalse();
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(2)
  void theSameAddressInAnotherCaseIsTaken(VertxTestContext ctx) {
    post("/api/auth/register", credentials("alice@example.COM", PASSWORD))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 409, "exists already")));
  }

  @Test
  @Order(2)
  void theSameAddressIsTaken(VertxTestContext ctx) {
    post("/api/auth/register", credentials("Alice@Example.com", PASSWORD))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 409, "exists already")));
  }

  @Test
  @Order(2)
  void aShortPasswordIs400SayingWhy(VertxTestContext ctx) {
    post("/api/auth/register", credentials("bob@example.com", "short"))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 400, "at least 10")));
  }

  @Test
  @Order(2)
  void aBadAddressIs400SayingWhy(VertxTestContext ctx) {
    post("/api/auth/register", credentials("bob-at-example", PASSWORD))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 400, "not a valid address")));
  }

  @Test
  @Order(2)
  void aBodyThatIsNotJsonIs415(VertxTestContext ctx) {
    client
        .post(port, "127.0.0.1", "/api/auth/register")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("email=a@b.c&password=xxxxxxxxxxxx"))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 415, "application/json")));
  }

  @Test
  @Order(2)
  void anAddressFromAdminEmailsRegistersAsAdmin(VertxTestContext ctx) {
    post("/api/auth/register", credentials("boss@example.com", PASSWORD))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(201);
                          assertThat(r.bodyAsJsonObject().getJsonArray("roles"))
                              .containsExactlyInAnyOrder("customer", "admin");
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(3)
  void loggingInGivesABearerToken(VertxTestContext ctx) {
    post("/api/auth/login", credentials("ALICE@example.com", PASSWORD))
        .compose(
            r -> {
              ctx.verify(
                  () -> {
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
                    JsonObject body = r.bodyAsJsonObject();
                    assertThat(body.getString("token_type")).isEqualTo("Bearer");
                    assertThat(body.getLong("expires_in")).isEqualTo(900L);
                  });
              accessToken = r.bodyAsJsonObject().getString("access_token");
              return new TokenIssuer(vertx, security.keys()).authenticate(accessToken);
            })
        .onComplete(
            ctx.succeeding(
                caller ->
                    ctx.verify(
                        () -> {
                          assertThat(caller.email()).isEqualTo("Alice@Example.com");
                          assertThat(caller.roles()).containsExactly("customer");
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(4)
  void aWrongPasswordIs401(VertxTestContext ctx) {
    post("/api/auth/login", credentials("alice@example.com", PASSWORD + "!"))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 401, "e-mail address or the password")));
  }

  @Test
  @Order(4)
  void anUnknownAddressIs401WithTheSameMessage(VertxTestContext ctx) {
    post("/api/auth/login", credentials("nobody@example.com", PASSWORD))
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 401, "e-mail address or the password")));
  }

  @Test
  @Order(5)
  void refreshingGivesANewToken(VertxTestContext ctx) throws Exception {
    // iat has a one-second resolution: a new token must differ from the old one.
    Thread.sleep(1_100);
    client
        .post(port, "127.0.0.1", "/api/auth/refresh")
        .bearerTokenAuthentication(accessToken)
        .send()
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          String fresh = r.bodyAsJsonObject().getString("access_token");
                          assertThat(fresh).isNotBlank().isNotEqualTo(accessToken);
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(5)
  void refreshingWithoutATokenIs401(VertxTestContext ctx) {
    client
        .post(port, "127.0.0.1", "/api/auth/refresh")
        .send()
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 401, "access token")));
  }

  @Test
  @Order(5)
  void refreshingAnEditedTokenIs401(VertxTestContext ctx) {
    String[] parts = accessToken.split("\\.");
    String edited = parts[0] + "." + parts[1] + "x." + parts[2];
    client
        .post(port, "127.0.0.1", "/api/auth/refresh")
        .bearerTokenAuthentication(edited)
        .send()
        .onComplete(ctx.succeeding(r -> problem(ctx, r, 401, "not valid")));
  }

  @Test
  @Order(6)
  void theJwksListsTheSigningKey(VertxTestContext ctx) {
    String kid =
        (String)
            new JsonObject(
                    new String(
                        java.util.Base64.getUrlDecoder().decode(accessToken.split("\\.")[0]),
                        java.nio.charset.StandardCharsets.UTF_8))
                .getValue("kid");
    client
        .get(port, "127.0.0.1", "/.well-known/jwks.json")
        .send()
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          JsonObject jwk =
                              r.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0);
                          assertThat(jwk.getString("kid")).isEqualTo(kid);
                          assertThat(jwk.getString("kty")).isEqualTo("EC");
                          assertThat(jwk.containsKey("d")).isFalse();
                          ctx.completeNow();
                        })));
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password);
  }

  private static Future<HttpResponse<Buffer>> post(String uri, JsonObject body) {
    return client.post(port, "127.0.0.1", uri).sendJsonObject(body);
  }

  private static void problem(
      VertxTestContext ctx, HttpResponse<Buffer> r, int status, String detailPart) {
    ctx.verify(
        () -> {
          assertThat(r.statusCode()).isEqualTo(status);
          assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(r.bodyAsJsonObject().getString("detail")).contains(detailPart);
          ctx.completeNow();
        });
  }
}
