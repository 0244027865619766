package dev.storefront.common.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: an authenticated account. The gateway puts it in the routing context after
 * checking the bearer token; services after checking the gateway's internal token. Either way it
 * sits under {@link #CONTEXT_KEY}.
 */
public record Caller(String accountId, String email, Set<String> roles) {

  /** The routing-context key the authenticated caller is stored under. */
  public static final String CONTEXT_KEY = "storefront.caller";

  public static final String CUSTOMER = "customer";
  public static final String ADMIN = "admin";

  public Caller {
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** The caller the request was authenticated as, if any. */
  public static Optional<Caller> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CONTEXT_KEY));
  }

  public void putIn(RoutingContext ctx) {
    ctx.put(CONTEXT_KEY, this);
  }

  /** From verified token claims: {@code sub}, {@code email}, {@code roles}. */
  public static Caller fromClaims(JsonObject claims) {
    String sub = claims.getString("sub");
    if (sub == null || sub.isBlank()) {
      throw new InvalidTokenException("the token names no subject");
    }
    Set<String> roles = new LinkedHashSet<>();
    JsonArray array = claims.getJsonArray("roles", new JsonArray());
    for (Object role : array) {
      if (role instanceof String name) {
        roles.add(name);
      }
    }
    return new Caller(sub, claims.getString("email"), roles);
  }

  /** The claims a token about this caller carries. */
  public JsonObject toClaims() {
    JsonObject claims =
        new JsonObject()
            .put("sub", accountId)
            .put("roles", new JsonArray(roles.stream().sorted().toList()));
    if (email != null) {
      claims.put("email", email);
    }
    return claims;
  }
}
