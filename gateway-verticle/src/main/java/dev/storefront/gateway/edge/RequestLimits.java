package dev.storefront.gateway.edge;

import dev.storefront.common.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * Limits on the size and duration of requests, as route handlers and server options.
 *
 * <ul>
 *   <li>{@link #bodySize()}: a declared Content-Length over {@code MAX_BODY_BYTES} is a 413 before
 *       any byte is read or forwarded. A body without a length (chunked) is counted as it streams,
 *       by reading it through {@link LimitedBody}.
 *   <li>{@link #timeout()}: a request not answered within {@code REQUEST_TIMEOUT_MS} is a 504,
 *       except on the long-lived stream paths of {@code REQUEST_TIMEOUT_EXEMPT}.
 *   <li>{@link #applyTo(HttpServerOptions)}: header and request-line limits and the idle timeout;
 *       Vert.x refuses oversized heads itself, and the common {@code InvalidRequests} handler makes
 *       those refusals problem+json.
 * </ul>
 */
public final class RequestLimits {

  private final EdgeConfig config;
  private final Deadlines deadlines;

  /** Limits whose request timeout keeps its own deadlines, for requests of one event loop. */
  public RequestLimits(EdgeConfig config) {
    this(config, new Deadlines());
  }

  /**
   * @param deadlines the deadlines of the event loop the {@link #timeout()} handler runs on
   */
  public RequestLimits(EdgeConfig config, Deadlines deadlines) {
    this.config = config;
    this.deadlines = deadlines;
  }

  /** Refuses a declared body larger than the limit with 413, before reading any of it. */
  public Handler<RoutingContext> bodySize() {
    return ctx -> {
      String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null) {
        long declared;
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          ctx.fail(Problems.of(400, "Content-Length is not a number"));
          return;
        }
        if (declared > config.maxBodyBytes()) {
          // Refused unread: the problem handler closes an HTTP/1 connection after the answer.
          ctx.fail(LimitedBody.tooLarge(config.maxBodyBytes()));
          return;
        }
      }
      ctx.next();
    };
  }

  /**
   * Answers 504 when the whole exchange, body in and answer out, takes longer than the request
   * timeout. A response already under way is cut off instead (the failure handler closes the
   * connection), since its status line has left. The 504 may come up to 10 ms late (see {@link
   * Deadlines}).
   */
  public Handler<RoutingContext> timeout() {
    long millis = config.requestTimeout().toMillis();
    return ctx -> {
      if (millis <= 0 || config.timeoutExempt(ctx.normalizedPath())) {
        ctx.next();
        return;
      }
      Deadlines.Deadline deadline =
          deadlines.start(
              millis,
              v -> {
                if (!ctx.response().ended() && !ctx.failed()) {
                  ctx.fail(
                      Problems.of(504, "The request was not completed within " + millis + " ms"));
                }
              });
      ctx.addEndHandler(v -> deadline.cancel());
      ctx.next();
    };
  }

  /**
   * Sets the head-size limits and idle timeout on the gateway's server options. Vert.x answers a
   * request line over the limit with 414 and a header block over it with 431, then closes the
   * connection; the common {@code InvalidRequests} handler answers those as problem+json.
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setMaxInitialLineLength(config.maxInitialLineLength())
        .setIdleTimeout(config.idleTimeoutSeconds());
  }
}
