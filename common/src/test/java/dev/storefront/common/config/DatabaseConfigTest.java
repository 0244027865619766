package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

  private static final String PASSWORD = "Sup3r-Secret_pw!";

  @Test
  void defaultsUseTheServiceAsRoleAndSchema() {
    DatabaseConfig config = DatabaseConfig.from(Env.of(Map.of()), "catalog");

    assertThat(config)
        .isEqualTo(
            new DatabaseConfig("127.0.0.1", 5432, "storefront", "catalog", "", "catalog", 4));
  }

  @Test
  void roleAndSchemaMayDiffer() {
    DatabaseConfig config = DatabaseConfig.from(Env.of(Map.of()), "orders_rw", "orders");

    assertThat(config.user()).isEqualTo("orders_rw");
    assertThat(config.schema()).isEqualTo("orders");
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.of(
                "PG_HOST", "db.internal",
                "PG_PORT", "6432",
                "PG_DATABASE", "shop",
                "PG_USER", "cart_app",
                "PG_PASSWORD", PASSWORD,
                "PG_SCHEMA", "cart_v2",
                "PG_POOL_SIZE", "12"));

    DatabaseConfig config = DatabaseConfig.from(env, "cart");

    assertThat(config)
        .isEqualTo(
            new DatabaseConfig("db.internal", 6432, "shop", "cart_app", PASSWORD, "cart_v2", 12));
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/shop");
  }

  @Test
  void badValuesAreRejected() {
    assertThatThrownBy(() -> DatabaseConfig.from(Env.of(Map.of("PG_PORT", "pg")), "cart"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PG_PORT must be an integer, got 'pg'");
    assertThatThrownBy(() -> DatabaseConfig.from(Env.of(Map.of("PG_POOL_SIZE", "0")), "cart"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PG_POOL_SIZE must be at least 1, got 0");
  }

  @Test
  void withDatabaseKeepsEverythingElse() {
    DatabaseConfig config =
        new DatabaseConfig("db.internal", 6432, "shop", "cart", PASSWORD, "cart", 4);

    DatabaseConfig other = config.withDatabase("shop_test");

    assertThat(other)
        .isEqualTo(
            new DatabaseConfig("db.internal", 6432, "shop_test", "cart", PASSWORD, "cart", 4));
    assertThat(other.jdbcUrl()).endsWith("/shop_test");
  }

  @Test
  void toStringNamesTheConnectionButNeverThePassword() {
    DatabaseConfig config =
        new DatabaseConfig("db.internal", 6432, "shop", "cart", PASSWORD, "cart_schema", 4);

    String text = config.toString();

    assertThat(text)
        .contains("cart@db.internal:6432/shop", "schema=cart_schema", "poolSize=4")
        .doesNotContain(PASSWORD)
        .doesNotContainIgnoringCase("password");
    assertThat(config.withDatabase("other").toString()).doesNotContain(PASSWORD);
    // String concatenation and formatting go through toString too.
    assertThat("config: " + config).doesNotContain(PASSWORD);
    assertThat(String.format("%s", config)).doesNotContain(PASSWORD);
  }
}
