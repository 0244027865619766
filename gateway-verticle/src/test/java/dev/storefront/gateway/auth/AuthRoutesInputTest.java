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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-ups and logins that must be refused before the database or a hash: the routes run without a
 * pool, so a request that got that far would be a 500, and the answers must be 400 or 422
 * problem+json saying why.
 */
@ExtendWith(VertxExtension.class)
class AuthRoutesInputTest {

  private static final CommonPasswords COMMON = CommonPasswords.load();

  private WebClient client;
  private int port;

  @BeforeEach
  void serve(Vertx vertx, VertxTestContext ctx) {
    IdentityConfig config = IdentityConfig.from(Env.of(Map.of()));
    AccountRepository repository = new AccountRepository(null);
    Accounts accounts =
        new Accounts(
            repository,
            new PasswordHasher(vertx, 1, 4, new SimpleMeterRegistry(), 1_024, 1),
            config,
            COMMON,
            new LoginThrottle(
                new LoginAttemptRepository(null), config.loginLimit(), new SimpleMeterRegistry()));
    TokenIssuer tokens =
        new TokenIssuer(
            vertx, new TokenIssuer.Keys(EcKeys.generate(), List.of(), Duration.ofMinutes(15)));
    Router router = Router.router(vertx);
    new AuthRoutes(accounts, repository, tokens).mount(router);
    router.route().failureHandler(ProblemHandler::handle);
    client = WebClient.create(vertx);
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .onComplete(
            ctx.succeeding(
                server -> {
                  port = server.actualPort();
                  ctx.completeNow();
                }));
  }

  @Test
  void commonPasswordsAre422AtSignUp(VertxTestContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (String password : List.of("password123", "1234567890", "qwertyuiop", "QwertyUiop")) {
      chain =
          chain.compose(
              v ->
                  post("/api/auth/register", "ada@example.com", password)
                      .map(r -> expect(ctx, r, 422, "common and breached passwords")));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNulInTheLoginAddressIs400(VertxTestContext ctx) {
    post("/api/auth/login", "a\u0000b@x.io", "correct horse battery")
        .onComplete(
            ctx.succeeding(
                r -> {
                  expect(ctx, r, 400, "e-mail address must not contain control characters");
                  ctx.completeNow();
                }));
  }

  @Test
  void controlCharactersAndOverlongFieldsAre400AtLoginAndSignUp(VertxTestContext ctx) {
    List<String[]> cases =
        List.of(
            new String[] {"/api/auth/login", "a@x.io", "correct\u0000horse", "control characters"},
            new String[] {"/api/auth/login", "a@x.io\u0007", "correct horse", "control characters"},
            new String[] {"/api/auth/login", "a@x.io", "correct horse\u2028\u0085", "control"},
            new String[] {"/api/auth/login", "a".repeat(300) + "@x.io", "correct horse", "at most"},
            new String[] {"/api/auth/login", "a@x.io", "p".repeat(600), "at most 128"},
            new String[] {"/api/auth/login", null, "correct horse", "required"},
            new String[] {"/api/auth/register", "a\u0000b@x.io", "correct horse", "control"},
            new String[] {"/api/auth/register", "ada@x.io", "correct\u0000horse", "control"},
            new String[] {"/api/auth/register", "ada@x.io", "correct\u001bhorse", "control"},
            new String[] {"/api/auth/register", "a".repeat(300) + "@x.io", "correct h", "at most"});
    Future<Void> chain = Future.succeededFuture();
    for (String[] c : cases) {
      chain = chain.compose(v -> post(c[0], c[1], c[2]).map(r -> expect(ctx, r, 400, c[3], c[0])));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> post(String uri, String email, String password) {
    return client
        .post(port, "127.0.0.1", uri)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  private static Void expect(
      VertxTestContext ctx, HttpResponse<Buffer> r, int status, String detailPart, String... what) {
    ctx.verify(
        () -> {
          assertThat(r.statusCode())
              .as(r.bodyAsString() + " " + String.join(" ", what))
              .isEqualTo(status);
          assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(r.bodyAsJsonObject().getString("detail")).contains(detailPart);
        });
    return null;
  }
}
