package dev.storefront.catalog.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCatalogCommandTest {

  private static final Env NONE = Env.of(Map.of());

  @Test
  void theCountComesFromTheArgumentThenTheEnvironment() {
    assertThat(DemoCatalogCommand.products(new String[0], NONE)).isEqualTo(10_000);
    assertThat(
            DemoCatalogCommand.products(
                new String[0], Env.of(Map.of("CATALOG_DEMO_PRODUCTS", "77"))))
        .isEqualTo(77);
    assertThat(DemoCatalogCommand.products(new String[] {"--products", "12"}, NONE)).isEqualTo(12);
    assertThat(DemoCatalogCommand.products(new String[] {"--products=13"}, NONE)).isEqualTo(13);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> DemoCatalogCommand.products(new String[] {"--products", "0"}, NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoCatalogCommand.products(new String[] {"--products", "many"}, NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoCatalogCommand.products(new String[] {"--frobnicate"}, NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
