package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommonPasswordsTest {

  private static final CommonPasswords COMMON = CommonPasswords.load();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "password123",
        "1234567890",
        "qwertyuiop",
        "Password123",
        "QWERTYUIOP",
        "PassWord2024!",
        "iloveyou123",
        "1q2w3e4r5t",
        "storefront123"
      })
  void commonPasswordsAre422WhateverTheirCase(String password) {
    assertThatThrownBy(() -> COMMON.check(password))
        .isInstanceOf(ProblemException.class)
        .satisfies(
            e -> {
              ProblemException problem = (ProblemException) e;
              assertThat(problem.status()).isEqualTo(422);
              assertThat(problem.type()).isEqualTo(CommonPasswords.TYPE);
              assertThat(problem.detail()).contains("common and breached passwords");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"correct horse battery", "plum-ferry-oxide-lantern", "Tr0ub4dor&3xq"})
  void passwordsOffTheListPass(String password) {
    assertThatCode(() -> COMMON.check(password)).doesNotThrowAnyException();
    assertThat(COMMON.contains(password)).isFalse();
  }

  @Test
  void theListIsLargeAndEveryEntryIsOneThePolicyWouldOtherwiseAccept() throws Exception {
    List<String> entries;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getClassLoader().getResourceAsStream(CommonPasswords.RESOURCE),
                StandardCharsets.UTF_8))) {
      entries = in.lines().toList();
    }
    assertThat(entries).hasSizeGreaterThan(5_000);
    assertThat(COMMON.size()).isEqualTo(entries.size());
    for (String entry : entries) {
      // Shorter ones are refused by length already; entries are stored lower-case.
      assertThat(entry.codePointCount(0, entry.length()))
          .as(entry)
          .isGreaterThanOrEqualTo(PasswordPolicy.MIN_PASSWORD);
      assertThat(entry).isEqualTo(entry.toLowerCase(Locale.ROOT));
    }
  }
}
