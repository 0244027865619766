package dev.storefront.payment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CardVaultTest {

  private static String key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private final CardVault vault = CardVault.of("PAYMENT_CARD_KEY", key());

  @Test
  void aSealedCardOpensForItsTokenOnly() {
    byte[] sealed = vault.seal("tok_a", "4242424242424242");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("4242");
    assertThat(vault.open("tok_a", vault.keyId(), sealed)).isEqualTo("4242424242424242");
    // Copied to another token's row, it does not open.
    assertThatThrownBy(() -> vault.open("tok_b", vault.keyId(), sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("4242");
  }

  @Test
  void theSameCardSealsDifferentlyEachTime() {
    assertThat(vault.seal("tok_a", "4242424242424242"))
        .isNotEqualTo(vault.seal("tok_a", "4242424242424242"));
  }

  @Test
  void anotherKeyCannotOpenIt() {
    CardVault other = CardVault.of("PAYMENT_CARD_KEY", key());
    byte[] sealed = vault.seal("tok_a", "4242424242424242");

    assertThat(other.keyId()).isNotEqualTo(vault.keyId());
    assertThatThrownBy(() -> other.open("tok_a", vault.keyId(), sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not the configured one");
  }

  @Test
  void theKeyMustBeGivenAs256BitsOfBase64() {
    assertThatThrownBy(() -> CardVault.of("PAYMENT_CARD_KEY", null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PAYMENT_CARD_KEY is required");
    assertThatThrownBy(() -> CardVault.of("PAYMENT_CARD_KEY", "not base64!"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () ->
                CardVault.of("PAYMENT_CARD_KEY", Base64.getEncoder().encodeToString(new byte[16])))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("32 bytes");
  }
}
