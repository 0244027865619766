package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Migrations;
import dev.storefront.common.http.ProblemHandler;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.edge.LocalBucketStore;
import dev.storefront.gateway.edge.RateLimiter;
import dev.storefront.gateway.identity.LoginThrottle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The limit on failed logins per e-mail address against the local PostgreSQL server, through the
 * real routes behind the real per-address rate limit: every request comes from an address of its
 * own (X-Forwarded-For from loopback), so that limit never refuses one, and only the per-account
 * limit stands between an attacker and the password check.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LoginThrottleIT {

  private static final String PASSWORD = "correct horse battery";
  private static final int LIMIT = 5;

  private static Vertx vertx;
  private static Pool pool;
  private static WebClient client;
  private static int port;
  private static ThrowawayDatabase database;
  private static final AtomicInteger addresses = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    database = ThrowawayDatabase.create("it_logins");
    // With metrics, so that the counters of refusals and locks can be read.
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    Env env =
        Env.of(
            Map.of(
                "LOGIN_FAILURE_LIMIT", Integer.toString(LIMIT),
                "LOGIN_LOCK_S", "2",
                "LOGIN_LOCK_MAX_S", "4",
                "RATE_LIMITS", "/api/auth=3/60s",
                "TRUST_FORWARDED_FOR", "loopback"));
    RateLimiter perAddress =
        new RateLimiter(
            EdgeConfig.from(env),
            LocalBucketStore.of(vertx),
            new SimpleMeterRegistry(),
            ctx -> null);
    DatabaseConfig config =
        new DatabaseConfig(
            database.host(), database.port(), database.name(), "postgres", "", "identity", 8);
    port =
        Migrations.migrate(vertx, config)
            .compose(
                migrated -> {
                  pool = Database.pool(vertx, config, 1);
                  return EdgeSecurity.start(vertx, env, pool);
                })
            .compose(
                security -> {
                  Router router = Router.router(vertx);
                  security.mount(router, perAddress);
                  router.route().failureHandler(ProblemHandler::handle);
                  return vertx.createHttpServer().requestHandler(router).listen(0);
                })
            .map(server -> server.actualPort())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
    for (String email :
        List.of("alice@example.com", "bob@example.com", "carol@example.com", "dan@example.com")) {
      int status =
          post("/api/auth/register", email, PASSWORD)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .statusCode();
      assertThat(status).isEqualTo(201);
    }
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
      if (database != null) {
        database.close();
      }
    }
  }

  @Test
  void failuresFromManyAddressesAreRefusedAfterTheLimitAndTheLockEnds(VertxTestContext ctx) {
    double locksBefore = counter("storefront_gateway_login_locks");
    double refusedBefore = counter("storefront_gateway_login_attempts_refused");
    List<HttpResponse<Buffer>> wrong = new ArrayList<>();
    Future<Void> guesses = Future.succeededFuture();
    for (int i = 0; i < 40; i++) {
      String guess = PASSWORD + " " + i;
      guesses =
          guesses
              .compose(v -> post("/api/auth/login", "alice@example.com", guess).map(wrong::add))
              .mapEmpty();
    }
    guesses
        .compose(
            v -> {
              ctx.verify(
                  () -> {
                    for (int i = 0; i < LIMIT; i++) {
                      assertThat(wrong.get(i).statusCode()).as("guess " + i).isEqualTo(401);
                    }
                    for (int i = LIMIT; i < wrong.size(); i++) {
                      locked(wrong.get(i));
                    }
                    assertThat(counter("storefront_gateway_login_locks") - locksBefore)
                        .isEqualTo(1.0);
                    assertThat(counter("storefront_gateway_login_attempts_refused") - refusedBefore)
                        .isEqualTo(40.0 - LIMIT);
                  });
              // The owner, with the right password, during the lock.
              return post("/api/auth/login", "alice@example.com", PASSWORD);
            })
        .compose(
            during -> {
              ctx.verify(() -> locked(during));
              long wait = Long.parseLong(during.getHeader("Retry-After"));
              return sleep(wait * 1000 + 200)
                  .compose(v -> post("/api/auth/login", "alice@example.com", PASSWORD));
            })
        .compose(
            after -> {
              ctx.verify(
                  () -> {
                    assertThat(after.statusCode()).isEqualTo(200);
                    assertThat(after.bodyAsJsonObject().getString("access_token")).isNotBlank();
                  });
              // The success forgot the failures: a typo now is a plain 401 again.
              return post("/api/auth/login", "alice@example.com", "not it at all");
            })
        .onComplete(
            ctx.succeeding(
                typo ->
                    ctx.verify(
                        () -> {
                          assertThat(typo.statusCode()).isEqualTo(401);
                          ctx.completeNow();
                        })));
  }

  @Test
  void anUnknownAddressGetsExactlyTheAnswersOfAKnownOne(VertxTestContext ctx) {
    List<HttpResponse<Buffer>> known = new ArrayList<>();
    List<HttpResponse<Buffer>> unknown = new ArrayList<>();
    Future<Void> both = Future.succeededFuture();
    for (int i = 0; i < LIMIT + 3; i++) {
      both =
          both.compose(
                  v -> post("/api/auth/login", "bob@example.com", "wrong guess").map(known::add))
              .compose(
                  v ->
                      post(
                              "/api/auth/login",
                              "nobody-" + database.name() + "@example.com",
                              "wrong guess")
                          .map(unknown::add))
              .mapEmpty();
    }
    both.onComplete(
        ctx.succeeding(
            v ->
                ctx.verify(
                    () -> {
                      for (int i = 0; i < known.size(); i++) {
                        HttpResponse<Buffer> k = known.get(i);
                        HttpResponse<Buffer> u = unknown.get(i);
                        assertThat(u.statusCode()).as("attempt " + i).isEqualTo(k.statusCode());
                        assertThat(u.getHeader("Content-Type"))
                            .isEqualTo(k.getHeader("Content-Type"));
                        JsonObject kb = k.bodyAsJsonObject().copy();
                        JsonObject ub = u.bodyAsJsonObject().copy();
                        // The seconds left may differ by the time between the two requests.
                        assertThat(ub.getString("detail").replaceAll("[0-9]+", "N"))
                            .isEqualTo(kb.getString("detail").replaceAll("[0-9]+", "N"));
                        assertThat(ub.getString("type")).isEqualTo(kb.getString("type"));
                      }
                      assertThat(known.get(LIMIT - 1).statusCode()).isEqualTo(401);
                      locked(known.get(LIMIT));
                      locked(unknown.get(LIMIT));
                      ctx.completeNow();
                    })));
  }

  @Test
  void concurrentGuessesGetNoMoreChecksThanTheLimit(VertxTestContext ctx) {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(post("/api/auth/login", "carol@example.com", "guess number " + i));
    }
    Future.join(all)
        .onComplete(
            ctx.succeeding(
                done ->
                    ctx.verify(
                        () -> {
                          long checked =
                              all.stream().filter(f -> f.result().statusCode() == 401).count();
                          long refused =
                              all.stream().filter(f -> f.result().statusCode() == 429).count();
                          assertThat(checked).isEqualTo(LIMIT);
                          assertThat(refused).isEqualTo(30 - LIMIT);
                          ctx.completeNow();
                        })));
  }

  @Test
  void eachLockLastsLongerThanTheOneBefore(VertxTestContext ctx) {
    failures("dan@example.com", LIMIT)
        .compose(v -> post("/api/auth/login", "dan@example.com", PASSWORD))
        .compose(
            first -> {
              long firstLock = Long.parseLong(first.getHeader("Retry-After"));
              ctx.verify(() -> assertThat(firstLock).isBetween(1L, 2L));
              return sleep(firstLock * 1000 + 200)
                  .compose(v -> failures("dan@example.com", LIMIT))
                  .compose(v -> post("/api/auth/login", "dan@example.com", PASSWORD));
            })
        .onComplete(
            ctx.succeeding(
                second ->
                    ctx.verify(
                        () -> {
                          locked(second);
                          assertThat(Long.parseLong(second.getHeader("Retry-After")))
                              .isBetween(3L, 4L);
                          ctx.completeNow();
                        })));
  }

  private static Future<Void> failures(String email, int count) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain =
          chain
              .compose(v -> post("/api/auth/login", email, "a wrong password"))
              .map(
                  r -> {
                    assertThat(r.statusCode()).isEqualTo(401);
                    return null;
                  });
    }
    return chain;
  }

  /** A refusal of the per-account limit: 429 problem+json with Retry-After, nothing else said. */
  private static void locked(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    long retryAfter = Long.parseLong(r.getHeader("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 4L);
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo(LoginThrottle.TYPE);
    assertThat(problem.getString("detail"))
        .isEqualTo(
            "Too many failed logins for this e-mail address; try again in " + retryAfter + " s");
  }

  private static Future<HttpResponse<Buffer>> post(String uri, String email, String password) {
    int n = addresses.incrementAndGet();
    return client
        .post(port, "127.0.0.1", uri)
        .putHeader(
            "X-Forwarded-For", "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255))
        .sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  private static Future<Void> sleep(long millis) {
    return vertx.timer(millis).mapEmpty();
  }

  private static double counter(String name) {
    var counter = Metrics.registry().find(name).counter();
    return counter == null ? 0 : counter.count();
  }
}
