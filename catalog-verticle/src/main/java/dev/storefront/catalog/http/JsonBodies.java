package dev.storefront.catalog.http;

import dev.storefront.common.http.Problems;
import dev.storefront.common.http.RequestBodies;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request bodies of JSON objects, at most {@value #LIMIT} bytes, as the OpenAPI document says. */
final class JsonBodies {

  static final int LIMIT = 64 * 1024;

  private JsonBodies() {}

  /**
   * Refuses a body that is not JSON in UTF-8 with 415 (a malformed Content-Type with 400), then
   * reads it, refusing a larger one with 413.
   */
  static Handler<RoutingContext> handler() {
    return RequestBodies.json(LIMIT);
  }

  /** The body as an object; 400 when it is not valid JSON or not an object. */
  static JsonObject object(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw Problems.of(400, "The request body is empty; a JSON object is expected");
    }
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw Problems.of(400, "The request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw Problems.of(400, "The request body must be a JSON object");
    }
    return object;
  }
}
