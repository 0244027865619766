package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  @Test
  void anAddressHasOneKeyWhateverItsCaseAndSpaces() {
    assertThat(LoginThrottle.key(" Alice@Example.COM "))
        .hasSize(32)
        .isEqualTo(LoginThrottle.key("alice@example.com"));
    assertThat(LoginThrottle.key("alice@example.com"))
        .isNotEqualTo(LoginThrottle.key("alice@example.org"));
  }

  @Test
  void aLimitThatIsOffNeverReachesTheDatabase() {
    // No pool: anything that asked the database would fail.
    LoginThrottle off =
        new LoginThrottle(
            new LoginAttemptRepository(null),
            IdentityConfig.LoginLimit.OFF,
            new SimpleMeterRegistry());
    assertThat(off.attempt("alice@example.com").succeeded()).isTrue();
    assertThat(off.succeeded("alice@example.com").succeeded()).isTrue();
  }
}
