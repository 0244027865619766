package dev.storefront.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EcKeysTest {

  @Test
  void theDerivedPublicKeyIsTheGeneratedOne() {
    EcKeys.SigningKey generated = EcKeys.generate();

    EcKeys.SigningKey reloaded = EcKeys.fromPrivatePem(generated.privatePem(), null);

    assertThat(reloaded.publicPem()).isEqualTo(generated.publicPem());
    assertThat(reloaded.kid()).isEqualTo(generated.kid());
  }

  @Test
  void aConfiguredKeyIdWinsOverTheThumbprint() {
    EcKeys.SigningKey generated = EcKeys.generate();

    assertThat(EcKeys.fromPrivatePem(generated.privatePem(), "2025-01").kid()).isEqualTo("2025-01");
  }

  @Test
  void pemsWithEscapedLineBreaksFromEnvironmentVariablesAreRead() {
    EcKeys.SigningKey generated = EcKeys.generate();
    String escaped = generated.publicPem().replace("\n", "\\n");

    assertThat(EcKeys.publicKeys(escaped + generated.publicPem()))
        .extracting(EcKeys.VerificationKey::kid)
        .containsExactly(generated.kid(), generated.kid());
  }

  @Test
  void aPrivateKeyWhereAPublicOneBelongsIsRefused() {
    EcKeys.SigningKey generated = EcKeys.generate();

    assertThatThrownBy(() -> EcKeys.publicKeys(generated.privatePem()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theJwkCarriesBothCoordinatesAtFullLength() {
    EcKeys.SigningKey key = EcKeys.generate();

    JsonObject jwk = EcKeys.jwk(key.kid(), key.publicPem());

    assertThat(jwk.getString("kty")).isEqualTo("EC");
    assertThat(jwk.getString("crv")).isEqualTo("P-256");
    assertThat(jwk.getString("alg")).isEqualTo("ES256");
    assertThat(jwk.getString("kid")).isEqualTo(key.kid());
    assertThat(Base64.getUrlDecoder().decode(jwk.getString("x"))).hasSize(32);
    assertThat(Base64.getUrlDecoder().decode(jwk.getString("y"))).hasSize(32);
    assertThat(jwk.containsKey("d")).isFalse();
  }

  @Test
  void theSigningKeyNeverPrintsItsPrivateHalf() {
    EcKeys.SigningKey key = EcKeys.generate();

    assertThat(key.toString()).doesNotContain("PRIVATE").contains(key.kid());
  }
}
