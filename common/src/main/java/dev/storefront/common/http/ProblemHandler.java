package dev.storefront.common.http;

import dev.storefront.common.db.Database;
import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every failed route ends here and leaves as {@code
 * application/problem+json}. Unexpected failures are logged with the request id and answered with a
 * generic 500 that never carries a stack trace.
 */
public final class ProblemHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  /** Seconds a client waits before repeating a request refused because a dependency was busy. */
  static final String RETRY_AFTER_BUSY = "1";

  private ProblemHandler() {}

  public static void handle(RoutingContext ctx) {
    ProblemException problem = toProblem(ctx);
    boolean busy = !(ctx.failure() instanceof ProblemException) && isBusyDependency(ctx.failure());
    if (problem.status() >= 500) {
      if (ctx.failure() instanceof ProblemException || busy) {
        // A failure the code foresaw and described, such as a dependency that is down, or a
        // dependency too busy for now: a line each, no stack trace, as a burst brings many.
        LOG.warn(
            "{} {} answered {}: {}",
            ctx.request().method(),
            ctx.normalizedPath(),
            problem.status(),
            busy ? ctx.failure().toString() : problem.detail());
      } else {
        LOG.error(
            "{} {} failed with {}",
            ctx.request().method(),
            ctx.normalizedPath(),
            problem.status(),
            ctx.failure());
      }
    }
    answer(ctx, problem, busy ? RETRY_AFTER_BUSY : retryAfter(problem));
  }

  /**
   * For {@code Router.errorHandler(status, ...)}: a request the router refused before any route
   * handled it (a path that does not decode, a failure inside a failure handler). Such a context
   * may carry no failure and no status, and its path may not decode, so the status is the one the
   * handler was registered for and the instance is the raw path.
   */
  public static Handler<RoutingContext> forStatus(int status) {
    return ctx -> {
      if (ctx.response().ended() || ctx.response().closed()) {
        return;
      }
      if (status >= 500) {
        LOG.error("{} {} failed with {}", ctx.request().method(), ctx.request().path(), status);
      }
      answer(
          ctx,
          status >= 500
              ? Problems.of(status, "The server could not handle the request")
              : Problems.of(status, defaultDetail(status)),
          null);
    };
  }

  /** Writes {@code problem} as the answer, with {@code retryAfter} seconds when not null. */
  private static void answer(RoutingContext ctx, ProblemException problem, String retryAfter) {
    if (ctx.response().headWritten()) {
      // Part of a response already left: the only honest signal left is a broken connection.
      ctx.request().connection().close();
      return;
    }
    if (bodyUnread(ctx.request()) && ctx.request().version() != HttpVersion.HTTP_2) {
      // Answered before the request's body was read (a refusal at the edge, say): the rest of it
      // would hold the HTTP/1 connection up, paused, or be read as the next request. Closing is
      // cheaper than reading a body nobody wants. (An HTTP/2 stream ends on its own.)
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    if (retryAfter != null && !ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
    }
    Problems.write(ctx.response(), problem, ctx.request().path());
  }

  /**
   * A problem that says when to try again (a {@code retryAfter} extension, in seconds) says it in
   * {@code Retry-After} too, the header clients and proxies act on.
   */
  private static String retryAfter(ProblemException problem) {
    return problem.extensions().getValue("retryAfter") instanceof Number seconds
        ? Long.toString(seconds.longValue())
        : null;
  }

  /**
   * Whether the request declared a body that has not all been read. A request without one (a GET)
   * is not over yet either while its head is being handled, but nothing of it is left to come.
   */
  static boolean bodyUnread(HttpServerRequest request) {
    return !request.isEnded() && RequestBodies.declared(request);
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
    if (isBusyDependency(failure)) {
      return Problems.of(503, "The service is busy; try again shortly");
    }
    int status = ctx.statusCode();
    // A status failed with, such as vertx-web's 400 for an HTTP/1.1 request without Host: the
    // request's fault whatever the throwable, so its own status, not a 500.
    if (status >= 400 && (failure == null || status < 500)) {
      return Problems.of(status, defaultDetail(status));
    }
    return Problems.of(500, "The server could not handle the request");
  }

  /**
   * A failure that says a dependency could not take the request now, rather than that the request
   * or the code is wrong: a connection pool whose wait queue is full (the database pool under a
   * burst), a wait that timed out (for a pooled connection, say), a dependency refusing connections
   * (PostgreSQL with no slot left, say). The client may repeat the request, so it gets 503 with
   * {@code Retry-After} instead of a 500. The cause is followed a few levels, as futures wrap
   * failures.
   */
  static boolean isBusyDependency(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
      if (cause instanceof ConnectionPoolTooBusyException
          || cause instanceof TimeoutException
          || cause instanceof ConnectException) {
        return true;
      }
    }
    return Database.unavailable(failure);
  }

  private static String defaultDetail(int status) {
    return switch (status) {
      case 400 -> "The request is malformed";
      case 404 -> "No resource at this path";
      case 405 -> "This resource does not support the method";
      case 413 -> "The request body is too large";
      case 415 -> "The request content type is not supported";
      default -> Problems.reason(status);
    };
  }
}
