package dev.storefront.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayRouterTest {

  @Test
  void onlyLoopbackAddressesCountAsTheGatewaysOwnHost() {
    assertThat(GatewayRouter.isLoopback("127.0.0.1")).isTrue();
    assertThat(GatewayRouter.isLoopback("127.1.2.3")).isTrue();
    assertThat(GatewayRouter.isLoopback("::1")).isTrue();
    assertThat(GatewayRouter.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(GatewayRouter.isLoopback("10.0.0.7")).isFalse();
    assertThat(GatewayRouter.isLoopback("203.0.113.9")).isFalse();
    assertThat(GatewayRouter.isLoopback(null)).isFalse();
  }
}
