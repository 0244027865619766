package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseBootstrapSettingsTest {

  @Test
  void defaultsMatchTheLocalServer() {
    var settings = DatabaseBootstrap.Settings.fromEnv(Map.of());

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(5432);
    assertThat(settings.adminUser()).isEqualTo("postgres");
    assertThat(settings.adminPassword()).isEmpty();
    assertThat(settings.database()).isEqualTo("storefront");
    assertThat(settings.accounts())
        .extracting(ServiceAccount::role, ServiceAccount::schema)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gateway", "identity"),
            org.assertj.core.groups.Tuple.tuple("catalog", "catalog"),
            org.assertj.core.groups.Tuple.tuple("order", "orders"),
            org.assertj.core.groups.Tuple.tuple("payment", "payments"),
            org.assertj.core.groups.Tuple.tuple("notification", "notifications"));
    assertThat(settings.accounts()).allSatisfy(a -> assertThat(a.password()).isEmpty());
  }

  @Test
  void environmentOverridesDefaultsAndSuppliesPasswords() {
    var settings =
        DatabaseBootstrap.Settings.fromEnv(
            Map.of(
                "PG_HOST", "db.internal",
                "PG_PORT", "6543",
                "PG_ADMIN_USER", "admin",
                "PG_ADMIN_PASSWORD", "pw",
                "PG_DATABASE", "shop",
                "PG_PASSWORD_ORDER", "order-secret",
                "PG_PASSWORD_CATALOG", ""));

    assertThat(settings.host()).isEqualTo("db.internal");
    assertThat(settings.port()).isEqualTo(6543);
    assertThat(settings.adminUser()).isEqualTo("admin");
    assertThat(settings.adminPassword()).isEqualTo("pw");
    assertThat(settings.database()).isEqualTo("shop");
    assertThat(settings.accounts())
        .filteredOn(a -> a.role().equals("order"))
        .singleElement()
        .extracting(ServiceAccount::password)
        .isEqualTo(Optional.of("order-secret"));
    // An empty variable means no password, not an empty one.
    assertThat(settings.accounts())
        .filteredOn(a -> a.role().equals("catalog"))
        .singleElement()
        .extracting(ServiceAccount::password)
        .isEqualTo(Optional.empty());
  }

  @Test
  void neverPrintsPasswords() {
    var settings =
        DatabaseBootstrap.Settings.fromEnv(
            Map.of("PG_ADMIN_PASSWORD", "admin-secret", "PG_PASSWORD_GATEWAY", "gw-secret"));
    assertThat(settings.toString()).doesNotContain("admin-secret").doesNotContain("gw-secret");
  }

  @Test
  void rejectsABadPort() {
    assertThatThrownBy(() -> DatabaseBootstrap.Settings.fromEnv(Map.of("PG_PORT", "54x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PG_PORT must be a port number, got '54x'");
  }
}
