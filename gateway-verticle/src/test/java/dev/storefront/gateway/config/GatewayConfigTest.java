package dev.storefront.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void theInstanceThatAnsweredIsNamedOnlyWhenAskedFor() {
    assertThat(GatewayConfig.from(Env.of(Map.of())).upstream().servedByHeader()).isFalse();
    assertThat(
            GatewayConfig.from(Env.of(Map.of("UPSTREAM_SERVED_BY_HEADER", "true")))
                .upstream()
                .servedByHeader())
        .isTrue();
  }
}
