package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/**
 * Notification settings: common's HTTP, database and Kafka variables, plus {@link MailConfig},
 * {@link WebhookConfig}, {@link DeliveryConfig} and {@link FeedConfig} (each documents its
 * variables and defaults).
 */
public record NotificationConfig(
    HttpConfig http,
    DatabaseConfig db,
    KafkaConfig kafka,
    MailConfig mail,
    WebhookConfig webhook,
    DeliveryConfig delivery,
    FeedConfig feed) {

  public static final String SERVICE = "notification";
  public static final String SCHEMA = "notifications";

  public NotificationConfig {
    long longestSend = Math.max(mail.timeout().toMillis(), webhook.timeout().toMillis());
    if (delivery.lease().toMillis() <= longestSend) {
      // A lease that ends while its send may still be under way lets another process send again.
      throw new ConfigException(
          "DELIVERY_LEASE_MS must exceed MAIL_TIMEOUT_MS and WEBHOOK_TIMEOUT_MS ("
              + longestSend
              + "), got "
              + delivery.lease().toMillis());
    }
  }

  public static NotificationConfig from(Env env, String instanceId) {
    return new NotificationConfig(
        HttpConfig.from(env, HttpConfig.LOOPBACK, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId),
        MailConfig.from(env),
        WebhookConfig.from(env),
        DeliveryConfig.from(env),
        FeedConfig.from(env));
  }
}
