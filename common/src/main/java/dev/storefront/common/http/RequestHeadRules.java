package dev.storefront.common.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a decoded HTTP/1.x request head must satisfy before anything acts on it: the message framing
 * rules of RFC 9112 §6 (one way to find where the body ends, or none) and a Host a server can trust
 * (§3.2). A request that breaks one is refused and its connection closed, since where the next
 * request starts can no longer be known.
 */
final class RequestHeadRules {

  private RequestHeadRules() {}

  /**
   * The refusal for {@code request}, whose head had {@code hostLines} Host lines, or null when its
   * head may be acted on.
   */
  static ProblemException check(HttpRequest request, int hostLines) {
    HttpVersion version = request.protocolVersion();
    if (!version.protocolName().equals("HTTP")) {
      return Problems.of(400, "The request line is malformed");
    }
    boolean http10 = version.majorVersion() == 1 && version.minorVersion() == 0;
    boolean http11 = version.majorVersion() == 1 && version.minorVersion() == 1;
    if (!http10 && !http11) {
      return Problems.of(505, "Only HTTP/1.0 and HTTP/1.1 are spoken here, not " + version.text());
    }
    if (!validTarget(request.method().name(), request.uri())) {
      return Problems.of(400, "The request target is malformed");
    }
    HttpHeaders headers = request.headers();
    ProblemException host = checkHost(headers.get(HttpHeaderNames.HOST), hostLines, http11);
    if (host != null) {
      return host;
    }
    if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return null;
    }
    List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (http10) {
      return Problems.of(400, "HTTP/1.0 has no Transfer-Encoding; its framing cannot be trusted");
    }
    ProblemException codings = checkCodings(codings(transferEncodings));
    if (codings != null) {
      return codings;
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return Problems.of(400, "A request may carry Content-Length or Transfer-Encoding, not both");
    }
    return null;
  }

  /**
   * The request target in one of the forms a server accepts (RFC 9112 §3.2): a path, an absolute
   * URI, or "*" for OPTIONS.
   */
  static boolean validTarget(String method, String uri) {
    if (uri.startsWith("/")) {
      return true;
    }
    if (uri.equals("*")) {
      return method.equals("OPTIONS");
    }
    int scheme = uri.indexOf("://");
    return scheme > 0 && uri.substring(0, scheme).chars().allMatch(Character::isLetter);
  }

  private static ProblemException checkHost(String host, int hostLines, boolean http11) {
    if (hostLines > 1) {
      return Problems.of(400, "A request carries exactly one Host header");
    }
    if (host == null) {
      return http11 ? Problems.of(400, "An HTTP/1.1 request must carry a Host header") : null;
    }
    return validHost(host) ? null : Problems.of(400, "The Host header is malformed");
  }

  /**
   * {@code uri-host [ ":" port ]} (RFC 9110 §7.2): a registered name or IPv4 address of unreserved,
   * percent-encoded and sub-delim characters, or a bracketed IP literal.
   */
  static boolean validHost(String host) {
    if (host.isEmpty() || host.length() > 255) {
      return false;
    }
    int portStart;
    if (host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 0 || !ipLiteral(host.substring(1, close))) {
        return false;
      }
      portStart = close + 1;
    } else {
      int colon = host.indexOf(':');
      portStart = colon < 0 ? host.length() : colon;
      if (portStart == 0) {
        return false;
      }
      for (int i = 0; i < portStart; i++) {
        if (!regNameChar(host.charAt(i))) {
          return false;
        }
      }
    }
    if (portStart == host.length()) {
      return true;
    }
    if (host.charAt(portStart) != ':' || host.length() - portStart > 6) {
      return false;
    }
    for (int i = portStart + 1; i < host.length(); i++) {
      if (host.charAt(i) < '0' || host.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean ipLiteral(String literal) {
    if (literal.isEmpty()) {
      return false;
    }
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static boolean regNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
  }

  /**
   * The codings of every Transfer-Encoding field, in order, lower-cased; empty list elements out.
   */
  static List<String> codings(List<String> fields) {
    List<String> codings = new ArrayList<>();
    for (String field : fields) {
      for (String element : field.split(",", -1)) {
        String coding = element.strip().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) {
          codings.add(coding);
        }
      }
    }
    return codings;
  }

  /** Codings registered for HTTP (RFC 9110 §8.4.1), none of which this server applies. */
  private static final Set<String> KNOWN_CODINGS =
      Set.of("chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress", "identity");

  /**
   * RFC 9112 §6.1 and §6.3: a coding this server does not understand is 501; chunked must be the
   * last coding, and only once, or the body's end is unknown (400); gzip and the like before it are
   * understood but not implemented here (501).
   */
  static ProblemException checkCodings(List<String> codings) {
    for (String coding : codings) {
      if (!KNOWN_CODINGS.contains(coding)) {
        return Problems.of(501, "Transfer-Encoding " + printable(coding) + " is not supported");
      }
    }
    if (codings.isEmpty()
        || !codings.get(codings.size() - 1).equals("chunked")
        || codings.indexOf("chunked") != codings.size() - 1) {
      return Problems.of(400, "Transfer-Encoding must end in chunked, applied once");
    }
    if (codings.size() > 1) {
      return Problems.of(501, "Only the chunked transfer coding is supported");
    }
    return null;
  }

  private static String printable(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) : text;
    return shown.chars().allMatch(c -> c >= 0x21 && c < 0x7f) ? "'" + shown + "'" : "(unprintable)";
  }
}
