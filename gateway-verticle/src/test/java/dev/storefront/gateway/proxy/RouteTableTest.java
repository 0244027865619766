package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static Optional<String> serviceFor(String path) {
    return RouteTable.match(path).map(RouteTable.Route::service);
  }

  @Test
  void aPrefixMatchesItselfAndThePathsBelowIt() {
    assertThat(serviceFor("/api/products")).contains("catalog");
    assertThat(serviceFor("/api/products/1")).contains("catalog");
    assertThat(serviceFor("/api/products/1/reviews")).contains("catalog");
    assertThat(serviceFor("/api/categories/shoes")).contains("catalog");
    assertThat(serviceFor("/api/cart/items/1")).contains("cart");
    assertThat(serviceFor("/api/orders")).contains("order");
    assertThat(serviceFor("/api/payments/tokens")).contains("payment");
    assertThat(serviceFor("/api/notifications/7")).contains("notification");
  }

  @Test
  void aPathThatOnlyStartsWithThePrefixsCharactersDoesNotMatch() {
    assertThat(serviceFor("/api/productsX")).isEmpty();
    assertThat(serviceFor("/api/products-old/1")).isEmpty();
    assertThat(serviceFor("/api/cartography")).isEmpty();
    assertThat(serviceFor("/api/paymentsX")).isEmpty();
  }

  @Test
  void unknownPathsMatchNothing() {
    assertThat(serviceFor("/api/foo")).isEmpty();
    assertThat(serviceFor("/api")).isEmpty();
    assertThat(serviceFor("/")).isEmpty();
    assertThat(serviceFor("/products")).isEmpty();
  }

  @Test
  void theServicesAreListedOnceEach() {
    assertThat(RouteTable.services())
        .containsExactly("catalog", "cart", "order", "payment", "notification");
  }
}
