package dev.storefront.common.security;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;

/** Hand-made JWTs for tests: any header, any claims, signed with any key or not at all. */
public final class JwtForge {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private JwtForge() {}

  public static String es256(JsonObject header, JsonObject claims, EcKeys.SigningKey key) {
    String input = segment(header) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(EcKeys.privateKey(key.privatePem()));
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      // Low-S, as the project's signer writes them: tests of other forgeries must not fail for S.
      return CompactJws.lowS(input + "." + URL.encodeToString(signature.sign()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String unsigned(JsonObject header, JsonObject claims) {
    return segment(header) + "." + segment(claims) + ".";
  }

  public static String segment(JsonObject json) {
    return URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code token} with its claims replaced and its signature kept. */
  public static String withClaims(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + segment(claims) + "." + parts[2];
  }

  public static JsonObject claims(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
