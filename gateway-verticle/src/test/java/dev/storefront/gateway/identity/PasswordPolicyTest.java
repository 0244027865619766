package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

  @Test
  void aLongEnoughPasswordPasses() {
    assertThatCode(() -> PasswordPolicy.checkPassword("correct horse", "a@example.com"))
        .doesNotThrowAnyException();
  }

  @Test
  void nineCharactersAreTooFew() {
    rejected(() -> PasswordPolicy.checkPassword("abcdefghi", "a@example.com"), "at least 10");
  }

  @Test
  void tenCharactersAreEnough() {
    assertThatCode(() -> PasswordPolicy.checkPassword("abcdefghij", "a@example.com"))
        .doesNotThrowAnyException();
  }

  @Test
  void moreThan128AreTooMany() {
    rejected(
        () -> PasswordPolicy.checkPassword("ab".repeat(64) + "c", "a@example.com"), "at most 128");
  }

  @Test
  void charactersAreCodePointsNotUtf16Units() {
    // Ten emoji are ten characters to a person, twenty chars to Java.
    assertThatCode(() -> PasswordPolicy.checkPassword("😀😁😂🤣😃😄😅😆😉😊", "a@example.com"))
        .doesNotThrowAnyException();
  }

  @Test
  void oneRepeatedCharacterIsRefused() {
    rejected(() -> PasswordPolicy.checkPassword("aaaaaaaaaaaa", "a@example.com"), "repeated");
  }

  @Test
  void theAddressAsPasswordIsRefused() {
    rejected(
        () -> PasswordPolicy.checkPassword("Alice@Example.com", "alice@example.com"), "e-mail");
  }

  @Test
  void aMissingPasswordIsRefused() {
    rejected(() -> PasswordPolicy.checkPassword(null, "a@example.com"), "required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "a@b",
        "@example.com",
        "a@@example.com",
        "a b@example.com",
        "a@example.",
        "a@.com",
        ""
      })
  void thingsThatAreNotAddressesAreRefused(String email) {
    assertThatThrownBy(() -> PasswordPolicy.checkEmail(email))
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
  }

  @Test
  void anAddressIsTrimmedAndKeepsItsCase() {
    assertThat(PasswordPolicy.checkEmail("  Alice@Example.com ")).isEqualTo("Alice@Example.com");
  }

  @Test
  void anOverlongAddressIsRefused() {
    rejected(
        () -> PasswordPolicy.checkEmail("a".repeat(60) + "@" + "b".repeat(200) + ".com"),
        "at most 254");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b@x.io", "a@x.io\u0000", "a\u0001b@x.io", "a\u0085b@x.io"})
  void controlCharactersInAnAddressAreRefusedAtSignUpAndLogin(String email) {
    rejected(() -> PasswordPolicy.checkEmail(email), "control characters");
    rejected(() -> PasswordPolicy.loginEmail(email), "control characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "correct\u0000horse",
        "correct horse\n",
        "correct\thorse x",
        "\u009bcorrect horse"
      })
  void controlCharactersInAPasswordAreRefusedAtSignUpAndLogin(String password) {
    rejected(() -> PasswordPolicy.checkPassword(password, "a@example.com"), "control characters");
    rejected(() -> PasswordPolicy.checkLoginPassword(password), "control characters");
  }

  @Test
  void halfASurrogatePairIsRefusedInEitherField() {
    rejected(() -> PasswordPolicy.loginEmail("a\ud800b@x.io"), "not valid Unicode");
    rejected(() -> PasswordPolicy.checkPassword("correct horse \udc00", null), "not valid Unicode");
    rejected(() -> PasswordPolicy.checkLoginPassword("\ud83dcorrect horse"), "not valid Unicode");
  }

  @Test
  void aLoginOfAnyPlausibleLengthPasses() {
    assertThat(PasswordPolicy.loginEmail(" not-even-an-address ")).isEqualTo("not-even-an-address");
    assertThatCode(() -> PasswordPolicy.checkLoginPassword("x")).doesNotThrowAnyException();
    assertThatCode(() -> PasswordPolicy.checkLoginPassword("😀".repeat(128)))
        .doesNotThrowAnyException();
  }

  @Test
  void overlongAndMissingLoginFieldsAreRefused() {
    rejected(() -> PasswordPolicy.loginEmail("a".repeat(250) + "@x.io"), "at most 254");
    rejected(() -> PasswordPolicy.checkLoginPassword("x".repeat(129)), "at most 128");
    rejected(() -> PasswordPolicy.loginEmail(null), "required");
    rejected(() -> PasswordPolicy.loginEmail("  "), "required");
    rejected(() -> PasswordPolicy.checkLoginPassword(null), "required");
  }

  private static void rejected(Runnable check, String detailPart) {
    assertThatThrownBy(check::run)
        .isInstanceOf(ProblemException.class)
        .satisfies(
            e -> {
              ProblemException problem = (ProblemException) e;
              assertThat(problem.status()).isEqualTo(400);
              assertThat(problem.detail()).contains(detailPart);
            });
  }
}
