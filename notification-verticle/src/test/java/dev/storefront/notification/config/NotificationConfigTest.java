package dev.storefront.notification.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationConfigTest {

  private static NotificationConfig config(Map<String, String> values) {
    return NotificationConfig.from(Env.of(values), "i-1");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    NotificationConfig config = config(Map.of());
    MailConfig mail = config.mail();
    assertThat(mail.host()).isEqualTo("localhost");
    assertThat(mail.port()).isEqualTo(2525);
    assertThat(mail.username()).isNull();
    assertThat(mail.password()).isNull();
    assertThat(mail.starttls()).isEqualTo(StartTLSOptions.OPTIONAL);
    assertThat(mail.ssl()).isFalse();
    assertThat(mail.from()).isEqualTo("Storefront <no-reply@storefront.local>");
    assertThat(mail.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(mail.retry())
        .isEqualTo(new RetryConfig(Duration.ofSeconds(1), Duration.ofMinutes(10), 8));
    assertThat(mail.breaker()).isEqualTo(new BreakerConfig(5, Duration.ofSeconds(30)));

    WebhookConfig webhook = config.webhook();
    assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(webhook.retry())
        .isEqualTo(new RetryConfig(Duration.ofSeconds(1), Duration.ofMinutes(10), 8));
    assertThat(webhook.maxPerAccount()).isEqualTo(5);
    assertThat(webhook.allowPrivateTargets()).isFalse();
    assertThat(webhook.breaker()).isEqualTo(new BreakerConfig(5, Duration.ofSeconds(30)));
    assertThat(webhook.shop()).isEmpty();

    DeliveryConfig delivery = config.delivery();
    assertThat(delivery.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(delivery.batchSize()).isEqualTo(32);
    assertThat(delivery.lease()).isEqualTo(Duration.ofMinutes(2));

    assertThat(config.db().schema()).isEqualTo("notifications");
    assertThat(config.kafka().groupId()).isEqualTo("notification");
  }

  @Test
  void everySettingIsReadFromTheEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("MAIL_HOST", "smtp.example.com");
    env.put("MAIL_PORT", "587");
    env.put("MAIL_USERNAME", "robot");
    env.put("MAIL_PASSWORD", "s3cret");
    env.put("MAIL_STARTTLS", "required");
    env.put("MAIL_SSL", "true");
    env.put("MAIL_FROM", "Shop <shop@example.com>");
    env.put("MAIL_TIMEOUT_MS", "9000");
    env.put("MAIL_RETRY_BASE_MS", "10");
    env.put("MAIL_RETRY_MAX_MS", "20");
    env.put("MAIL_MAX_ATTEMPTS", "3");
    env.put("MAIL_BREAKER_MAX_FAILURES", "2");
    env.put("MAIL_BREAKER_RESET_MS", "700");
    env.put("WEBHOOK_TIMEOUT_MS", "1500");
    env.put("WEBHOOK_RETRY_BASE_MS", "30");
    env.put("WEBHOOK_RETRY_MAX_MS", "40");
    env.put("WEBHOOK_MAX_ATTEMPTS", "4");
    env.put("WEBHOOK_MAX_PER_ACCOUNT", "2");
    env.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
    env.put("WEBHOOK_BREAKER_MAX_FAILURES", "3");
    env.put("WEBHOOK_BREAKER_RESET_MS", "800");
    env.put("SHOP_WEBHOOK_URL", "https://shop.example.com/hooks");
    env.put("SHOP_WEBHOOK_SECRET", "whsec_shop");
    env.put("DELIVERY_POLL_MS", "50");
    env.put("DELIVERY_BATCH_SIZE", "7");
    env.put("DELIVERY_LEASE_MS", "10000");
    NotificationConfig config = config(env);

    MailConfig mail = config.mail();
    assertThat(mail.host()).isEqualTo("smtp.example.com");
    assertThat(mail.port()).isEqualTo(587);
    assertThat(mail.username()).isEqualTo("robot");
    assertThat(mail.password()).isEqualTo("s3cret");
    assertThat(mail.starttls()).isEqualTo(StartTLSOptions.REQUIRED);
    assertThat(mail.ssl()).isTrue();
    assertThat(mail.from()).isEqualTo("Shop <shop@example.com>");
    assertThat(mail.timeout()).isEqualTo(Duration.ofMillis(9_000));
    assertThat(mail.retry())
        .isEqualTo(new RetryConfig(Duration.ofMillis(10), Duration.ofMillis(20), 3));
    assertThat(mail.breaker()).isEqualTo(new BreakerConfig(2, Duration.ofMillis(700)));
    assertThat(mail.toString()).doesNotContain("s3cret");

    WebhookConfig webhook = config.webhook();
    assertThat(webhook.timeout()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(webhook.retry())
        .isEqualTo(new RetryConfig(Duration.ofMillis(30), Duration.ofMillis(40), 4));
    assertThat(webhook.maxPerAccount()).isEqualTo(2);
    assertThat(webhook.allowPrivateTargets()).isTrue();
    assertThat(webhook.breaker()).isEqualTo(new BreakerConfig(3, Duration.ofMillis(800)));
    assertThat(webhook.shop())
        .contains(new WebhookConfig.Shop("https://shop.example.com/hooks", "whsec_shop"));
    assertThat(webhook.shop().get().toString()).doesNotContain("whsec_shop");

    assertThat(config.delivery())
        .isEqualTo(
            new DeliveryConfig(
                Duration.ofMillis(50), 7, Duration.ofMillis(10_000), Duration.ofHours(72)));
  }

  @Test
  void aShopWebhookNeedsItsSecretAndAnAbsoluteHttpUrl() {
    assertThatThrownBy(() -> config(Map.of("SHOP_WEBHOOK_URL", "https://shop.example.com/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SHOP_WEBHOOK_SECRET");
    assertThatThrownBy(
            () ->
                config(Map.of("SHOP_WEBHOOK_URL", "shop.example.com", "SHOP_WEBHOOK_SECRET", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SHOP_WEBHOOK_URL");
  }

  @Test
  void refusesValuesThatCannotWork() {
    assertThatThrownBy(() -> config(Map.of("MAIL_STARTTLS", "SOMETIMES")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MAIL_STARTTLS");
    assertThatThrownBy(() -> config(Map.of("WEBHOOK_MAX_ATTEMPTS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WEBHOOK_MAX_ATTEMPTS");
    assertThatThrownBy(
            () -> config(Map.of("WEBHOOK_RETRY_BASE_MS", "5000", "WEBHOOK_RETRY_MAX_MS", "100")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WEBHOOK_RETRY");
    assertThatThrownBy(() -> config(Map.of("MAIL_RETRY_BASE_MS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MAIL_RETRY");
    assertThatThrownBy(() -> config(Map.of("MAIL_SSL", "perhaps")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MAIL_SSL");
    assertThatThrownBy(() -> config(Map.of("DELIVERY_POLL_MS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DELIVERY_POLL_MS");
  }

  @Test
  void theLeaseMustOutlastTheLongestSend() {
    assertThatThrownBy(() -> config(Map.of("DELIVERY_LEASE_MS", "30000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DELIVERY_LEASE_MS");
    assertThat(config(Map.of("DELIVERY_LEASE_MS", "30001")).delivery().lease())
        .isEqualTo(Duration.ofMillis(30_001));
  }
}
