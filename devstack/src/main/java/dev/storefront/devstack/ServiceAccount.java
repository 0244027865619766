package dev.storefront.devstack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A service's place in the database: the role it logs in as and the schema that role owns.
 *
 * @param role the login role, named after the service
 * @param schema the schema the role owns and finds first on its search path
 * @param password empty for local trust authentication
 */
public record ServiceAccount(String role, String schema, Optional<String> password) {

  /** Service name to schema, as the design fixes them. */
  static final Map<String, String> SCHEMAS =
      Map.of(
          "gateway", "identity",
          "catalog", "catalog",
          "order", "orders",
          "payment", "payments",
          "notification", "notifications");

  /** The services that keep data in PostgreSQL (the cart lives in Hazelcast), in start order. */
  static final List<String> SERVICES =
      List.of("gateway", "catalog", "order", "payment", "notification");

  public ServiceAccount {
    SqlNames.requireValid(role);
    SqlNames.requireValid(schema);
    password = password.filter(p -> !p.isEmpty());
  }

  @Override
  public String toString() {
    // Never print the password.
    return "ServiceAccount["
        + role
        + " owns "
        + schema
        + (password.isPresent() ? ", password set]" : "]");
  }

  /** The five service accounts, with passwords from PG_PASSWORD_&lt;SERVICE&gt; where set. */
  public static List<ServiceAccount> defaults(Map<String, String> env) {
    return SERVICES.stream()
        .map(
            service ->
                new ServiceAccount(
                    service,
                    SCHEMAS.get(service),
                    Optional.ofNullable(
                        env.get("PG_PASSWORD_" + service.toUpperCase(Locale.ROOT)))))
        .toList();
  }
}
