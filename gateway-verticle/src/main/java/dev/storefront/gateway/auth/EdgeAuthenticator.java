package dev.storefront.gateway.auth;

import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.common.http.Problems;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.gateway.edge.RateLimiter;
import dev.storefront.gateway.http.Paths;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Authorization at the edge, in front of the proxy. For every request it
 *
 * <ol>
 *   <li>drops any {@value InternalTokens#HEADER} the client sent: only the gateway speaks for
 *       callers;
 *   <li>checks a bearer token if there is one (ES256 only, a known key, unexpired, issuer {@code
 *       storefront}); an invalid token is a 401 even where none is needed;
 *   <li>applies the {@link #access access policy}: 401 with {@code WWW-Authenticate: Bearer} when a
 *       caller is needed and missing, 403 when the caller lacks the role;
 *   <li>puts the {@link Caller} in the context under {@link Caller#CONTEXT_KEY}, replaces the
 *       {@code Authorization} header by a signed {@value InternalTokens#HEADER} token for the
 *       service, and passes the request on.
 * </ol>
 */
public final class EdgeAuthenticator implements Handler<RoutingContext> {

  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** What a request needs. */
  public enum Access {
    PUBLIC,
    AUTHENTICATED,
    ADMIN
  }

  private static final Set<String> CALLER_ONLY =
      Set.of("/api/cart", "/api/orders", "/api/notifications");
  private static final Set<String> ADMIN_WRITES = Set.of("/api/products", "/api/categories");
  private static final Set<HttpMethod> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final TokenIssuer tokens;
  private final InternalTokens.Issuer internal;
  private final TokenChecks checks;

  /** Without a budget of token checks per address (tests, tools). */
  public EdgeAuthenticator(TokenIssuer tokens, InternalTokens.Issuer internal) {
    this(tokens, internal, null);
  }

  /**
   * @param checks how many tokens new to this gateway one address may have checked; null for no
   *     limit
   */
  public EdgeAuthenticator(TokenIssuer tokens, InternalTokens.Issuer internal, TokenChecks checks) {
    this.tokens = tokens;
    this.internal = internal;
    this.checks = checks;
  }

  /**
   * The policy: carts, orders and notifications are a caller's own; catalog reads are public,
   * catalog writes are for admins; anything else is public here (its service decides).
   */
  public static Access access(HttpMethod method, String path) {
    if (underAny(path, CALLER_ONLY)) {
      return Access.AUTHENTICATED;
    }
    if (underAny(path, ADMIN_WRITES)) {
      return READS.contains(method) ? Access.PUBLIC : Access.ADMIN;
    }
    return Access.PUBLIC;
  }

  private static boolean underAny(String path, Set<String> prefixes) {
    for (String prefix : prefixes) {
      if (Paths.under(path, prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.request().headers();
    headers.remove(InternalTokens.HEADER);
    ctx.remove(Caller.CONTEXT_KEY);
    String path = ctx.normalizedPath();
    Access access = access(ctx.request().method(), path == null ? "" : path);
    String authorization = headers.get(HttpHeaders.AUTHORIZATION);
    if (authorization == null) {
      if (access == Access.PUBLIC) {
        ctx.next();
      } else {
        challenge(ctx, "Bearer", "This resource needs an access token");
      }
      return;
    }
    String token = bearer(authorization);
    if (token == null) {
      challenge(ctx, "Bearer error=\"invalid_request\"", "The Authorization header must be Bearer");
      return;
    }
    Future<Caller> known = tokens.remembered(token);
    if (known == null && checks != null) {
      // A token new to this gateway costs a signature check: from the address's budget.
      TokenBucket.Decision budget = checks.take(ctx.request());
      if (!budget.allowed()) {
        long retryAfter = budget.retryAfterSeconds();
        RateLimiter.refuse(
            ctx,
            retryAfter,
            "Too many new access tokens from this address; try again in " + retryAfter + " s");
        return;
      }
    }
    Future<Caller> checked = known != null ? known : tokens.verify(token);
    if (!checked.isComplete() && !ctx.request().isEnded()) {
      // The signature check answers later: keep the body for whoever reads it next.
      ctx.request().pause();
    }
    checked.onComplete(
        ar -> {
          if (ar.failed()) {
            challenge(ctx, "Bearer error=\"invalid_token\"", "The access token is not valid");
            return;
          }
          Caller caller = ar.result();
          if (access == Access.ADMIN && !caller.hasRole(Caller.ADMIN)) {
            ctx.fail(Problems.of(403, "This request needs the admin role"));
            return;
          }
          caller.putIn(ctx);
          // Services trust the gateway's signature, not the client's token.
          headers.remove(HttpHeaders.AUTHORIZATION);
          headers.set(InternalTokens.HEADER, internal.issue(caller));
          ctx.next();
        });
  }

  private static void challenge(RoutingContext ctx, String challenge, String detail) {
    ctx.response().putHeader(EdgeAuthenticator.WWW_AUTHENTICATE, challenge);
    ctx.fail(Problems.of(401, detail));
  }

  /** The token of a {@code Bearer} credential (RFC 6750), or null. */
  static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 8) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
