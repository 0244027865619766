package dev.storefront.order.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckoutRequestTest {

  private static final String KEY = "5b0e6a52-3c7e-4f0c-9f57-1f3d2c9a7e10";

  private static Buffer body(String json) {
    return Buffer.buffer(json);
  }

  @Test
  void aWellFormedRequestYieldsItsKeyCardAndHash() {
    CheckoutRequest request =
        CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"4242424242424242\"}"));

    assertThat(request.idempotencyKey()).isEqualTo(KEY);
    assertThat(request.paymentToken()).isEqualTo("4242424242424242");
    assertThat(request.requestHash()).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void theHashIgnoresFormattingAndKeyOrder() {
    String compact = "{\"paymentToken\":\"4242424242424242\",\"note\":{\"a\":1,\"b\":[2,3]}}";
    String spaced =
        "{ \"note\" : { \"b\" : [2, 3], \"a\" : 1 },\n  \"paymentToken\" : \"4242424242424242\" }";

    assertThat(CheckoutRequest.parse(KEY, body(spaced)).requestHash())
        .isEqualTo(CheckoutRequest.parse(KEY, body(compact)).requestHash());
  }

  @Test
  void aDifferentBodyHasADifferentHash() {
    String first =
        CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"4242424242424242\"}")).requestHash();
    String second =
        CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"4000000000000002\"}")).requestHash();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void theHashIsSha256OfTheCanonicalForm() {
    // printf '%s' '{"paymentToken":"4242424242424242"}' | sha256sum
    assertThat(
            CheckoutRequest.parse(KEY, body("{ \"paymentToken\": \"4242424242424242\" }"))
                .requestHash())
        .isEqualTo("fa9187535bfb73bda23425d11af0b48d4c8560b02b27e1baf177ce1554718c0a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "has a space in it", "tab\tinside-key", "ünïcödé-key-1"})
  void aMissingOrMalformedKeyIs400(String key) {
    assertProblem(
        () -> CheckoutRequest.parse(key, body("{\"paymentToken\":\"4242424242424242\"}")));
  }

  @Test
  void anAbsentKeyIs400AndSaysTheHeaderIsRequired() {
    assertThatThrownBy(
            () -> CheckoutRequest.parse(null, body("{\"paymentToken\":\"4242424242424242\"}")))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("Idempotency-Key header is required");
  }

  @Test
  void keysOfEightAndOf128VisibleCharactersAreAccepted() {
    String json = "{\"paymentToken\":\"4242424242424242\"}";
    assertThat(CheckoutRequest.parse("!~abcdef", body(json)).idempotencyKey()).hasSize(8);
    assertThat(CheckoutRequest.parse("k".repeat(128), body(json)).idempotencyKey()).hasSize(128);
    assertProblem(() -> CheckoutRequest.parse("k".repeat(129), body(json)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "\"4242424242424242\"",
        "{}",
        "{\"paymentToken\":4242424242424242}",
        "{\"paymentToken\":null}",
        "{\"paymentToken\":\"42424242424\"}",
        "{\"paymentToken\":\"42424242424242424242\"}",
        "{\"paymentToken\":\"4242 4242 4242 4242\"}",
        "{\"paymentToken\":\"4242x24242424242\"}"
      })
  void aBodyWithoutACardNumberOf12To19DigitsIs400(String json) {
    assertProblem(() -> CheckoutRequest.parse(KEY, body(json)));
  }

  @Test
  void cardNumbersOf12And19DigitsAreAccepted() {
    assertThat(
            CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"424242424242\"}")).paymentToken())
        .hasSize(12);
    assertThat(
            CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"4242424242424242424\"}"))
                .paymentToken())
        .hasSize(19);
  }

  private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(400));
  }
}
