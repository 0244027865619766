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
  void aWellFormedRequestYieldsItsKeyTokenAndHash() {
    CheckoutRequest request =
        CheckoutRequest.parse(
            KEY, body("{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}"));

    assertThat(request.idempotencyKey()).isEqualTo(KEY);
    assertThat(request.paymentToken()).isEqualTo("tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa");
    assertThat(request.requestHash()).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void theHashIgnoresFormattingAndKeyOrder() {
    String compact =
        "{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\",\"note\":{\"a\":1,\"b\":[2,3]}}";
    String spaced =
        "{ \"note\" : { \"b\" : [2, 3], \"a\" : 1 },\n  \"paymentToken\" : \"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\" }";

    assertThat(CheckoutRequest.parse(KEY, body(spaced)).requestHash())
        .isEqualTo(CheckoutRequest.parse(KEY, body(compact)).requestHash());
  }

  @Test
  void aDifferentBodyHasADifferentHash() {
    String first =
        CheckoutRequest.parse(
                KEY, body("{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}"))
            .requestHash();
    String second =
        CheckoutRequest.parse(
                KEY, body("{\"paymentToken\":\"tok_Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF\"}"))
            .requestHash();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void theHashIsSha256OfTheCanonicalForm() {
    // printf '%s' '{"paymentToken":"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa"}' | sha256sum
    assertThat(
            CheckoutRequest.parse(
                    KEY, body("{ \"paymentToken\": \"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\" }"))
                .requestHash())
        .isEqualTo("2971618212743e9052f4d175bf565e2cff6d28c38cb35430abd38867542d1e47");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "has a space in it", "tab\tinside-key", "ünïcödé-key-1"})
  void aMissingOrMalformedKeyIs400(String key) {
    assertProblem(
        () ->
            CheckoutRequest.parse(
                key, body("{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}")));
  }

  @Test
  void anAbsentKeyIs400AndSaysTheHeaderIsRequired() {
    assertThatThrownBy(
            () ->
                CheckoutRequest.parse(
                    null, body("{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}")))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("Idempotency-Key header is required");
  }

  @Test
  void keysOfEightAndOf128VisibleCharactersAreAccepted() {
    String json = "{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}";
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
        "{\"paymentToken\":\"tok_short\"}",
        "{\"paymentToken\":\"tok_has a space in it_0123\"}",
        "{\"paymentToken\":\"card_0123456789abcdef0123\"}",
        "{\"paymentToken\":\"tok_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"
      })
  void aBodyWithoutAPaymentTokenIs400(String json) {
    assertProblem(() -> CheckoutRequest.parse(KEY, body(json)));
  }

  @Test
  void tokensOf16And64CharactersAfterThePrefixAreAccepted() {
    String shortest = "tok_" + "a".repeat(16);
    String longest = "tok_" + "A_-9".repeat(16);
    assertThat(
            CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"" + shortest + "\"}"))
                .paymentToken())
        .isEqualTo(shortest);
    assertThat(
            CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"" + longest + "\"}"))
                .paymentToken())
        .isEqualTo(longest);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"4242424242424242", "424242424242", "4242 4242 4242 4242", "4000-0000-0000-0002"})
  void aCardNumberIsRefusedWithoutRepeatingIt(String card) {
    assertThatThrownBy(
            () -> CheckoutRequest.parse(KEY, body("{\"paymentToken\":\"" + card + "\"}")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.detail()).contains("never a card number").doesNotContain(card);
            });
  }

  private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(400));
  }
}
