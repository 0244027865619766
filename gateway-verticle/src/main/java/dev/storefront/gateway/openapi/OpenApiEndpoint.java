package dev.storefront.gateway.openapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the API document: {@code GET /api/openapi.yaml} as written and {@code GET
 * /api/openapi.json} converted once at start. Both are public and may be cached for a few minutes.
 */
public final class OpenApiEndpoint {

  public static final String YAML_PATH = "/api/openapi.yaml";
  public static final String JSON_PATH = "/api/openapi.json";

  private final ApiDocument document;

  public OpenApiEndpoint(ApiDocument document) {
    this.document = document;
  }

  /** Adds both routes; call before the proxy routes (neither path is proxied today). */
  public Router mount(Router router) {
    router.get(YAML_PATH).handler(this::yaml);
    router.get(JSON_PATH).handler(this::json);
    return router;
  }

  public void yaml(RoutingContext ctx) {
    send(ctx, "application/yaml; charset=utf-8", document.yaml());
  }

  public void json(RoutingContext ctx) {
    send(ctx, "application/json", document.json());
  }

  private static void send(RoutingContext ctx, String type, Buffer body) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
        .end(body);
  }
}
