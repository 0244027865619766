package dev.storefront.gateway.edge;

import dev.storefront.common.http.Problems;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
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
 *       Vert.x refuses oversized heads itself, and {@link #invalidRequestHandler()} makes those
 *       refusals problem+json.
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
   * connection; {@link #invalidRequestHandler()} turns those answers into problem+json.
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setMaxInitialLineLength(config.maxInitialLineLength())
        .setIdleTimeout(config.idleTimeoutSeconds());
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: the statuses Vert.x's default handler sends for a
   * request that could not be decoded (414 line too long, 431 headers too large, 400 otherwise), as
   * problem+json, and the connection closed since its framing cannot be trusted.
   */
  public static Handler<HttpServerRequest> invalidRequestHandler() {
    return request -> {
      DecoderResult result = request.decoderResult();
      Throwable cause = result == null ? null : result.cause();
      int status;
      String detail;
      if (cause instanceof TooLongHttpLineException) {
        status = 414;
        detail = "The request line is too long";
      } else if (cause instanceof TooLongHttpHeaderException) {
        status = 431;
        detail = "The request headers are too large";
      } else if (cause instanceof TooLongFrameException) {
        status = 431;
        detail = "The request head is too large";
      } else {
        status = 400;
        detail = "The request could not be parsed";
      }
      var response = request.response();
      if (request.version() != HttpVersion.HTTP_2) {
        // HTTP/2 allows no Connection header; the connection is closed below either way.
        response.putHeader(HttpHeaders.CONNECTION, "close");
      }
      Problems.write(response, Problems.of(status, detail), null)
          .onComplete(ar -> request.connection().close());
    };
  }
}
