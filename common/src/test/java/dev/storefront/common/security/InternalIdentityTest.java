package dev.storefront.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service's side of internal identity on a real HTTP server: only a token the gateway's key
 * signed, for the internal audience, unexpired, makes a caller.
 */
@ExtendWith(VertxExtension.class)
class InternalIdentityTest {

  private static final Caller ALICE = new Caller("a-1", "alice@example.com", Set.of("customer"));

  @Test
  void aValidTokenMakesTheCaller(Vertx vertx, VertxTestContext ctx) {
    EcKeys.SigningKey key = EcKeys.generate();
    String token = new InternalTokens.Issuer(vertx, key).issue(ALICE);

    serve(vertx, InternalTokens.Verifier.of(vertx, java.util.List.of(key.verification())))
        .compose(port -> get(vertx, port, token))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.statusCode()).isEqualTo(200);
                          JsonObject body = response.bodyAsJsonObject();
                          assertThat(body.getString("id")).isEqualTo("a-1");
                          assertThat(body.getString("email")).isEqualTo("alice@example.com");
                          assertThat(body.getJsonArray("roles")).containsExactly("customer");
                          ctx.completeNow();
                        })));
  }

  @Test
  void theIssuerReusesATokenForTheSameCaller(Vertx vertx) {
    InternalTokens.Issuer issuer = new InternalTokens.Issuer(vertx, EcKeys.generate());

    String first = issuer.issue(ALICE);

    assertThat(issuer.issue(ALICE)).isSameAs(first);
    assertThat(issuer.issue(new Caller("b-2", null, Set.of("customer")))).isNotEqualTo(first);
  }

  @Test
  void noTokenIs401OnARequiredRoute(Vertx vertx, VertxTestContext ctx) {
    EcKeys.SigningKey key = EcKeys.generate();
    unauthorized(vertx, ctx, key, null);
  }

  @Test
  void aTokenSignedWithAnotherKeyIs401(Vertx vertx, VertxTestContext ctx) {
    EcKeys.SigningKey key = EcKeys.generate();
    EcKeys.SigningKey forger = EcKeys.generate();
    // The forger even names the real key's id.
    String token =
        JwtForge.es256(
            TokenVerifierTest.header(key.kid()), claims(InternalTokens.AUDIENCE, 30), forger);
    unauthorized(vertx, ctx, key, token);
  }

  @Test
  void anExpiredTokenIs401(Vertx vertx, VertxTestContext ctx) {
    EcKeys.SigningKey key = EcKeys.generate();
    String token =
        JwtForge.es256(
            TokenVerifierTest.header(key.kid()), claims(InternalTokens.AUDIENCE, -60), key);
    unauthorized(vertx, ctx, key, token);
  }

  @Test
  void aTokenForAnotherAudienceIs401(Vertx vertx, VertxTestContext ctx) {
    EcKeys.SigningKey key = EcKeys.generate();
    String token =
        JwtForge.es256(TokenVerifierTest.header(key.kid()), claims("storefront-public", 30), key);
    unauthorized(vertx, ctx, key, token);
  }

  @Test
  void aHandMadeTokenWithTheRightKeyAndAudienceIsAccepted(Vertx vertx, VertxTestContext ctx) {
    // The control for the three refusals above.
    EcKeys.SigningKey key = EcKeys.generate();
    String token =
        JwtForge.es256(
            TokenVerifierTest.header(key.kid()), claims(InternalTokens.AUDIENCE, 30), key);
    serve(vertx, InternalTokens.Verifier.of(vertx, java.util.List.of(key.verification())))
        .compose(port -> get(vertx, port, token))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void servicesFindTheGatewaysDevelopmentKeyInTheClusterMap(Vertx vertx, VertxTestContext ctx) {
    // No key variables on either side: the gateway publishes, the service reads, and a request
    // body survives the service's asynchronous look-up.
    Env none = Env.of(Map.of());
    InternalTokens.Issuer.start(vertx, none)
        .compose(
            issuer ->
                serve(vertx, InternalTokens.Verifier.create(vertx, none))
                    .compose(
                        port ->
                            WebClient.create(vertx)
                                .post(port, "127.0.0.1", "/me")
                                .putHeader(InternalTokens.HEADER, issuer.issue(ALICE))
                                .sendBuffer(Buffer.buffer("{\"note\":\"kept\"}"))))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          assertThat(r.bodyAsJsonObject().getString("id")).isEqualTo("a-1");
                          assertThat(r.bodyAsJsonObject().getString("body")).contains("kept");
                          ctx.completeNow();
                        })));
  }

  @Test
  void everyGatewayOfTheClusterSharesOneDevelopmentKey(Vertx vertx, VertxTestContext ctx) {
    Env none = Env.of(Map.of());
    Future.all(InternalTokens.signingKey(vertx, none), InternalTokens.signingKey(vertx, none))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          EcKeys.SigningKey a = all.resultAt(0);
                          EcKeys.SigningKey b = all.resultAt(1);
                          assertThat(a.kid()).isEqualTo(b.kid());
                          ctx.completeNow();
                        })));
  }

  private static void unauthorized(
      Vertx vertx, VertxTestContext ctx, EcKeys.SigningKey key, String token) {
    serve(vertx, InternalTokens.Verifier.of(vertx, java.util.List.of(key.verification())))
        .compose(port -> get(vertx, port, token))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(401);
                          assertThat(r.getHeader("Content-Type"))
                              .isEqualTo("application/problem+json");
                          ctx.completeNow();
                        })));
  }

  private static JsonObject claims(String audience, long expiresIn) {
    long now = JwtForge.now();
    return new JsonObject()
        .put("sub", "a-1")
        .put("iss", InternalTokens.ISSUER)
        .put("aud", audience)
        .put("roles", new JsonArray().add("admin"))
        .put("iat", now - 90)
        .put("exp", now + expiresIn);
  }

  private static Future<HttpResponse<Buffer>> get(Vertx vertx, int port, String token) {
    HttpRequest<Buffer> request = WebClient.create(vertx).get(port, "127.0.0.1", "/me");
    if (token != null) {
      request.putHeader(InternalTokens.HEADER, token);
    }
    return request.send();
  }

  private static Future<Integer> serve(Vertx vertx, InternalTokens.Verifier verifier) {
    Router router = Router.router(vertx);
    router.route().handler(new InternalIdentity(verifier));
    router.route("/me").handler(InternalIdentity.required());
    router.route("/me").handler(BodyHandler.create());
    router
        .route("/me")
        .handler(
            ctx -> {
              Caller caller = InternalIdentity.requireCaller(ctx);
              ctx.json(
                  new JsonObject()
                      .put("id", caller.accountId())
                      .put("email", caller.email())
                      .put("roles", new JsonArray(caller.roles().stream().sorted().toList()))
                      .put("body", ctx.body().asString()));
            });
    router.route().failureHandler(ProblemHandler::handle);
    return vertx.createHttpServer().requestHandler(router).listen(0).map(s -> s.actualPort());
  }
}
