package dev.storefront.order.config;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/** Order settings; see common's config records for every variable and its default. */
public record OrderConfig(HttpConfig http, DatabaseConfig db, KafkaConfig kafka) {

  public static final String SERVICE = "order";
  public static final String SCHEMA = "orders";

  public static OrderConfig from(Env env, String instanceId) {
    return new OrderConfig(
        HttpConfig.from(env, 0),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        KafkaConfig.from(env, SERVICE, instanceId));
  }
}
