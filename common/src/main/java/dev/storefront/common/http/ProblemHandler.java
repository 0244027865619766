package dev.storefront.common.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every failed route ends here and leaves as {@code
 * application/problem+json}. Unexpected failures are logged with the request id and answered with a
 * generic 500 that never carries a stack trace.
 */
public final class ProblemHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private ProblemHandler() {}

  public static void handle(RoutingContext ctx) {
    ProblemException problem = toProblem(ctx);
    if (problem.status() >= 500) {
      if (ctx.failure() instanceof ProblemException) {
        // A failure the code foresaw and described, such as a dependency that is down.
        LOG.warn(
            "{} {} answered {}: {}",
            ctx.request().method(),
            ctx.normalizedPath(),
            problem.status(),
            problem.detail());
      } else {
        LOG.error(
            "{} {} failed with {}",
            ctx.request().method(),
            ctx.normalizedPath(),
            problem.status(),
            ctx.failure());
      }
    }
    if (ctx.response().headWritten()) {
      // Part of a response already left: the only honest signal left is a broken connection.
      ctx.request().connection().close();
      return;
    }
    Problems.write(ctx.response(), problem, ctx.request().path());
  }

  static ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException problem) {
      return problem;
    }
    if (failure instanceof HttpException http) {
      String detail =
          http.getPayload() != null ? http.getPayload() : Problems.reason(http.getStatusCode());
      return Problems.of(http.getStatusCode(), detail);
    }
    if (failure instanceof DecodeException) {
      return Problems.of(400, "The request body is not valid JSON");
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400) {
      return Problems.of(status, defaultDetail(status));
    }
    return Problems.of(500, "The server could not handle the request");
  }

  private static String defaultDetail(int status) {
    return switch (status) {
      case 404 -> "No resource at this path";
      case 405 -> "This resource does not support the method";
      case 413 -> "The request body is too large";
      case 415 -> "The request content type is not supported";
      default -> Problems.reason(status);
    };
  }
}
