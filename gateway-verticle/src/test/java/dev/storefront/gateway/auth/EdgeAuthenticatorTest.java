package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.ProblemHandler;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.CompactJws;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.gateway.auth.EdgeAuthenticator.Access;
import dev.storefront.gateway.edge.ForwardedForTrust;
import dev.storefront.gateway.edge.LocalBucketStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The edge policy on a real server: the authenticator in front of a stand-in for the proxy that
 * echoes what it would forward.
 */
@ExtendWith(VertxExtension.class)
class EdgeAuthenticatorTest {

  private static final Caller CUSTOMER =
      new Caller("c-1", "carol@example.com", Set.of(Caller.CUSTOMER));
  private static final Caller ADMIN =
      new Caller("a-1", "ada@example.com", Set.of(Caller.CUSTOMER, Caller.ADMIN));

  private TokenIssuer tokens;
  private EcKeys.SigningKey internalKey;
  private WebClient client;
  private int port;

  @BeforeEach
  void serve(Vertx vertx, VertxTestContext ctx) {
    tokens =
        new TokenIssuer(
            vertx, new TokenIssuer.Keys(EcKeys.generate(), List.of(), Duration.ofMinutes(15)));
    internalKey = EcKeys.generate();
    EdgeAuthenticator authenticator =
        new EdgeAuthenticator(tokens, new InternalTokens.Issuer(vertx, internalKey));
    Router router = Router.router(vertx);
    router.route("/api/*").handler(authenticator);
    router
        .route("/api/*")
        .handler(
            c -> {
              JsonObject forwarded = new JsonObject();
              String identity = c.request().getHeader(InternalTokens.HEADER);
              forwarded.put("identity", identity);
              forwarded.put("authorization", c.request().getHeader("Authorization"));
              Caller.of(c).ifPresent(caller -> forwarded.put("caller", caller.accountId()));
              c.json(forwarded);
            });
    router.route().failureHandler(ProblemHandler::handle);
    client = WebClient.create(vertx);
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0)
        .onComplete(
            ctx.succeeding(
                server -> {
                  port = server.actualPort();
                  ctx.completeNow();
                }));
  }

  @Test
  void thePolicyTable() {
    assertThat(EdgeAuthenticator.access(HttpMethod.GET, "/api/cart"))
        .isEqualTo(Access.AUTHENTICATED);
    assertThat(EdgeAuthenticator.access(HttpMethod.PUT, "/api/cart/items/p1"))
        .isEqualTo(Access.AUTHENTICATED);
    assertThat(EdgeAuthenticator.access(HttpMethod.POST, "/api/orders"))
        .isEqualTo(Access.AUTHENTICATED);
    assertThat(EdgeAuthenticator.access(HttpMethod.GET, "/api/notifications/stream"))
        .isEqualTo(Access.AUTHENTICATED);
    assertThat(EdgeAuthenticator.access(HttpMethod.GET, "/api/products/p1"))
        .isEqualTo(Access.PUBLIC);
    assertThat(EdgeAuthenticator.access(HttpMethod.GET, "/api/categories"))
        .isEqualTo(Access.PUBLIC);
    assertThat(EdgeAuthenticator.access(HttpMethod.POST, "/api/products")).isEqualTo(Access.ADMIN);
    assertThat(EdgeAuthenticator.access(HttpMethod.PATCH, "/api/products/p1"))
        .isEqualTo(Access.ADMIN);
    assertThat(EdgeAuthenticator.access(HttpMethod.DELETE, "/api/categories/c1"))
        .isEqualTo(Access.ADMIN);
    assertThat(EdgeAuthenticator.access(HttpMethod.PUT, "/api/categories/c1"))
        .isEqualTo(Access.ADMIN);
    // A look-alike prefix is not the resource.
    assertThat(EdgeAuthenticator.access(HttpMethod.GET, "/api/cartography"))
        .isEqualTo(Access.PUBLIC);
  }

  @Test
  void noTokenOnTheCartIs401WithAChallenge(VertxTestContext ctx) {
    send(HttpMethod.GET, "/api/cart", null)
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(401);
                          assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
                          assertThat(r.getHeader("Content-Type"))
                              .isEqualTo("application/problem+json");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aCustomerCannotWriteProducts(VertxTestContext ctx) {
    send(HttpMethod.POST, "/api/products", token(CUSTOMER))
        .onComplete(ctx.succeeding(r -> status(ctx, r, 403)));
  }

  @Test
  void noTokenOnAnAdminWriteIs401(VertxTestContext ctx) {
    send(HttpMethod.DELETE, "/api/categories/c1", null)
        .onComplete(ctx.succeeding(r -> status(ctx, r, 401)));
  }

  @Test
  void anAdminWritesProductsAndTheServiceGetsAVerifiableIdentity(
      Vertx vertx, VertxTestContext ctx) {
    send(HttpMethod.POST, "/api/products", token(ADMIN))
        .compose(
            r -> {
              ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
              JsonObject forwarded = r.bodyAsJsonObject();
              ctx.verify(
                  () -> {
                    assertThat(forwarded.getString("caller")).isEqualTo("a-1");
                    // The client's token stays at the edge.
                    assertThat(forwarded.getString("authorization")).isNull();
                  });
              return InternalTokens.Verifier.of(vertx, List.of(internalKey.verification()))
                  .verify(forwarded.getString("identity"));
            })
        .onComplete(
            ctx.succeeding(
                caller ->
                    ctx.verify(
                        () -> {
                          assertThat(caller).isEqualTo(ADMIN);
                          ctx.completeNow();
                        })));
  }

  @Test
  void productsAreReadableWithoutAToken(VertxTestContext ctx) {
    send(HttpMethod.GET, "/api/products?page=1", null)
        .onComplete(ctx.succeeding(r -> status(ctx, r, 200)));
  }

  @Test
  void aClientSentIdentityHeaderIsDropped(VertxTestContext ctx) {
    client
        .get(port, "127.0.0.1", "/api/products")
        .putHeader(InternalTokens.HEADER, "forged")
        .send()
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          assertThat(r.bodyAsJsonObject().getString("identity")).isNull();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aTokenFromAnotherGatewayKeyIs401EvenWherePublic(Vertx vertx, VertxTestContext ctx) {
    TokenIssuer stranger =
        new TokenIssuer(
            vertx, new TokenIssuer.Keys(EcKeys.generate(), List.of(), Duration.ofMinutes(15)));
    send(HttpMethod.GET, "/api/products", stranger.issue(ADMIN).token())
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(401);
                          assertThat(r.getHeader("WWW-Authenticate")).contains("invalid_token");
                          ctx.completeNow();
                        })));
  }

  @Test
  void newTokensBeyondTheAddressesBudgetAre429WhileKnownTokensStillPass(
      Vertx vertx, VertxTestContext ctx) {
    TokenChecks twoPerMinute =
        new TokenChecks(
            LocalBucketStore.of(vertx),
            TokenChecks.parse("2/60s"),
            ForwardedForTrust.NONE,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    Router router = Router.router(vertx);
    router
        .route("/api/*")
        .handler(
            new EdgeAuthenticator(
                tokens, new InternalTokens.Issuer(vertx, internalKey), twoPerMinute));
    router.route("/api/*").handler(c -> c.json(new JsonObject()));
    router.route().failureHandler(ProblemHandler::handle);
    String good = token(CUSTOMER);
    String forged = forged(good, "a-2");
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0)
        .compose(
            server -> {
              port = server.actualPort();
              // Two new tokens spend the budget: one good, one forged.
              return send(HttpMethod.GET, "/api/cart", good)
                  .compose(first -> send(HttpMethod.GET, "/api/cart", forged))
                  .compose(
                      second ->
                          send(HttpMethod.GET, "/api/cart", forged(good, "a-3"))
                              .compose(
                                  third ->
                                      send(HttpMethod.GET, "/api/cart", good)
                                          .compose(
                                              again ->
                                                  send(HttpMethod.GET, "/api/cart", forged)
                                                      .map(
                                                          forgedAgain ->
                                                              List.of(
                                                                  second,
                                                                  third,
                                                                  again,
                                                                  forgedAgain)))));
            })
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(answers.get(0).statusCode()).isEqualTo(401);
                          // A third new token: no signature check, a 429 to come back later.
                          assertThat(answers.get(1).statusCode()).isEqualTo(429);
                          assertThat(answers.get(1).getHeader("Retry-After")).isNotBlank();
                          // Tokens already known are answered from memory, budget or not.
                          assertThat(answers.get(2).statusCode()).isEqualTo(200);
                          assertThat(answers.get(3).statusCode()).isEqualTo(401);
                          ctx.completeNow();
                        })));
  }

  /** {@code token} with its subject changed and its signature kept. */
  private static String forged(String token, String subject) {
    String[] parts = token.split("\\.");
    JsonObject claims =
        new JsonObject(
            new String(
                java.util.Base64.getUrlDecoder().decode(parts[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    claims.put("sub", subject);
    return parts[0]
        + "."
        + java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  @Test
  void everyOtherSpellingOfAGoodTokenIs401(VertxTestContext ctx) {
    String good = token(CUSTOMER);
    int dot = good.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(good.substring(dot + 1));
    String head = good.substring(0, dot + 1);
    Map<String, String> twins = new LinkedHashMap<>();
    twins.put("trailing dot", good + ".");
    twins.put("padding", good + "==");
    twins.put("standard alphabet", head + Base64.getEncoder().encodeToString(signature));
    twins.put("space inside", head + " " + good.substring(dot + 1));
    twins.put("high S", head + URL.encodeToString(highS(signature)));
    twins.put("DER signature", head + URL.encodeToString(der(signature)));
    // The good token goes first: the twins fail for their spelling, not for what they say.
    Future<Void> chain =
        send(HttpMethod.GET, "/api/cart", good)
            .map(
                r -> {
                  ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
                  return null;
                });
    for (Map.Entry<String, String> twin : twins.entrySet()) {
      chain =
          chain.compose(
              v ->
                  send(HttpMethod.GET, "/api/cart", twin.getValue())
                      .map(
                          r -> {
                            ctx.verify(
                                () -> assertThat(r.statusCode()).as(twin.getKey()).isEqualTo(401));
                            return null;
                          }));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  /** (R, n − S) for (R, S): a signature the JCA accepts just the same. */
  private static byte[] highS(byte[] signature) {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte[] flipped = Arrays.copyOf(signature, 64);
    byte[] other = CompactJws.P256_ORDER.subtract(s).toByteArray();
    Arrays.fill(flipped, 32, 64, (byte) 0);
    int length = Math.min(other.length, 32);
    System.arraycopy(other, other.length - length, flipped, 64 - length, length);
    return flipped;
  }

  /** R and S as a DER SEQUENCE of two INTEGERs, the JCA's own form. */
  private static byte[] der(byte[] signature) {
    byte[] r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)).toByteArray();
    byte[] der = new byte[6 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (4 + r.length + s.length);
    der[2] = 0x02;
    der[3] = (byte) r.length;
    System.arraycopy(r, 0, der, 4, r.length);
    der[4 + r.length] = 0x02;
    der[5 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, der, 6 + r.length, s.length);
    return der;
  }

  @Test
  void aCustomerReachesTheirCart(VertxTestContext ctx) {
    send(HttpMethod.GET, "/api/cart", token(CUSTOMER))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          assertThat(r.bodyAsJsonObject().getString("caller")).isEqualTo("c-1");
                          assertThat(r.bodyAsJsonObject().getString("identity")).isNotBlank();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aNonBearerAuthorizationIs401(VertxTestContext ctx) {
    client
        .get(port, "127.0.0.1", "/api/cart")
        .putHeader("Authorization", "Basic YTpi")
        .send()
        .onComplete(ctx.succeeding(r -> status(ctx, r, 401)));
  }

  private String token(Caller caller) {
    return tokens.issue(caller).token();
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String uri, String token) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", uri);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send();
  }

  private static void status(VertxTestContext ctx, HttpResponse<Buffer> r, int expected) {
    ctx.verify(
        () -> {
          assertThat(r.statusCode()).isEqualTo(expected);
          ctx.completeNow();
        });
  }
}
