package dev.storefront.common.security;

import dev.storefront.common.security.EcKeys.VerificationKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks ES256 JWTs against a fixed set of public keys with vertx-auth-jwt. Beyond what the library
 * checks (signature, {@code exp}, {@code iat}, issuer, audience), the algorithm is pinned: only
 * {@code ES256} with a {@code kid} this verifier holds is even handed to the library, so {@code
 * alg: none}, HMAC-with-the-public-key confusion and unknown keys never reach a signature check.
 * Tokens without {@code exp} or {@code sub} are refused as well, and so is any token not in the one
 * encoding of {@link CompactJws} (padding, a trailing dot, a DER or high-S signature), however well
 * its signature would check out.
 */
public final class TokenVerifier {

  public static final String ALGORITHM = "ES256";

  /** Clock differences between the processes that issue and check tokens. */
  public static final int LEEWAY_SECONDS = 5;

  private final JWTAuth auth;
  private final Set<String> kids;

  /**
   * @param issuer the required {@code iss}
   * @param audience the required {@code aud}, or null when tokens carry none
   */
  public TokenVerifier(Vertx vertx, List<VerificationKey> keys, String issuer, String audience) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a verifier needs at least one key");
    }
    JWTOptions checks = new JWTOptions().setIssuer(issuer).setLeeway(LEEWAY_SECONDS);
    if (audience != null) {
      checks.addAudience(audience);
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    for (VerificationKey key : keys) {
      options.addPubSecKey(
          new PubSecKeyOptions()
              .setAlgorithm(ALGORITHM)
              .setId(key.kid())
              .setBuffer(key.publicPem()));
    }
    this.auth = JWTAuth.create(vertx, options);
    this.kids = keys.stream().map(VerificationKey::kid).collect(Collectors.toUnmodifiableSet());
  }

  public Set<String> kids() {
    return kids;
  }

  /** The token's claims once it checks out; else a failed future with an InvalidTokenException. */
  public Future<JsonObject> verify(String token) {
    try {
      // Before anything is decoded: one spelling per token, or none is trusted.
      CompactJws.check(token);
      JsonObject header = header(token);
      if (!ALGORITHM.equals(header.getString("alg"))) {
        return Future.failedFuture(new InvalidTokenException("the token is not signed with ES256"));
      }
      String kid = header.getString("kid");
      if (kid == null || !kids.contains(kid)) {
        return Future.failedFuture(new UnknownKeyException(kid));
      }
      // An expired token is refused before its signature is checked: a client retrying with a
      // stale token (or someone replaying one) must not cost an ECDSA verification per request.
      if (expired(token, System.currentTimeMillis())) {
        return Future.failedFuture(new InvalidTokenException("the token has expired"));
      }
    } catch (InvalidTokenException e) {
      return Future.failedFuture(e);
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(
            e -> Future.failedFuture(new InvalidTokenException(String.valueOf(e.getMessage()))))
        .compose(
            user -> {
              JsonObject claims = claims(user);
              if (claims == null || !(claims.getValue("exp") instanceof Number)) {
                return Future.failedFuture(new InvalidTokenException("the token has no expiry"));
              }
              return Future.succeededFuture(claims);
            });
  }

  private static JsonObject claims(User user) {
    return user.attributes().getJsonObject("accessToken");
  }

  /**
   * Whether the token's unverified {@code exp} lies more than the leeway before {@code nowMillis}.
   * Only ever used to refuse early: a token that passes still has its signature and every claim
   * checked, and one whose claims cannot be read is left to that check.
   */
  static boolean expired(String token, long nowMillis) {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    if (first <= 0 || second <= first) {
      return false;
    }
    try {
      Object exp =
          new JsonObject(
                  new String(
                      Base64.getUrlDecoder().decode(token.substring(first + 1, second)),
                      StandardCharsets.UTF_8))
              .getValue("exp");
      return exp instanceof Number number
          && (number.longValue() + LEEWAY_SECONDS) * 1000 < nowMillis;
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return false;
    }
  }

  /** The decoded, unverified JOSE header; only for choosing how to verify. */
  static JsonObject header(String token) {
    if (token == null) {
      throw new InvalidTokenException("no token");
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw new InvalidTokenException("the token is not a JWS");
    }
    try {
      return new JsonObject(
          new String(
              Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new InvalidTokenException("the token header is not valid");
    }
  }
}
