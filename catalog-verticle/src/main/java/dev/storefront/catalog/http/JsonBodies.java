package dev.storefront.catalog.http;

import dev.storefront.common.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Request bodies of JSON objects, at most {@value #LIMIT} bytes, as the OpenAPI document says. */
final class JsonBodies {

  static final int LIMIT = 64 * 1024;

  private JsonBodies() {}

  /** Refuses other content types with 415, then reads the body, refusing a larger one with 413. */
  static Handler<RoutingContext> handler() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(LIMIT);
    return ctx -> {
      if (!isJson(ctx.request().getHeader("Content-Type"))) {
        ctx.fail(Problems.of(415, "The request body must be application/json"));
        return;
      }
      body.handle(ctx);
    };
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim();
    return mediaType.equalsIgnoreCase("application/json");
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
