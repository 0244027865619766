package dev.storefront.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokenChecksTest {

  @Test
  void theBudgetReadsLikeARateLimitWithoutAPath() {
    var budget = TokenChecks.parse("50/10s");
    assertThat(budget.capacity()).isEqualTo(50);
    assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void offLeavesTokenChecksUnlimited(Vertx vertx) {
    assertThat(
            TokenChecks.from(
                Env.of(Map.of("TOKEN_CHECKS", "off")), vertx, new SimpleMeterRegistry()))
        .isNull();
    assertThat(TokenChecks.from(Env.of(Map.of()), vertx, new SimpleMeterRegistry())).isNotNull();
  }

  @Test
  void aMalformedBudgetIsRefusedAtStart() {
    assertThatThrownBy(() -> TokenChecks.parse("lots"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOKEN_CHECKS");
    assertThatThrownBy(() -> TokenChecks.parse("0/10s")).isInstanceOf(ConfigException.class);
  }
}
