package dev.storefront.order.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderConfigTest {

  @Test
  void defaults() {
    OrderConfig config = OrderConfig.from(Env.of(Map.of()), "i1");

    assertThat(config.db().user()).isEqualTo("order");
    assertThat(config.db().schema()).isEqualTo("orders");
    assertThat(config.kafka().groupId()).isEqualTo("order");
    assertThat(config.checkout().paymentDeadline()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.checkout().sweepInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.checkout().lease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.checkout().idempotencyRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(config.cart().timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.catalog().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.payment().timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.cart().retryAfterSeconds()).isEqualTo(5);
  }

  @Test
  void environmentOverrides() {
    OrderConfig config =
        OrderConfig.from(
            Env.of(
                Map.of(
                    "ORDER_PAYMENT_DEADLINE_S", "5",
                    "ORDER_SWEEP_INTERVAL_MS", "250",
                    "ORDER_CHECKOUT_LEASE_S", "3",
                    "ORDER_CART_TIMEOUT_MS", "300",
                    "ORDER_PAYMENT_TIMEOUT_MS", "400",
                    "ORDER_BREAKER_RESET_MS", "1500")),
            "i1");

    assertThat(config.checkout().paymentDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.checkout().sweepInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.checkout().lease()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.cart().timeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(config.catalog().resetTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.catalog().retryAfterSeconds()).isEqualTo(2);
    assertThat(config.payment().timeout()).isEqualTo(Duration.ofMillis(400));
    assertThat(config.payment().resetTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(
            () -> OrderConfig.from(Env.of(Map.of("ORDER_PAYMENT_DEADLINE_S", "0")), "i1"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> OrderConfig.from(Env.of(Map.of("ORDER_CART_TIMEOUT_MS", "0")), "i1"))
        .isInstanceOf(ConfigException.class);
  }
}
