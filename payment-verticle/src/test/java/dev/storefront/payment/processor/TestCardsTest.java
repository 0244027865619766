package dev.storefront.payment.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestCardsTest {

  @Test
  void everyDocumentedTestCardLooksValid() {
    assertThat(
            java.util.List.of(
                TestCards.APPROVED,
                TestCards.DECLINED,
                TestCards.INSUFFICIENT_FUNDS,
                TestCards.PROCESSOR_ERROR,
                TestCards.SLOW))
        .allMatch(TestCards::looksValid);
  }

  @Test
  void numbersWithAWrongCheckDigitOrLengthOrCharactersDoNot() {
    assertThat(TestCards.looksValid("4242424242424241")).isFalse();
    assertThat(TestCards.looksValid("42424242424")).isFalse();
    assertThat(TestCards.looksValid("42424242424242424242")).isFalse();
    assertThat(TestCards.looksValid("4242-4242-4242-4242")).isFalse();
    assertThat(TestCards.looksValid(null)).isFalse();
  }

  @Test
  void onlyTheLastFourDigitsAreKept() {
    assertThat(TestCards.lastFour(TestCards.APPROVED)).isEqualTo("4242");
    assertThat(TestCards.lastFour("123")).isEmpty();
  }
}
