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

  @Test
  void failedLoginsAreLimitedByDefault() {
    IdentityConfig.LoginLimit limit = IdentityConfig.from(Env.of(Map.of())).loginLimit();
    assertThat(limit.enabled()).isTrue();
    assertThat(limit.failures()).isEqualTo(10);
    assertThat(limit.window()).isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(limit.lock()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(limit.maxLock()).isEqualTo(java.time.Duration.ofMinutes(15));
  }

  @Test
  void theLoginLimitIsConfigurableAndZeroTurnsItOff() {
    IdentityConfig.LoginLimit limit =
        IdentityConfig.from(
                Env.of(
                    Map.of(
                        "LOGIN_FAILURE_LIMIT", "5",
                        "LOGIN_FAILURE_WINDOW_S", "60",
                        "LOGIN_LOCK_S", "2",
                        "LOGIN_LOCK_MAX_S", "8")))
            .loginLimit();
    assertThat(limit.failures()).isEqualTo(5);
    assertThat(limit.window().toSeconds()).isEqualTo(60);
    assertThat(limit.lock().toSeconds()).isEqualTo(2);
    assertThat(limit.maxLock().toSeconds()).isEqualTo(8);
    assertThat(
            IdentityConfig.from(Env.of(Map.of("LOGIN_FAILURE_LIMIT", "0"))).loginLimit().enabled())
        .isFalse();
  }

  @Test
  void aLoginLimitThatMakesNoSenseIsRefused() {
    assertThatThrownBy(() -> IdentityConfig.from(Env.of(Map.of("LOGIN_FAILURE_LIMIT", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOGIN_FAILURE_LIMIT");
    assertThatThrownBy(
            () ->
                IdentityConfig.from(
                    Env.of(Map.of("LOGIN_LOCK_S", "600", "LOGIN_LOCK_MAX_S", "60"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOGIN_LOCK_MAX_S");
    assertThatThrownBy(() -> IdentityConfig.from(Env.of(Map.of("LOGIN_FAILURE_WINDOW_S", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOGIN_FAILURE_WINDOW_S");
  }
}
