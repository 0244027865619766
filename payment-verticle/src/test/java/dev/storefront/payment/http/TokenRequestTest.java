package dev.storefront.payment.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import dev.storefront.payment.model.Card;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class TokenRequestTest {

  private static final YearMonth NOW = YearMonth.of(2026, 12);

  private static Buffer body(String number, Object month, Object year, Object cvc) {
    return new JsonObject()
        .put("number", number)
        .put("expMonth", month)
        .put("expYear", year)
        .put("cvc", cvc)
        .toBuffer();
  }

  private static ProblemException problem(Buffer body) {
    try {
      TokenRequest.parse(body, NOW);
    } catch (ProblemException e) {
      assertThat(e.detail()).doesNotContain("4242424242424242").doesNotContain("4000");
      return e;
    }
    throw new AssertionError("no problem for " + body);
  }

  @Test
  void aCardAsPeopleTypeIt() {
    Card card = TokenRequest.parse(body("4242 4242-4242 4242", 12, 2026, "123"), NOW);
    assertThat(card.number()).isEqualTo("4242424242424242");
    assertThat(card.brand()).isEqualTo("visa");
    assertThat(card.lastFour()).isEqualTo("4242");
    assertThat(card.toString()).doesNotContain("4242424242424242");
    assertThat(TokenRequest.parse(body("5555555555554444", 1, 2030, "1234"), NOW).brand())
        .isEqualTo("mastercard");
    assertThat(TokenRequest.parse(body("378282246310005", 1, 2030, "1234"), NOW).brand())
        .isEqualTo("amex");
  }

  @Test
  void aWrongCheckDigitOrAnExpiredCardIs422() {
    ProblemException luhn = problem(body("4242424242424241", 12, 2030, "123"));
    assertThat(luhn.status()).isEqualTo(422);
    assertThat(luhn.type()).isEqualTo(TokenRequest.INVALID_CARD);

    ProblemException expired = problem(body("4242424242424242", 11, 2026, "123"));
    assertThat(expired.status()).isEqualTo(422);
    assertThat(expired.type()).isEqualTo(TokenRequest.CARD_EXPIRED);
    assertThat(problem(body("4242424242424242", 1, 2099, "123")).status()).isEqualTo(422);
  }

  @Test
  void aBodyNotShapedLikeACardIs400() {
    assertThat(problem(Buffer.buffer()).status()).isEqualTo(400);
    assertThat(problem(Buffer.buffer("[1]")).status()).isEqualTo(400);
    assertThat(problem(Buffer.buffer("{")).status()).isEqualTo(400);
    assertThat(problem(body("42424242", 12, 2030, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242x24242424242", 12, 2030, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", 0, 2030, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", "12", 2030, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", 12.5, 2030, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", 12, 30, "123")).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", 12, 2030, 123)).status()).isEqualTo(400);
    assertThat(problem(body("4242424242424242", 12, 2030, "12")).status()).isEqualTo(400);
    assertThatThrownBy(
            () ->
                TokenRequest.parse(
                    new JsonObject().put("number", 4242424242424242L).toBuffer(), NOW))
        .isInstanceOf(ProblemException.class);
  }
}
