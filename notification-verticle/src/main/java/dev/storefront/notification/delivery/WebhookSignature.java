package dev.storefront.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request proves where it came from and when. The sender puts the Unix time in
 * seconds in {@value #TIMESTAMP_HEADER} and {@code v1=<hex>} in {@value #SIGNATURE_HEADER}, where
 * {@code <hex>} is the lowercase hex HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes,
 * {@code whsec_} included), of {@code "<timestamp>.<raw body>"}. A receiver recomputes it over the
 * body bytes exactly as received, compares in constant time, and rejects a timestamp more than
 * {@link #TOLERANCE} away from its clock, so that a captured request cannot be replayed later.
 */
public final class WebhookSignature {

  public static final String ID_HEADER = "Storefront-Webhook-Id";
  public static final String TIMESTAMP_HEADER = "Storefront-Webhook-Timestamp";
  public static final String SIGNATURE_HEADER = "Storefront-Signature";
  public static final String SECRET_PREFIX = "whsec_";
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String VERSION = "v1=";
  private static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new secret: {@code whsec_} and 32 random bytes in unpadded base64url. */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code timestamp}. */
  public static String sign(String secret, long timestamp, String body) {
    return VERSION + HexFormat.of().formatHex(mac(secret, timestamp, body));
  }

  /**
   * True when {@code signatureHeader} holds a valid {@code v1} signature of {@code body} at {@code
   * timestampHeader}, and that timestamp is within {@link #TOLERANCE} of {@code nowSeconds}. The
   * header may list several signatures separated by commas (a receiver rotating its secret checks
   * each of its secrets in turn).
   */
  public static boolean verify(
      String secret, String signatureHeader, String timestampHeader, String body, long nowSeconds) {
    if (secret == null || signatureHeader == null || timestampHeader == null || body == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - timestamp) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected = mac(secret, timestamp, body);
    boolean valid = false;
    for (String part : signatureHeader.split(",")) {
      String candidate = part.trim();
      if (!candidate.startsWith(VERSION)) {
        continue;
      }
      byte[] given;
      try {
        given = HexFormat.of().parseHex(candidate.substring(VERSION.length()));
      } catch (IllegalArgumentException e) {
        continue;
      }
      // Constant time, and no early exit across candidates either.
      valid |= MessageDigest.isEqual(expected, given);
    }
    return valid;
  }

  private static byte[] mac(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
