package dev.storefront.gateway.openapi;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A check of one raw parameter value that answers "certainly valid" without the schema library, for
 * the simple schemas most parameters have: a string with a length, a pattern and at most the {@code
 * uuid} format; an integer with bounds; a boolean. vertx-json-schema 5.0.8 compiles a schema's
 * {@code pattern} anew for every value it checks, and vertx-openapi's transformer runs a regular
 * expression of its own on every value: together the largest part of validating a request such as
 * {@code GET /api/products/{id}}.
 *
 * <p>The check never refuses anything: a value it does not accept (an invalid one, or one it is not
 * sure of, such as a non-ASCII string or {@code 007}) goes through the library as before, which
 * accepts it or words the refusal. It accepts only what the library accepts, keyword by keyword.
 */
final class SimpleValueCheck {

  /** Keywords that do not constrain a value. */
  private static final Set<String> ANNOTATIONS =
      Set.of("description", "title", "example", "examples", "default", "deprecated", "$comment");

  private static final Set<String> STRING_KEYWORDS =
      Set.of("type", "minLength", "maxLength", "pattern", "format");
  private static final Set<String> INTEGER_KEYWORDS =
      Set.of("type", "minimum", "maximum", "format");
  private static final Set<String> BOOLEAN_KEYWORDS = Set.of("type");

  private static final String URN_UUID = "urn:uuid:";

  /**
   * The pattern the API document gives its ids (components.schemas.Uuid): checked by hand rather
   * than by a regular expression, as it runs for every request that names a product, cart item or
   * order.
   */
  static final String UUID_PATTERN =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  /** Longest integer taken here: 18 digits always fit a long. */
  private static final int MAX_DIGITS = 18;

  private SimpleValueCheck() {}

  /**
   * A check for {@code schema}, or null when the schema is not simple enough to be checked here
   * (then the library checks every value, as before).
   */
  static Predicate<String> of(JsonObject schema) {
    if (schema == null) {
      return null;
    }
    Object type = schema.getValue("type");
    if ("string".equals(type)) {
      return constrainedBy(schema, STRING_KEYWORDS) ? stringCheck(schema) : null;
    }
    if ("integer".equals(type)) {
      return constrainedBy(schema, INTEGER_KEYWORDS) ? integerCheck(schema) : null;
    }
    if ("boolean".equals(type)) {
      return constrainedBy(schema, BOOLEAN_KEYWORDS)
          ? raw -> "true".equals(raw) || "false".equals(raw)
          : null;
    }
    return null;
  }

  /** The schema's fields as JSON, leaving out the library's own annotations ({@code __…}). */
  static JsonObject fields(JsonSchema schema) {
    JsonObject json = new JsonObject();
    for (String name : schema.fieldNames()) {
      if (!name.startsWith("__")) {
        json.put(name, schema.get(name));
      }
    }
    return json;
  }

  private static boolean constrainedBy(JsonObject schema, Set<String> keywords) {
    for (String name : schema.fieldNames()) {
      if (!keywords.contains(name) && !ANNOTATIONS.contains(name) && !name.startsWith("__")) {
        return false;
      }
    }
    return true;
  }

  private static Predicate<String> stringCheck(JsonObject schema) {
    Object format = schema.getValue("format");
    if (format != null && !"uuid".equals(format)) {
      return null;
    }
    Long minLength = integral(schema.getValue("minLength"));
    Long maxLength = integral(schema.getValue("maxLength"));
    if ((schema.containsKey("minLength") && minLength == null)
        || (schema.containsKey("maxLength") && maxLength == null)) {
      return null;
    }
    Object patternValue = schema.getValue("pattern");
    if (patternValue != null && !(patternValue instanceof String)) {
      return null;
    }
    Predicate<String> pattern = patternValue == null ? null : patternCheck((String) patternValue);
    boolean uuid = format != null;
    return raw -> {
      // Lengths count as the library counts them once every character is ASCII.
      for (int i = 0; i < raw.length(); i++) {
        if (raw.charAt(i) >= 0x80) {
          return false;
        }
      }
      int length = raw.length();
      return (minLength == null || length >= minLength)
          && (maxLength == null || length <= maxLength)
          && (pattern == null || pattern.test(raw))
          && (!uuid || isUuid(raw));
    };
  }

  /** Whether a value matches {@code pattern} somewhere, as JSON Schema's {@code pattern} asks. */
  static Predicate<String> patternCheck(String pattern) {
    if (UUID_PATTERN.equals(pattern)) {
      // Exactly 36 characters leaves out the urn:uuid: prefix isUuid takes and the pattern does
      // not.
      return raw -> raw.length() == 36 && isUuid(raw);
    }
    Pattern compiled = Pattern.compile(pattern);
    return raw -> compiled.matcher(raw).find();
  }

  /**
   * The library's own {@code uuid} format (vertx-json-schema's Format): {@code
   * ^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$}, case-insensitive; by hand, as
   * this runs for every request for a product, a cart item or an order.
   */
  static boolean isUuid(String value) {
    int start =
        value.regionMatches(true, 0, URN_UUID, 0, URN_UUID.length()) ? URN_UUID.length() : 0;
    if (value.length() - start != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = value.charAt(start + i);
      boolean ok =
          (i == 8 || i == 13 || i == 18 || i == 23)
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Predicate<String> integerCheck(JsonObject schema) {
    Object format = schema.getValue("format");
    if (format != null && !"int64".equals(format) && !"int32".equals(format)) {
      return null;
    }
    Long minimum = integral(schema.getValue("minimum"));
    Long maximum = integral(schema.getValue("maximum"));
    if ((schema.containsKey("minimum") && minimum == null)
        || (schema.containsKey("maximum") && maximum == null)) {
      return null;
    }
    boolean int32 = "int32".equals(format);
    long low = minimum == null ? Long.MIN_VALUE : minimum;
    long high =
        Math.min(
            maximum == null ? Long.MAX_VALUE : maximum, int32 ? Integer.MAX_VALUE : Long.MAX_VALUE);
    return raw -> {
      Long value = canonicalInteger(raw);
      return value != null && value >= low && value <= high;
    };
  }

  /**
   * The value of a plain decimal integer without a sign, leading zeros or more than {@value
   * #MAX_DIGITS} digits, which reads as the same integer everywhere; null for anything else.
   */
  static Long canonicalInteger(String raw) {
    int length = raw.length();
    if (length == 0 || length > MAX_DIGITS || (raw.charAt(0) == '0' && length > 1)) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** A whole number in the schema (JSON may give 5 or 5.0), or null. */
  private static Long integral(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    return null;
  }
}
