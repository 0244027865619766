package dev.storefront.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The one encoding: what it lets through and what it refuses, each form made from a valid token.
 */
class CompactJwsTest {

  private final EcKeys.SigningKey key = EcKeys.generate();

  @Test
  void aForgedTokenIsCanonical() {
    assertThatCode(() -> CompactJws.check(token())).doesNotThrowAnyException();
  }

  @Test
  void lowSLeavesALowSignatureAloneAndFlipsAHighOne() {
    String token = token();
    assertThat(CompactJws.lowS(token)).isEqualTo(token);

    String high = highS(token);
    assertThat(high).isNotEqualTo(token);
    assertThat(CompactJws.lowS(high)).isEqualTo(token);
  }

  @Test
  void aTrailingDotIsRefused() {
    refused(token() + ".", "three segments");
  }

  @Test
  void aFourthSegmentIsRefused() {
    refused(token() + ".e30", "three segments");
  }

  @Test
  void anEmptySegmentIsRefused() {
    String[] parts = token().split("\\.");
    refused("." + parts[1] + "." + parts[2], "three segments");
    refused(parts[0] + ".." + parts[2], "base64url");
  }

  @Test
  void paddingIsRefused() {
    String token = token();
    // 64 bytes take 86 characters, which standard base64 pads with "==".
    refused(token + "==", "base64url");
    refused(token + "=", "base64url");
  }

  @Test
  void charactersOutsideBase64UrlAreRefused() {
    String token = token();
    int dot = token.lastIndexOf('.');
    for (String other : new String[] {"+", "/", " ", "\n", "%", "é"}) {
      refused(token.substring(0, dot + 5) + other + token.substring(dot + 6), "base64url");
    }
    refused(" " + token, "base64url");
  }

  @Test
  void unusedBitsInTheLastCharacterAreRefused() {
    String token = token();
    char last = token.charAt(token.length() - 1);
    // 86 characters carry 516 bits for 512: the last character's low four bits must be zero. Java's
    // decoder ignores them, so this spells the same bytes.
    String other = token.substring(0, token.length() - 1) + bump(last);
    assertThat(Base64.getUrlDecoder().decode(other.substring(other.lastIndexOf('.') + 1)))
        .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
    refused(other, "base64url");
  }

  @Test
  void aDerSignatureIsRefused() {
    refused(der(token()), "64 bytes");
  }

  @Test
  void aHighSSignatureIsRefused() {
    refused(highS(token()), "low-S");
  }

  @Test
  void aSignatureOfZeroesIsRefused() {
    String token = token();
    String zeroes = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
    refused(token.substring(0, token.lastIndexOf('.') + 1) + zeroes, "out of range");
  }

  /** A fresh token signed by {@link JwtForge}, which writes low-S signatures. */
  private String token() {
    return JwtForge.es256(
        TokenVerifierTest.header(key.kid()),
        new JsonObject().put("sub", "a-1").put("exp", JwtForge.now() + 600),
        key);
  }

  private static void refused(String token, String why) {
    assertThatThrownBy(() -> CompactJws.check(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(why);
  }

  private static char bump(char last) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return alphabet.charAt(alphabet.indexOf(last) | 1);
  }

  /** {@code token} with (R, n − S) for (R, S): the same signature to the JCA. */
  static String highS(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte[] flipped = Arrays.copyOf(signature, 64);
    System.arraycopy(CompactJws.unsigned32(CompactJws.P256_ORDER.subtract(s)), 0, flipped, 32, 32);
    return token.substring(0, dot + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
  }

  /** {@code token} with its signature as the JCA writes it: a DER SEQUENCE of two INTEGERs. */
  static String der(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
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
    return token.substring(0, dot + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(der);
  }
}
