package dev.storefront.payment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentConfigTest {

  @Test
  void defaults() {
    PaymentConfig config = PaymentConfig.from(Env.of(Map.of()), "i1");
    assertThat(config.db().user()).isEqualTo("payment");
    assertThat(config.db().schema()).isEqualTo("payments");
    assertThat(config.kafka().groupId()).isEqualTo("payment");
    assertThat(config.charging().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.charging().attempts()).isEqualTo(3);
    assertThat(config.recovery().after()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.recovery().abandonAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.eventAttempts()).isEqualTo(5);
    assertThat(config.processor().latency()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.processor().failureRate()).isZero();
    assertThat(config.processor().slowDelay()).isEqualTo(Duration.ofSeconds(30));
    // The slow card must outlast the charge timeout, or it tests nothing.
    assertThat(config.processor().slowDelay()).isGreaterThan(config.charging().timeout());
  }

  @Test
  void tokensLastADayByDefaultAndTheCardKeyNeverShowsInLogs() {
    PaymentConfig.Tokens defaults = PaymentConfig.from(Env.of(Map.of()), "i1").tokens();
    assertThat(defaults.ttl()).isEqualTo(Duration.ofDays(1));
    assertThat(defaults.retention()).isEqualTo(Duration.ofDays(1));
    assertThat(defaults.cardKey()).isNull();

    PaymentConfig config =
        PaymentConfig.from(
            Env.of(
                Map.of(
                    "PAYMENT_TOKEN_TTL_MS", "60000",
                    "PAYMENT_TOKEN_RETENTION_MS", "0",
                    "PAYMENT_CARD_KEY", "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLXRlc3Qtb25seQ==")),
            "i1");
    assertThat(config.tokens().ttl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.tokens().retention()).isZero();
    assertThat(config.tokens().cardKey()).startsWith("c2Vj");
    assertThat(config.toString()).doesNotContain("c2Vj");
    assertThatThrownBy(() -> PaymentConfig.from(Env.of(Map.of("PAYMENT_TOKEN_TTL_MS", "0")), "i1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PAYMENT_TOKEN_TTL_MS");
  }

  @Test
  void variablesOverrideTheDefaults() {
    PaymentConfig config =
        PaymentConfig.from(
            Env.of(
                Map.of(
                    "PAYMENT_PROCESSOR_LATENCY_MS", "7",
                    "PAYMENT_PROCESSOR_FAILURE_RATE", "0.25",
                    "PAYMENT_PROCESSOR_SLOW_MS", "9000",
                    "PAYMENT_CHARGE_TIMEOUT_MS", "800",
                    "PAYMENT_CHARGE_ATTEMPTS", "4",
                    "PAYMENT_RECOVERY_AFTER_MS", "3000")),
            "i1");
    assertThat(config.processor().latency()).isEqualTo(Duration.ofMillis(7));
    assertThat(config.processor().failureRate()).isEqualTo(0.25);
    assertThat(config.processor().slowDelay()).isEqualTo(Duration.ofSeconds(9));
    assertThat(config.charging().timeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(config.charging().attempts()).isEqualTo(4);
    assertThat(config.recovery().after()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFailureRateOutsideZeroToOneIsRefused() {
    assertThatThrownBy(
            () -> PaymentConfig.from(Env.of(Map.of("PAYMENT_PROCESSOR_FAILURE_RATE", "1.5")), "i"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PAYMENT_PROCESSOR_FAILURE_RATE");
    assertThatThrownBy(
            () -> PaymentConfig.from(Env.of(Map.of("PAYMENT_PROCESSOR_FAILURE_RATE", "x")), "i"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void recoveryMayNotTakeAPaymentThatIsOnlyWaitingForTheProcessor() {
    assertThatThrownBy(
            () ->
                PaymentConfig.from(
                    Env.of(
                        Map.of(
                            "PAYMENT_CHARGE_TIMEOUT_MS", "5000",
                            "PAYMENT_RECOVERY_AFTER_MS", "6000")),
                    "i"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PAYMENT_RECOVERY_AFTER_MS");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    PaymentConfig.Charging charging =
        new PaymentConfig.Charging(
            Duration.ofSeconds(5), 6, Duration.ofMillis(200), Duration.ofMillis(1000));
    assertThat(charging.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(charging.backoffAfter(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(charging.backoffAfter(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(charging.backoffAfter(4)).isEqualTo(Duration.ofMillis(1000));
    assertThat(charging.backoffAfter(60)).isEqualTo(Duration.ofMillis(1000));
  }
}
