package dev.storefront.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signing and verification, and the forgeries verification must refuse. */
@ExtendWith(VertxExtension.class)
class TokenVerifierTest {

  private static final String ISSUER = "storefront";

  private EcKeys.SigningKey key;
  private TokenSigner signer;
  private TokenVerifier verifier;

  @BeforeEach
  void keys(Vertx vertx) {
    key = EcKeys.generate();
    signer = new TokenSigner(vertx, key, ISSUER, null);
    verifier = new TokenVerifier(vertx, List.of(key.verification()), ISSUER, null);
  }

  @Test
  void aTokenItSignedVerifiesWithItsClaims(VertxTestContext ctx) {
    String token =
        signer.sign(
            new JsonObject().put("sub", "a-1").put("roles", new JsonArray().add("customer")),
            Duration.ofMinutes(15));

    verifier
        .verify(token)
        .onComplete(
            ctx.succeeding(
                claims ->
                    ctx.verify(
                        () -> {
                          assertThat(TokenVerifier.header(token).getString("kid"))
                              .isEqualTo(key.kid());
                          assertThat(TokenVerifier.header(token).getString("alg"))
                              .isEqualTo("ES256");
                          assertThat(claims.getString("sub")).isEqualTo("a-1");
                          assertThat(claims.getString("iss")).isEqualTo(ISSUER);
                          assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aHandMadeTokenWithTheRightKeyVerifies(VertxTestContext ctx) {
    // The control for the forgeries below: they fail for what was changed, not for how they are
    // made.
    verifier
        .verify(JwtForge.es256(header(key.kid()), validClaims(), key))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTokenFromAnotherKeyIsRefused(VertxTestContext ctx) {
    EcKeys.SigningKey other = EcKeys.generate();
    // Same kid as the real key, so only the signature can tell.
    String token = JwtForge.es256(header(key.kid()), validClaims(), other);

    refused(ctx, verifier.verify(token));
  }

  @Test
  void algNoneIsRefused(VertxTestContext ctx) {
    String token =
        JwtForge.unsigned(new JsonObject().put("alg", "none").put("kid", key.kid()), validClaims());

    refused(ctx, verifier.verify(token));
  }

  @Test
  void hmacWithThePublicKeyAsSecretIsRefused(VertxTestContext ctx) throws Exception {
    JsonObject header =
        new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", key.kid());
    String input = JwtForge.segment(header) + "." + JwtForge.segment(validClaims());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.publicPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String token =
        input
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

    refused(ctx, verifier.verify(token));
  }

  @Test
  void anExpiredTokenIsRefused(VertxTestContext ctx) {
    long now = JwtForge.now();
    JsonObject claims = validClaims().put("iat", now - 120).put("exp", now - 60);

    refused(ctx, verifier.verify(JwtForge.es256(header(key.kid()), claims, key)));
  }

  @Test
  void anExpiredTokenIsRefusedBeforeItsSignatureIsChecked(VertxTestContext ctx) {
    long now = JwtForge.now();
    JsonObject claims = validClaims().put("iat", now - 120).put("exp", now - 60);
    // Signed by another key: were the signature checked first, that would be the refusal.
    String token = JwtForge.es256(header(key.kid()), claims, EcKeys.generate());

    verifier
        .verify(token)
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e)
                              .isInstanceOf(InvalidTokenException.class)
                              .hasMessageContaining("expired");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aTokenWithinTheLeewayAfterItsExpiryIsNotRefusedEarly() {
    long now = JwtForge.now();
    String token =
        JwtForge.es256(header(key.kid()), validClaims().put("iat", now - 60).put("exp", now), key);

    assertThat(TokenVerifier.expired(token, now * 1000)).isFalse();
    assertThat(TokenVerifier.expired(token, (now + TokenVerifier.LEEWAY_SECONDS) * 1000 + 1))
        .isTrue();
    assertThat(TokenVerifier.expired("not.a.token", now * 1000)).isFalse();
  }

  @Test
  void aTokenWithoutExpiryIsRefused(VertxTestContext ctx) {
    JsonObject claims = validClaims();
    claims.remove("exp");

    refused(ctx, verifier.verify(JwtForge.es256(header(key.kid()), claims, key)));
  }

  @Test
  void anEditedPayloadIsRefused(VertxTestContext ctx) {
    String token =
        signer.sign(
            new JsonObject().put("sub", "a-1").put("roles", new JsonArray().add("customer")),
            Duration.ofMinutes(15));
    JsonObject promoted = JwtForge.claims(token).put("roles", new JsonArray().add("admin"));

    refused(ctx, verifier.verify(JwtForge.withClaims(token, promoted)));
  }

  @Test
  void anotherIssuerIsRefused(VertxTestContext ctx) {
    refused(
        ctx,
        verifier.verify(JwtForge.es256(header(key.kid()), validClaims().put("iss", "evil"), key)));
  }

  @Test
  void anUnknownKeyIdIsReportedAsSuch(VertxTestContext ctx) {
    verifier
        .verify(JwtForge.es256(header("someone-else"), validClaims(), key))
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e).isInstanceOf(UnknownKeyException.class);
                          ctx.completeNow();
                        })));
  }

  @Test
  void everyTokenItSignsIsInTheOneEncoding() {
    // Half of the JCA's signatures are high-S; forty tokens all low-S is no accident.
    for (int i = 0; i < 40; i++) {
      String token = signer.sign(new JsonObject().put("sub", "a-" + i), Duration.ofMinutes(1));
      CompactJws.check(token);
    }
  }

  @Test
  void aHighSTwinOfAGoodTokenIsRefused(VertxTestContext ctx) {
    refused(ctx, verifier.verify(CompactJwsTest.highS(goodToken())));
  }

  @Test
  void aDerSignedTwinOfAGoodTokenIsRefused(VertxTestContext ctx) {
    refused(ctx, verifier.verify(CompactJwsTest.der(goodToken())));
  }

  @Test
  void aGoodTokenWithATrailingDotIsRefused(VertxTestContext ctx) {
    refused(ctx, verifier.verify(goodToken() + "."));
  }

  @Test
  void aGoodTokenWithPaddingIsRefused(VertxTestContext ctx) {
    refused(ctx, verifier.verify(goodToken() + "=="));
  }

  @Test
  void aGoodTokenInTheStandardAlphabetIsRefused(VertxTestContext ctx) {
    String token = goodToken();
    // Signed again until the token has a character the two alphabets spell differently.
    while (token.indexOf('-') < 0 && token.indexOf('_') < 0) {
      token = goodToken();
    }
    refused(ctx, verifier.verify(token.replace('-', '+').replace('_', '/')));
  }

  private String goodToken() {
    return signer.sign(new JsonObject().put("sub", "a-1"), Duration.ofMinutes(15));
  }

  @Test
  void garbageIsRefused(VertxTestContext ctx) {
    refused(ctx, verifier.verify("not.a.token"));
  }

  private static void refused(VertxTestContext ctx, Future<JsonObject> verification) {
    verification.onComplete(
        ctx.failing(
            e ->
                ctx.verify(
                    () -> {
                      assertThat(e).isInstanceOf(InvalidTokenException.class);
                      ctx.completeNow();
                    })));
  }

  static JsonObject header(String kid) {
    return new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid);
  }

  private static JsonObject validClaims() {
    long now = JwtForge.now();
    return new JsonObject()
        .put("sub", "a-1")
        .put("iss", ISSUER)
        .put("roles", new JsonArray().add("customer"))
        .put("iat", now)
        .put("exp", now + 600);
  }
}
