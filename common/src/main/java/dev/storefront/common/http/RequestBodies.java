package dev.storefront.common.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** What a request's head says of its body. */
public final class RequestBodies {

  private RequestBodies() {}

  /** Whether the request declares a body: a Content-Length other than 0, or a transfer coding. */
  public static boolean declared(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !"0".equals(length.trim()))
        || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }
}
