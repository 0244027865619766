package dev.storefront.gateway.openapi;

import dev.storefront.common.http.Problems;
import dev.storefront.common.http.RequestBodies;
import dev.storefront.gateway.auth.AuthRoutes;
import dev.storefront.gateway.edge.LimitedBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.ValidatorException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Checks every request the API document describes against it, after authentication and the rate
 * limit and before the auth endpoints and the proxy, so that a malformed request never reaches a
 * service: path, query, header and cookie parameters, and the JSON body of operations that take
 * one. Paths and methods the document does not describe pass untouched (the router answers them);
 * query parameters it does not list are ignored.
 *
 * <p>Answers: 400 naming the parameter or body field and the rule ({@code query parameter size must
 * be ≤ 100}); 415 for a body that is not JSON where JSON is expected; 413 for a JSON body over
 * {@value #BODY_LIMIT} bytes ({@link AuthRoutes#BODY_LIMIT} on the auth endpoints).
 *
 * <p>Bodies: only operations with a JSON body in the document have it read, whole, before it is
 * checked (these bodies are small); it is then both {@code ctx.body()} and {@link
 * #bufferedBody(RoutingContext)}, and since the request stream has ended by then, whatever forwards
 * the request must send that buffer instead of piping the request. Every other body is left unread,
 * the request paused, to stream on as before.
 *
 * <pre>
 *   RequestValidation.create(document).mount(router)   // after authentication and the rate
 *                                                            // limit, before the auth endpoints
 * </pre>
 */
public final class RequestValidation {

  /** The largest JSON body read for validation; larger is 413. */
  public static final long BODY_LIMIT = 64 * 1024;

  private static final String OPERATION = "storefront.openapi.operation";
  private static final String BODY = "storefront.openapi.body";

  private final OperationIndex operations;
  private final CompiledContract rules;
  private final JsonObject document;
  private final BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
  private final BodyHandler authBody =
      BodyHandler.create(false).setBodyLimit(AuthRoutes.BODY_LIMIT);

  private RequestValidation(ApiDocument document) {
    OpenAPIContract contract = document.contract();
    this.operations = new OperationIndex(contract);
    this.rules = new CompiledContract(contract);
    this.document = contract.getRawContract();
  }

  public static RequestValidation create(ApiDocument document) {
    return new RequestValidation(document);
  }

  /**
   * Adds the validation to every path of {@code router}: three handlers on one route (match the
   * operation and check the content type, read a JSON body, validate). Call after the body-size
   * limit, authentication and the rate limit, and before the auth endpoints and the proxy.
   */
  public Router mount(Router router) {
    router.route().handler(this::match).handler(this::readBody).handler(this::validate);
    return router;
  }

  /**
   * The request body read and validated here, or null when the operation takes none (its body, if
   * any, is still unread on the request). When not null the request stream has ended: forward this
   * buffer.
   */
  public static Buffer bufferedBody(RoutingContext ctx) {
    return ctx.get(BODY);
  }

  /** The documented operation the request is for; null for a path the document does not have. */
  public static Operation operation(RoutingContext ctx) {
    return ctx.get(OPERATION);
  }

  private static boolean nothingToCheck(Operation operation) {
    return operation.getParameters().isEmpty() && operation.getRequestBody() == null;
  }

  /** Finds the operation; refuses a body that is not JSON or too large before reading any of it. */
  void match(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Operation operation = operations.find(ctx.normalizedPath(), request.method());
    if (operation == null) {
      ctx.next();
      return;
    }
    ctx.put(OPERATION, operation);
    if (nothingToCheck(operation)) {
      ctx.next();
      return;
    }
    if (operation.getRequestBody() == null || !RequestBodies.declared(request)) {
      // Left for whoever reads it next, which may first wait (the proxy, on a connection).
      if (!request.isEnded()) {
        request.pause();
      }
      ctx.next();
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !isJson(type)) {
      // Refused unread: the problem handler closes an HTTP/1 connection after the answer.
      ctx.fail(Problems.of(415, "The request body must be application/json"));
      return;
    }
    long limit = limitFor(operation);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLength(length) > limit) {
      ctx.fail(LimitedBody.tooLarge(limit));
      return;
    }
    ctx.next();
  }

  /** Reads the JSON body of an operation that takes one, up to its limit. */
  void readBody(RoutingContext ctx) {
    Operation operation = ctx.get(OPERATION);
    if (operation == null
        || operation.getRequestBody() == null
        || !RequestBodies.declared(ctx.request())) {
      ctx.next();
      return;
    }
    (limitFor(operation) == BODY_LIMIT ? body : authBody).handle(ctx);
  }

  void validate(RoutingContext ctx) {
    Operation operation = ctx.get(OPERATION);
    if (operation == null || nothingToCheck(operation)) {
      ctx.next();
      return;
    }
    Buffer buffered =
        operation.getRequestBody() != null && ctx.body().available() ? ctx.body().buffer() : null;
    try {
      String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      // Any JSON media type reads as the document's application/json.
      String contentType = type != null && isJson(type) ? "application/json" : type;
      rules.check(operation, parameterValues(ctx, operation), emptyToNull(buffered), contentType);
    } catch (ValidatorException | DecodeException e) {
      ctx.fail(ValidationProblems.of(e, operation, document));
      return;
    }
    if (buffered != null) {
      ctx.put(BODY, buffered);
    }
    ctx.next();
  }

  /**
   * The path's segment at {@code index} (0 is the one after the leading '/'), as {@code
   * path.substring(1).split("/", -1)} would give it, without building the others; null when there
   * is no such segment.
   */
  static String segment(String path, int index) {
    if (index < 0) {
      return null;
    }
    int start = 1;
    for (int i = 0; i < index; i++) {
      int slash = path.indexOf('/', start);
      if (slash < 0) {
        return null;
      }
      start = slash + 1;
    }
    if (start > path.length()) {
      return null;
    }
    int end = path.indexOf('/', start);
    return path.substring(start, end < 0 ? path.length() : end);
  }

  /**
   * The raw value of each of the operation's parameters, in its order; null where absent. Values
   * are taken here rather than by the library's extractor, which decodes query values a second
   * time.
   */
  private String[] parameterValues(RoutingContext ctx, Operation operation) {
    HttpServerRequest request = ctx.request();
    List<Parameter> parameters = operation.getParameters();
    String[] values = new String[parameters.size()];
    for (int i = 0; i < values.length; i++) {
      Parameter parameter = parameters.get(i);
      String name = parameter.getName();
      values[i] =
          switch (parameter.getIn()) {
            case QUERY -> {
              List<String> all = ctx.queryParam(name);
              yield all.isEmpty() ? null : all.get(0);
            }
            case HEADER -> request.getHeader(name);
            case COOKIE -> {
              Cookie cookie = request.getCookie(name);
              yield cookie == null ? null : cookie.getValue();
            }
            case PATH -> {
              String segment = segment(ctx.normalizedPath(), rules.pathSegment(parameter));
              yield segment == null ? null : decode(segment);
            }
          };
    }
    return values;
  }

  private static Buffer emptyToNull(Buffer body) {
    return body == null || body.length() == 0 ? null : body;
  }

  private static long limitFor(Operation operation) {
    return operation.getOpenAPIPath().startsWith("/api/auth/") ? AuthRoutes.BODY_LIMIT : BODY_LIMIT;
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      // Nothing escaped, and a '+' in a path is itself: the segment is its own value.
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }
}
