package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InvalidTokenException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the edge remembers about tokens, so that bad ones cost no signature check per request. */
@ExtendWith(VertxExtension.class)
class TokenIssuerTest {

  private static final Caller CUSTOMER = new Caller("a-1", "a@example.com", Set.of("customer"));

  private static TokenIssuer issuer(Vertx vertx, Duration ttl) {
    return new TokenIssuer(vertx, new TokenIssuer.Keys(EcKeys.generate(), List.of(), ttl));
  }

  @Test
  void aRefusedTokenIsAnsweredFromMemoryTheSecondTime(Vertx vertx, VertxTestContext ctx) {
    TokenIssuer tokens = issuer(vertx, Duration.ofMinutes(15));
    String promoted =
        withClaim(tokens.issue(CUSTOMER).token(), "roles", new JsonArray().add("admin"));

    tokens
        .authenticate(promoted)
        .onComplete(
            ctx.failing(
                first ->
                    tokens
                        .authenticate(promoted)
                        .onComplete(
                            ctx.failing(
                                second ->
                                    ctx.verify(
                                        () -> {
                                          assertThat(first)
                                              .isInstanceOf(InvalidTokenException.class);
                                          // The same refusal, not a second verification.
                                          assertThat(second).isSameAs(first);
                                          ctx.completeNow();
                                        })))));
  }

  @Test
  void aGoodTokenStillPassesAfterABadOneWasRefused(Vertx vertx, VertxTestContext ctx) {
    TokenIssuer tokens = issuer(vertx, Duration.ofMinutes(15));
    String good = tokens.issue(CUSTOMER).token();
    String edited = withClaim(good, "sub", "a-2");

    tokens
        .authenticate(edited)
        .onComplete(
            ctx.failing(
                refused ->
                    tokens
                        .authenticate(good)
                        .onComplete(
                            ctx.succeeding(
                                caller ->
                                    ctx.verify(
                                        () -> {
                                          assertThat(caller.accountId()).isEqualTo("a-1");
                                          ctx.completeNow();
                                        })))));
  }

  @Test
  void tokensSharingTheirSignatureAreRememberedApart(Vertx vertx, VertxTestContext ctx) {
    TokenIssuer tokens = issuer(vertx, Duration.ofMinutes(15));
    String good = tokens.issue(CUSTOMER).token();
    // Same signature, so the same hash in the edge's maps: told apart by the whole token.
    String edited = withClaim(good, "sub", "a-2");
    assertThat(TokenIssuer.TokenKey.of(edited)).hasSameHashCodeAs(TokenIssuer.TokenKey.of(good));
    assertThat(TokenIssuer.TokenKey.of(edited)).isNotEqualTo(TokenIssuer.TokenKey.of(good));

    tokens
        .authenticate(good)
        .compose(caller -> tokens.authenticate(edited).transform(ar -> tokens.verify(good)))
        .onComplete(
            ctx.succeeding(
                caller ->
                    ctx.verify(
                        () -> {
                          assertThat(tokens.remembered(good).result().accountId()).isEqualTo("a-1");
                          assertThat(tokens.remembered(edited).failed()).isTrue();
                          assertThat(tokens.remembered(edited).cause())
                              .isInstanceOf(InvalidTokenException.class);
                          ctx.completeNow();
                        })));
  }

  /** The token with one claim changed and its signature kept: a forgery. */
  private static String withClaim(String token, String name, Object value) {
    String[] parts = token.split("\\.");
    JsonObject claims =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put(name, value);
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + payload + "." + parts[2];
  }
}
