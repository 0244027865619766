package dev.storefront.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathsTest {

  @Test
  void aPathIsUnderItsPrefixOnlyAtASegmentBoundary() {
    assertThat(Paths.under("/api", "/api")).isTrue();
    assertThat(Paths.under("/api/", "/api")).isTrue();
    assertThat(Paths.under("/api/cart/items", "/api/cart")).isTrue();
    assertThat(Paths.under("/apix", "/api")).isFalse();
    assertThat(Paths.under("/api/cartoon", "/api/cart")).isFalse();
    assertThat(Paths.under("/ap", "/api")).isFalse();
    assertThat(Paths.under("", "/api")).isFalse();
  }
}
