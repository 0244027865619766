package dev.storefront.gateway.edge;

import dev.storefront.gateway.http.Paths;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
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

  // Names and values encoded once: these go out on every response.
  private static final CharSequence CONTENT_TYPE_OPTIONS = optimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = optimized("nosniff");
  private static final CharSequence FRAME_OPTIONS = optimized("X-Frame-Options");
  private static final CharSequence DENY = optimized("DENY");
  private static final CharSequence REFERRER_POLICY = optimized("Referrer-Policy");
  private static final CharSequence NO_REFERRER = optimized("no-referrer");
  private static final CharSequence CONTENT_SECURITY_POLICY = optimized("Content-Security-Policy");
  private static final CharSequence API_CSP_VALUE = optimized(API_CSP);
  private static final CharSequence STRICT_TRANSPORT_SECURITY =
      optimized("Strict-Transport-Security");
  private static final CharSequence NO_STORE = optimized("no-store");

  private final CharSequence hsts;

  public SecurityHeaders(EdgeConfig config) {
    this.hsts =
        config.hstsMaxAgeSeconds() > 0
            ? optimized("max-age=" + config.hstsMaxAgeSeconds() + "; includeSubDomains")
            : null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean api = Paths.under(path, API_PREFIX);
    ctx.addHeadersEndHandler(
        v -> {
          MultiMap headers = ctx.response().headers();
          headers
              .set(CONTENT_TYPE_OPTIONS, NOSNIFF)
              .set(FRAME_OPTIONS, DENY)
              .set(REFERRER_POLICY, NO_REFERRER);
          // Pages carry a policy fitted to their scripts and styles; the API needs none of those.
          if (api) {
            headers.set(CONTENT_SECURITY_POLICY, API_CSP_VALUE);
          }
          if (hsts != null) {
            headers.set(STRICT_TRANSPORT_SECURITY, hsts);
          }
          if (!headers.contains(HttpHeaders.CACHE_CONTROL)) {
            headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
          }
        });
    ctx.next();
  }

  private static CharSequence optimized(String value) {
    return HttpHeaders.createOptimized(value);
  }
}
