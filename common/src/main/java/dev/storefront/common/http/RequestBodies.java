package dev.storefront.common.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** What a request's head says of its body, and the checks of its {@code Content-Type}. */
public final class RequestBodies {

  private RequestBodies() {}

  /** Whether the request declares a body: a Content-Length other than 0, or a transfer coding. */
  public static boolean declared(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !"0".equals(length.trim()))
        || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  /**
   * Refuses a request whose {@code Content-Type} is malformed or given twice with 400, whatever the
   * route: handlers and vertx-web read the header later, and some readings of a malformed one
   * throw. Mounted for every request by {@link ServiceRouter#create}.
   */
  public static void checkContentType(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Most requests have none: one look-up, and the list of lines only when there is one.
    String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (header != null
        && (request.headers().getAll(HttpHeaders.CONTENT_TYPE).size() > 1
            || ContentType.parse(header) == null)) {
      ctx.fail(Problems.of(400, "The Content-Type header is malformed"));
      return;
    }
    ctx.next();
  }

  /**
   * What is wrong with {@code header} as the type of a JSON body, or null when nothing is: 400 when
   * it is malformed, 415 when it is missing, not JSON, or names a charset other than UTF-8 (the
   * only encoding of JSON exchanged between systems, RFC 8259 8.1).
   */
  public static ProblemException jsonTypeProblem(String header) {
    if (header == null) {
      return Problems.of(415, "The request body must be application/json");
    }
    ContentType type = ContentType.parse(header);
    if (type == null) {
      return Problems.of(400, "The Content-Type header is malformed");
    }
    if (!type.isJson()) {
      return Problems.of(415, "The request body must be application/json");
    }
    String charset = type.charset();
    if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
      return Problems.of(415, "A JSON request body must be encoded in UTF-8");
    }
    return null;
  }

  /**
   * Reads a JSON body of at most {@code limit} bytes (413 beyond), after refusing what {@link
   * #jsonTypeProblem} refuses: a handler for the routes that take one.
   */
  public static Handler<RoutingContext> json(long limit) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      ProblemException problem = jsonTypeProblem(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
      if (problem != null) {
        ctx.fail(problem);
        return;
      }
      body.handle(ctx);
    };
  }
}
