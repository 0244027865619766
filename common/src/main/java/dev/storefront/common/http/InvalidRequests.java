package dev.storefront.common.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests that never reach a router because their head could not be decoded or trusted
 * (see {@link StrictRequestDecoder}): as problem+json, with {@code Connection: close}, and then
 * closes the connection, since where the next request would start is unknown.
 */
public final class InvalidRequests {

  private InvalidRequests() {}

  /** For {@code HttpServer.invalidRequestHandler}. */
  public static void handle(HttpServerRequest request) {
    ProblemException problem = problem(request.decoderResult());
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    Problems.write(request.response(), problem, null)
        .onComplete(ar -> request.connection().close());
  }

  static ProblemException problem(DecoderResult result) {
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof ProblemException problem) {
      return problem;
    }
    if (cause instanceof TooLongHttpLineException) {
      return Problems.of(414, "The request line is too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problems.of(431, "The request headers are too large");
    }
    if (cause instanceof TooLongFrameException) {
      return Problems.of(431, "The request head is too large");
    }
    return Problems.of(400, "The request could not be parsed");
  }
}
