package dev.storefront.common.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code Content-Type} header read by the grammar of RFC 9110 (8.3.1, 5.6.6): {@code type "/"
 * subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )}. Parsing here, before anything
 * else reads the header, keeps a malformed one from reaching vertx-web's lenient parser, which
 * throws on some (an unterminated quoted string) and so turns a client's mistake into a 500.
 *
 * @param type the top-level type, lower case
 * @param subtype the subtype, lower case
 * @param parameters parameter values by lower-case name, unquoted
 */
public record ContentType(String type, String subtype, Map<String, String> parameters) {

  /** The parsed header, or null when it does not follow the grammar or repeats a parameter. */
  public static ContentType parse(String header) {
    int length = header.length();
    int i = skipWhitespace(header, 0);
    int typeEnd = tokenEnd(header, i);
    if (typeEnd == i || typeEnd >= length || header.charAt(typeEnd) != '/') {
      return null;
    }
    String type = header.substring(i, typeEnd).toLowerCase(Locale.ROOT);
    int subtypeStart = typeEnd + 1;
    int subtypeEnd = tokenEnd(header, subtypeStart);
    if (subtypeEnd == subtypeStart) {
      return null;
    }
    String subtype = header.substring(subtypeStart, subtypeEnd).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = Map.of();
    i = skipWhitespace(header, subtypeEnd);
    while (i < length) {
      if (header.charAt(i) != ';') {
        return null;
      }
      i = skipWhitespace(header, i + 1);
      if (i == length || header.charAt(i) == ';') {
        // An empty parameter is allowed.
        continue;
      }
      int nameEnd = tokenEnd(header, i);
      if (nameEnd == i || nameEnd >= length || header.charAt(nameEnd) != '=') {
        return null;
      }
      String name = header.substring(i, nameEnd).toLowerCase(Locale.ROOT);
      int valueStart = nameEnd + 1;
      String value;
      int valueEnd;
      if (valueStart < length && header.charAt(valueStart) == '"') {
        StringBuilder unquoted = new StringBuilder();
        valueEnd = quotedStringEnd(header, valueStart, unquoted);
        if (valueEnd < 0) {
          return null;
        }
        value = unquoted.toString();
      } else {
        valueEnd = tokenEnd(header, valueStart);
        if (valueEnd == valueStart) {
          return null;
        }
        value = header.substring(valueStart, valueEnd);
      }
      if (parameters.isEmpty()) {
        parameters = new TreeMap<>();
      }
      if (parameters.put(name, value) != null) {
        // Two values for one parameter (charset, say): no reading of them is safe.
        return null;
      }
      i = skipWhitespace(header, valueEnd);
    }
    return new ContentType(type, subtype, parameters);
  }

  /** Whether this is {@code application/json} or a JSON-based {@code +json} type. */
  public boolean isJson() {
    return type.equals("application") && (subtype.equals("json") || subtype.endsWith("+json"));
  }

  /** The {@code charset} parameter, or null. */
  public String charset() {
    return parameters.get("charset");
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int tokenEnd(String s, int i) {
    while (i < s.length() && isTokenChar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether {@code c} is a {@code tchar} of RFC 9110 5.6.2. */
  public static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }

  /**
   * The index just past the quoted string opening at {@code start}, its content appended to {@code
   * out}; -1 when it is not closed or holds a character a quoted string may not.
   */
  private static int quotedStringEnd(String s, int start, StringBuilder out) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 == s.length() || !quotable(s.charAt(i + 1))) {
          return -1;
        }
        out.append(s.charAt(i + 1));
        i += 2;
        continue;
      }
      if (!quotable(c)) {
        return -1;
      }
      out.append(c);
      i++;
    }
    return -1;
  }

  /** HTAB, SP, visible ASCII and obs-text: what a quoted string may hold (quoted if need be). */
  private static boolean quotable(char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
  }
}
