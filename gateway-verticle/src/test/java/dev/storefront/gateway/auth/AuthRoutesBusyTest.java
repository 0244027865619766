package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.ProblemHandler;
import dev.storefront.common.security.EcKeys;
import dev.storefront.gateway.identity.AccountRepository;
import dev.storefront.gateway.identity.Accounts;
import dev.storefront.gateway.identity.CommonPasswords;
import dev.storefront.gateway.identity.IdentityConfig;
import dev.storefront.gateway.identity.LoginAttemptRepository;
import dev.storefront.gateway.identity.LoginThrottle;
import dev.storefront.gateway.identity.PasswordHasher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sign-up while the process's password hashing queue is full: refused at once, as problem+json
 * with {@code Retry-After}, before any database work (none is there to do it).
 */
@ExtendWith(VertxExtension.class)
class AuthRoutesBusyTest {

  private final CountDownLatch held = new CountDownLatch(1);

  @AfterEach
  void release() {
    held.countDown();
  }

  @Test
  void aSignUpBeyondTheHashingQueueIsA503WithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = new PasswordHasher(vertx, 1, 1, new SimpleMeterRegistry(), 1_024, 1);
    // The only thread is busy and the only place taken: the next hash cannot even wait.
    vertx
        .createSharedWorkerExecutor(PasswordHasher.EXECUTOR, 1)
        .executeBlocking(
            () -> {
              held.await();
              return null;
            },
            false);
    Future<String> occupying = hasher.hash("correct horse battery");
    TokenIssuer tokens =
        new TokenIssuer(
            vertx, new TokenIssuer.Keys(EcKeys.generate(), List.of(), Duration.ofMinutes(15)));
    // No pool: a request that got as far as the database would fail with a 500.
    AccountRepository repository = new AccountRepository(null);
    Router router = Router.router(vertx);
    IdentityConfig config = IdentityConfig.from(Env.of(Map.of()));
    new AuthRoutes(
            new Accounts(
                repository,
                hasher,
                config,
                CommonPasswords.load(),
                new LoginThrottle(
                    new LoginAttemptRepository(null),
                    config.loginLimit(),
                    new SimpleMeterRegistry())),
            repository,
            tokens)
        .mount(router);
    router.route().failureHandler(ProblemHandler::handle);
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .compose(
            server ->
                WebClient.create(vertx)
                    .post(server.actualPort(), "127.0.0.1", "/api/auth/register")
                    .sendJsonObject(
                        new JsonObject()
                            .put("email", "ada@example.com")
                            .put("password", "correct horse battery")))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.statusCode()).isEqualTo(503);
                          assertThat(response.getHeader("Retry-After")).isEqualTo("1");
                          assertThat(response.getHeader("Content-Type"))
                              .isEqualTo("application/problem+json");
                          JsonObject problem = response.bodyAsJsonObject();
                          assertThat(problem.getString("type"))
                              .isEqualTo(PasswordHasher.TooManySignIns.TYPE);
                          assertThat(problem.getString("detail"))
                              .isEqualTo("Too many sign-ins at once; try again in a moment");
                          assertThat(problem.getInteger("retryAfter")).isEqualTo(1);
                          assertThat(occupying.isComplete()).isFalse();
                        })))
        .compose(
            response -> {
              held.countDown();
              return occupying;
            })
        .onComplete(
            ctx.succeeding(
                hash ->
                    ctx.verify(
                        () -> {
                          assertThat(hasher.pending()).isZero();
                          ctx.completeNow();
                        })));
  }
}
