package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityConfigTest {

  @Test
  void passwordHashingDefaultsToOneThreadPerProcessorAndAQueueOf64() {
    IdentityConfig config = IdentityConfig.from(Env.of(Map.of()));
    assertThat(config.passwordHashThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.passwordHashQueue()).isEqualTo(64);
  }

  @Test
  void passwordHashingIsConfigurable() {
    IdentityConfig config =
        IdentityConfig.from(
            Env.of(Map.of("PASSWORD_HASH_THREADS", "3", "PASSWORD_HASH_QUEUE", "10")));
    assertThat(config.passwordHashThreads()).isEqualTo(3);
    assertThat(config.passwordHashQueue()).isEqualTo(10);
  }

  @Test
  void passwordHashingNeedsAThreadAndAPlace() {
    assertThatThrownBy(() -> IdentityConfig.from(Env.of(Map.of("PASSWORD_HASH_THREADS", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PASSWORD_HASH_THREADS");
    assertThatThrownBy(() -> IdentityConfig.from(Env.of(Map.of("PASSWORD_HASH_QUEUE", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PASSWORD_HASH_QUEUE");
    assertThatThrownBy(() -> IdentityConfig.from(Env.of(Map.of("PASSWORD_HASH_QUEUE", "many"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PASSWORD_HASH_QUEUE");
  }
}
