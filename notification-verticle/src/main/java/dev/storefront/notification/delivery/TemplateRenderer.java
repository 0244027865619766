package dev.storefront.notification.delivery;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The e-mail templates' language, all of it: {@code {{name}}} is replaced by the value of {@code
 * name}. Values are escaped for where they land: HTML-escaped in an HTML part, folded onto one line
 * in a header, as they are in plain text. A name without a value is an error, never an empty hole.
 */
public final class TemplateRenderer {

  /** How values are written into the template. */
  public enum Escaping {
    TEXT,
    HTML,
    HEADER
  }

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");

  private TemplateRenderer() {}

  public static String render(String template, Map<String, String> values, Escaping escaping) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("no value for {{" + name + "}}");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(escape(value, escaping)));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The names {@code template} uses. */
  public static Set<String> placeholders(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  static String escape(String value, Escaping escaping) {
    return switch (escaping) {
      case TEXT -> value;
      case HTML -> escapeHtml(value);
      case HEADER -> value.replaceAll("[\\r\\n\\t]+", " ").strip();
    };
  }

  /** Escapes the five characters that matter in HTML text and attribute values. */
  public static String escapeHtml(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
