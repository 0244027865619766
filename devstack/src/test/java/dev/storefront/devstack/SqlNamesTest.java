package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlNamesTest {

  @Test
  void quotesEveryNameSoReservedWordsWork() {
    assertThat(SqlNames.quote("order")).isEqualTo("\"order\"");
    assertThat(SqlNames.quote("catalog")).isEqualTo("\"catalog\"");
  }

  @Test
  void doublesEmbeddedQuotes() {
    assertThat(SqlNames.quote("a\"; DROP TABLE x; --")).isEqualTo("\"a\"\"; DROP TABLE x; --\"");
  }

  @Test
  void rejectsNamesPostgresWouldMangle() {
    assertThatThrownBy(() -> SqlNames.quote("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlNames.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlNames.quote("x".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 63 bytes");
    assertThat(SqlNames.quote("x".repeat(63))).hasSize(65);
  }
}
