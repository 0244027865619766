package dev.storefront.gateway.proxy;

import dev.storefront.gateway.http.Paths;
import java.util.List;
import java.util.Optional;

/**
 * Public resource paths and the service that owns each. Clients see resources, never service names;
 * moving a resource to another service is a change of this table only.
 */
public final class RouteTable {

  /** A path prefix and its owning service. */
  public record Route(String prefix, String service) {
    boolean matches(String path) {
      return Paths.under(path, prefix);
    }
  }

  public static final List<Route> ROUTES =
      List.of(
          new Route("/api/products", "catalog"),
          new Route("/api/categories", "catalog"),
          new Route("/api/cart", "cart"),
          new Route("/api/orders", "order"),
          new Route("/api/payments", "payment"),
          new Route("/api/notifications", "notification"));

  private RouteTable() {}

  public static Optional<Route> match(String path) {
    return ROUTES.stream().filter(r -> r.matches(path)).findFirst();
  }

  /** The services the gateway forwards to. */
  public static List<String> services() {
    return ROUTES.stream().map(Route::service).distinct().toList();
  }
}
