package dev.storefront.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Hardening headers on every gateway response, applied as the response head leaves so that they
 * hold whatever a service relayed: no MIME sniffing, no framing, no referrer, a deny-all content
 * policy for the API (its answers are data, never documents to render), HSTS when configured, and
 * {@code Cache-Control: no-store} unless the service chose its own caching.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  /** Paths whose answers are API data rather than pages. */
  static final String API_PREFIX = "/api";

  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

  private final String hsts;

  public SecurityHeaders(EdgeConfig config) {
    this.hsts =
        config.hstsMaxAgeSeconds() > 0
            ? "max-age=" + config.hstsMaxAgeSeconds() + "; includeSubDomains"
            : null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean api =
        path.startsWith(API_PREFIX)
            && (path.length() == API_PREFIX.length() || path.charAt(API_PREFIX.length()) == '/');
    ctx.addHeadersEndHandler(
        v -> {
          MultiMap headers = ctx.response().headers();
          headers
              .set("X-Content-Type-Options", "nosniff")
              .set("X-Frame-Options", "DENY")
              .set("Referrer-Policy", "no-referrer");
          // Pages carry a policy fitted to their scripts and styles; the API needs none of those.
          if (api) {
            headers.set("Content-Security-Policy", API_CSP);
          }
          if (hsts != null) {
            headers.set("Strict-Transport-Security", hsts);
          }
          if (!headers.contains("Cache-Control")) {
            headers.set("Cache-Control", "no-store");
          }
        });
    ctx.next();
  }
}
