package dev.storefront.catalog.config;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.config.KafkaConfig;

/** Catalog settings; see common's config records for every variable and its default. */
public record CatalogConfig(HttpConfig http, DatabaseConfig db, KafkaConfig kafka) {

  public static final String SERVICE = "catalog";

  public static CatalogConfig from(Env env, String instanceId) {
    return new CatalogConfig(
        HttpConfig.from(env, 0),
        DatabaseConfig.from(env, SERVICE),
        KafkaConfig.from(env, SERVICE, instanceId));
  }
}
