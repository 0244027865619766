package dev.storefront.notification.config;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/** Notification settings; see common's config records for every variable and its default. */
public record NotificationConfig(HttpConfig http, DatabaseConfig db, KafkaConfig kafka) {

  public static final String SERVICE = "notification";
  public static final String SCHEMA = "notifications";

  public static NotificationConfig from(Env env, String instanceId) {
    return new NotificationConfig(
        HttpConfig.from(env, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId));
  }
}
