package dev.storefront.common.security;

import dev.storefront.common.security.EcKeys.SigningKey;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;

/**
 * Signs ES256 JWTs with one private key, its id in the {@code kid} header. Holds only the signing
 * key, so every token is signed with the current key even while older keys still verify. Tokens
 * come out in the one encoding {@link CompactJws} describes.
 */
public final class TokenSigner {

  private final JWTAuth auth;
  private final SigningKey key;
  private final String issuer;
  private final List<String> audience;

  public TokenSigner(Vertx vertx, SigningKey key, String issuer, String audience) {
    this.key = key;
    this.issuer = issuer;
    this.audience = audience == null ? List.of() : List.of(audience);
    this.auth =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm(TokenVerifier.ALGORITHM)
                        .setId(key.kid())
                        .setBuffer(key.privatePem())));
  }

  public SigningKey key() {
    return key;
  }

  /** A token with {@code claims} plus {@code iss}, {@code aud}, {@code iat} and {@code exp}. */
  public String sign(JsonObject claims, Duration lifetime) {
    JWTOptions options =
        new JWTOptions()
            .setAlgorithm(TokenVerifier.ALGORITHM)
            .setIssuer(issuer)
            .setExpiresInSeconds((int) lifetime.toSeconds());
    if (!audience.isEmpty()) {
      options.setAudience(audience);
    }
    // The JCA's S is as often high as low; the verifier takes only the low one.
    return CompactJws.lowS(auth.generateToken(claims, options));
  }
}
