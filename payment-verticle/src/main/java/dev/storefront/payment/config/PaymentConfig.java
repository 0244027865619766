package dev.storefront.payment.config;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/** Payment settings; see common's config records for every variable and its default. */
public record PaymentConfig(HttpConfig http, DatabaseConfig db, KafkaConfig kafka) {

  public static final String SERVICE = "payment";
  public static final String SCHEMA = "payments";

  public static PaymentConfig from(Env env, String instanceId) {
    return new PaymentConfig(
        HttpConfig.from(env, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId));
  }
}
