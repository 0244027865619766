package dev.storefront.common.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Builds and writes problem details. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:storefront:problem:";

  private Problems() {}

  /** A problem type URI for a Storefront-specific kind of failure. */
  public static String type(String slug) {
    return TYPE_PREFIX + slug;
  }

  /** A problem with the generic type of its status code. */
  public static ProblemException of(int status, String detail) {
    return new ProblemException(status, "about:blank", reason(status), detail);
  }

  public static <T> Future<T> fail(int status, String detail) {
    return Future.failedFuture(of(status, detail));
  }

  public static JsonObject body(ProblemException problem, String instance) {
    JsonObject body =
        new JsonObject()
            .put("type", problem.type())
            .put("title", problem.title())
            .put("status", problem.status())
            .put("detail", problem.detail());
    if (instance != null) {
      body.put("instance", instance);
    }
    problem.extensions().forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }

  public static Future<Void> write(
      HttpServerResponse response, ProblemException problem, String instance) {
    return response
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body(problem, instance).encode());
  }

  public static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }
}
