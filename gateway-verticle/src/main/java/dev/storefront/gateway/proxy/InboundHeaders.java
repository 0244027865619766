package dev.storefront.gateway.proxy;

import dev.storefront.common.http.ContentType;
import dev.storefront.common.http.Problems;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The edge's check of a request's header section, before authentication and before anything is
 * forwarded: what a service could not be sent, or what would be read one way here and another way
 * there, is the client's 400 problem, never a failure of the instance it would have gone to.
 *
 * <ul>
 *   <li>a header name must be a token (RFC 9110 5.1): not empty, no separators or controls;
 *   <li>a header value must hold no control character but HTAB (RFC 9110 5.5): the HTTP/1.1
 *       connection to the service could not carry it, and HTTP/2 clients can send one;
 *   <li>an HTTP/2 header value neither starts nor ends with a space or tab (RFC 9113 8.2.1);
 *   <li>an HTTP/1.1 request has exactly one {@code Host} (RFC 9112 3.2), and no request has two.
 * </ul>
 *
 * <p>It also takes out of the client's headers those its {@code Connection} header lists (RFC 9110
 * 7.6.1), here, before the gateway adds its own (the caller's identity, say): a client cannot name
 * those away. The framing headers stay, since the body was read by them.
 */
public final class InboundHeaders {

  private InboundHeaders() {}

  public static void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String problem = problem(request);
    if (problem != null) {
      ctx.fail(Problems.of(400, problem));
      return;
    }
    dropConnectionScoped(request.headers());
    ctx.next();
  }

  /** What is wrong with the request's headers, or null. */
  static String problem(HttpServerRequest request) {
    MultiMap headers = request.headers();
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    int hosts = 0;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (!isToken(name)) {
        return "A header name is empty or holds a character a header name may not";
      }
      String value = header.getValue();
      if (hasControl(value)) {
        return "The value of the " + name + " header holds a control character";
      }
      if (http2 && hasOuterWhitespace(value)) {
        return "The value of the " + name + " header starts or ends with whitespace";
      }
      if (name.length() == 4 && name.equalsIgnoreCase("host")) {
        hosts++;
      }
    }
    if (hosts > 1) {
      return "The request has more than one Host header";
    }
    if (hosts == 0 && request.version() == HttpVersion.HTTP_1_1) {
      return "An HTTP/1.1 request needs a Host header";
    }
    return null;
  }

  /** Whether {@code name} is a non-empty token. */
  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!ContentType.isTokenChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} holds a control character (CTL) other than HTAB, DEL included. */
  static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasOuterWhitespace(String value) {
    if (value.isEmpty()) {
      return false;
    }
    char first = value.charAt(0);
    char last = value.charAt(value.length() - 1);
    return first == ' ' || first == '\t' || last == ' ' || last == '\t';
  }

  /**
   * Removes the headers a Connection header line names, but for the hop-by-hop ones (dropped
   * anyway) and those that framed the request.
   */
  static void dropConnectionScoped(MultiMap headers) {
    if (headers.get(HttpHeaders.CONNECTION) == null) {
      return;
    }
    List<String> named = new ArrayList<>();
    for (String line : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String name : line.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty() && !ProxyHandler.hopByHop(trimmed) && !framing(trimmed)) {
          named.add(trimmed);
        }
      }
    }
    named.forEach(headers::remove);
  }

  private static boolean framing(String name) {
    return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding");
  }
}
