package dev.storefront.cart.config;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/**
 * Cart settings; see common's config records for every variable and its default. Carts live in the
 * Hazelcast cluster, so the cart service has no database of its own.
 */
public record CartConfig(HttpConfig http, KafkaConfig kafka) {

  public static final String SERVICE = "cart";

  public static CartConfig from(Env env, String instanceId) {
    return new CartConfig(HttpConfig.from(env, 0), KafkaConfig.from(env, SERVICE, instanceId));
  }
}
