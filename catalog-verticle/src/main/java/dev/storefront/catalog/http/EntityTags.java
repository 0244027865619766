package dev.storefront.catalog.http;

import dev.storefront.common.http.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of products: the product's version as a strong tag, {@code "3"}. Conditional headers
 * are lists of tags (RFC 9110 §8.8.3) or {@code *}.
 */
final class EntityTags {

  /** One tag of a list: {@code W/"x"} is weak. */
  record Tag(String opaque, boolean weak) {}

  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(,|$)");

  private EntityTags() {}

  static String of(int version) {
    return "\"" + version + "\"";
  }

  /** The tags of a header value, or null for {@code *}; a 400 problem when it is malformed. */
  static List<Tag> parse(String header, String name) {
    String value = header.trim();
    if (value.equals("*")) {
      return null;
    }
    List<Tag> tags = new ArrayList<>();
    Matcher m = TAG.matcher(value);
    int at = 0;
    while (at < value.length()) {
      if (!m.find(at) || m.start() != at) {
        throw Problems.of(400, name + " must be a list of entity tags such as \"3\", or *");
      }
      tags.add(new Tag(m.group(2), m.group(1) != null));
      at = m.end();
    }
    if (tags.isEmpty()) {
      throw Problems.of(400, name + " must be a list of entity tags such as \"3\", or *");
    }
    return tags;
  }

  /**
   * Whether If-None-Match lets the representation of {@code version} be answered 304. Weak
   * comparison: {@code W/"3"} matches version 3 too.
   */
  static boolean notModified(String ifNoneMatch, int version) {
    if (ifNoneMatch == null) {
      return false;
    }
    List<Tag> tags = parse(ifNoneMatch, "If-None-Match");
    String current = Integer.toString(version);
    return tags == null || tags.stream().anyMatch(t -> t.opaque().equals(current));
  }

  /**
   * The versions If-Match allows a change to; a 428 problem when it is missing, because an
   * unconditional write would silently overwrite whatever changed in between. Strong comparison: a
   * weak tag never matches.
   */
  static IntPredicate ifMatch(String ifMatch) {
    if (ifMatch == null) {
      throw Problems.of(
          428, "If-Match is required: send the ETag of the product the change is based on");
    }
    List<Tag> tags = parse(ifMatch, "If-Match");
    if (tags == null) {
      return version -> true;
    }
    return version -> {
      String current = Integer.toString(version);
      return tags.stream().anyMatch(t -> !t.weak() && t.opaque().equals(current));
    };
  }
}
