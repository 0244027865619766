package dev.storefront.order.http;

import dev.storefront.common.http.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A checkout as the caller asked for it: the {@code Idempotency-Key} header (8 to 128 visible ASCII
 * characters) and the body {@code {"paymentToken": "tok_..."}}, a token from {@code POST
 * /api/payments/tokens}, with the hash of the body in canonical form (keys sorted at every level,
 * no white space), so that the same request sent again, however formatted, is recognised and a
 * different one under the same key is not mistaken for it. A card number in place of the token is
 * refused before anything is stored or logged.
 */
public record CheckoutRequest(String idempotencyKey, String paymentToken, String requestHash) {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Pattern KEY = Pattern.compile("[!-~]{8,128}");
  private static final Pattern TOKEN = Pattern.compile("tok_[A-Za-z0-9_-]{16,64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9 -]{12,}");

  /** Fails with a 400 problem when the key or the body is not what checkout takes. */
  public static CheckoutRequest parse(String idempotencyKey, Buffer body) {
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      throw Problems.of(400, "The Idempotency-Key header is required: a value unique per checkout");
    }
    if (!KEY.matcher(idempotencyKey).matches()) {
      throw Problems.of(
          400, "The Idempotency-Key must be 8 to 128 visible ASCII characters without spaces");
    }
    if (body == null || body.length() == 0) {
      throw Problems.of(
          400, "The request needs a JSON body such as {\"paymentToken\": \"tok_...\"}");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problems.of(400, "The request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw Problems.of(400, "The request body must be a JSON object");
    }
    Object value = json.getValue("paymentToken");
    if (!(value instanceof String token)) {
      throw Problems.of(
          400, "paymentToken is required: a payment token from POST /api/payments/tokens");
    }
    if (DIGITS.matcher(token).matches()) {
      throw Problems.of(
          400,
          "paymentToken must be a payment token from POST /api/payments/tokens, never a card"
              + " number");
    }
    if (!TOKEN.matcher(token).matches()) {
      throw Problems.of(
          400, "paymentToken must be a payment token (tok_ and 16 to 64 letters, digits, _ or -)");
    }
    return new CheckoutRequest(idempotencyKey, token, hash(json));
  }

  /** SHA-256, in hex, of the canonical form of {@code json}. */
  static String hash(JsonObject json) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Json.encode(canonical(json)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Objects become maps sorted by key, at every level; everything else stays as it is. */
  static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      return sorted;
    }
    if (value instanceof JsonArray array) {
      return array.stream().map(CheckoutRequest::canonical).toList();
    }
    return value;
  }
}
