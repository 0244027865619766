package dev.storefront.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SECRET = "whsec_dGVzdC1zZWNyZXQ";
  private static final long TIMESTAMP = 1_700_000_000L;
  private static final String BODY = "{\"id\":\"d-1\",\"type\":\"order.confirmed\"}";

  /**
   * Computed independently: {@code printf '%s' '1700000000.{"id":"d-1","type":"order.confirmed"}' |
   * openssl dgst -sha256 -hmac 'whsec_dGVzdC1zZWNyZXQ' -hex}.
   */
  private static final String KNOWN =
      "v1=b41da7d4d7e5f74f636a9ec8338b4dd8af764fec9ad66614b861e0fda9456246";

  @Test
  void signsTheTimestampDotBodyWithHmacSha256InLowercaseHex() {
    assertThat(WebhookSignature.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(KNOWN);
  }

  @Test
  void anEmptyBodyIsSignedToo() {
    // openssl dgst -sha256 -hmac 'whsec_dGVzdC1zZWNyZXQ' over "1700000000."
    assertThat(WebhookSignature.sign(SECRET, TIMESTAMP, ""))
        .isEqualTo("v1=d21633e0c02885a1b1774538513db8b80748362b548fb3fc21f3b7190fc04ba8");
  }

  @Test
  void verifiesItsOwnSignatureWithinFiveMinutes() {
    String header = WebhookSignature.sign(SECRET, TIMESTAMP, BODY);
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY, TIMESTAMP)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY, TIMESTAMP + 300))
        .isTrue();
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY, TIMESTAMP - 300))
        .isTrue();
  }

  @Test
  void rejectsATimestampMoreThanFiveMinutesOffEitherWay() {
    String header = WebhookSignature.sign(SECRET, TIMESTAMP, BODY);
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY, TIMESTAMP + 301))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY, TIMESTAMP - 301))
        .isFalse();
  }

  @Test
  void rejectsAnyChangeToBodyTimestampOrSecret() {
    String header = WebhookSignature.sign(SECRET, TIMESTAMP, BODY);
    assertThat(WebhookSignature.verify(SECRET, header, "1700000000", BODY + " ", TIMESTAMP))
        .isFalse();
    // The same signature presented with another timestamp: a replay with a fresh time.
    assertThat(WebhookSignature.verify(SECRET, header, "1700000001", BODY, TIMESTAMP)).isFalse();
    assertThat(WebhookSignature.verify(SECRET + "x", header, "1700000000", BODY, TIMESTAMP))
        .isFalse();
  }

  @Test
  void rejectsMalformedHeaders() {
    assertThat(WebhookSignature.verify(SECRET, null, "1700000000", BODY, TIMESTAMP)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, KNOWN, null, BODY, TIMESTAMP)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, KNOWN, "soon", BODY, TIMESTAMP)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "v1=zz", "1700000000", BODY, TIMESTAMP)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, KNOWN.substring(3), "1700000000", BODY, TIMESTAMP))
        .as("without its version")
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, "v0=" + KNOWN.substring(3), "1700000000", BODY, 1))
        .isFalse();
  }

  @Test
  void acceptsAHeaderListingSeveralSignaturesWhenOneMatches() {
    String other = WebhookSignature.sign("whsec_other", TIMESTAMP, BODY);
    assertThat(WebhookSignature.verify(SECRET, other + ", " + KNOWN, "1700000000", BODY, TIMESTAMP))
        .isTrue();
    assertThat(WebhookSignature.verify(SECRET, other, "1700000000", BODY, TIMESTAMP)).isFalse();
  }

  @Test
  void newSecretsAreWhsecAnd32RandomBytesInUnpaddedBase64Url() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String secret = WebhookSignature.newSecret();
      assertThat(secret).startsWith("whsec_").matches("whsec_[A-Za-z0-9_-]{43}");
      assertThat(Base64.getUrlDecoder().decode(secret.substring(6))).hasSize(32);
      seen.add(secret);
    }
    assertThat(seen).hasSize(50);
  }
}
