package dev.storefront.gateway.edge;

import dev.storefront.common.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Cross-origin access for the configured origins ({@code CORS_ORIGINS}). Preflights from them are
 * answered here with 204 and never reach a service; their other requests get the CORS response
 * headers, set when the response is sent so that a service's own cannot contradict them. A request
 * from any other origin gets no CORS headers (a service's are removed), which is how browsers are
 * told no; its preflight is refused with 403. With no origins configured the handler does nothing
 * at all.
 *
 * <p>Vert.x Web's CorsHandler is not used because it fails every request from an unlisted origin
 * with 403, including same-origin requests browsers tag with an Origin header.
 */
public final class Cors implements Handler<RoutingContext> {

  static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS";
  static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID";
  static final String EXPOSED_HEADERS =
      "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, ETag, Location";

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final boolean credentials;
  private final int maxAgeSeconds;

  public Cors(EdgeConfig config) {
    this.origins = Set.copyOf(config.corsOrigins());
    this.anyOrigin = origins.contains("*");
    this.credentials = config.corsAllowCredentials();
    this.maxAgeSeconds = config.corsMaxAgeSeconds();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (origins.isEmpty()) {
      ctx.next();
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    // The answer depends on Origin whatever it is: caches must keep the variants apart.
    ctx.response().headers().add("Vary", "Origin");
    boolean preflight =
        ctx.request().method() == HttpMethod.OPTIONS
            && origin != null
            && ctx.request().getHeader("Access-Control-Request-Method") != null;
    boolean allowed = origin != null && (anyOrigin || origins.contains(origin));
    if (preflight) {
      if (!allowed) {
        ctx.fail(Problems.of(403, "Cross-origin requests from " + origin + " are not allowed"));
        return;
      }
      MultiMap headers = ctx.response().headers();
      allowOrigin(headers, origin);
      headers
          .set("Access-Control-Allow-Methods", ALLOWED_METHODS)
          .set("Access-Control-Allow-Headers", ALLOWED_HEADERS)
          .set("Access-Control-Max-Age", Integer.toString(maxAgeSeconds));
      ctx.response().setStatusCode(204).end();
      return;
    }
    ctx.addHeadersEndHandler(
        v -> {
          MultiMap headers = ctx.response().headers();
          if (allowed) {
            allowOrigin(headers, origin);
            headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
          } else {
            // The edge decides who may read answers cross-origin, not each service.
            headers
                .remove("Access-Control-Allow-Origin")
                .remove("Access-Control-Allow-Credentials")
                .remove("Access-Control-Expose-Headers");
          }
        });
    ctx.next();
  }

  private void allowOrigin(MultiMap headers, String origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    if (credentials) {
      headers.set("Access-Control-Allow-Credentials", "true");
    } else {
      headers.remove("Access-Control-Allow-Credentials");
    }
  }
}
