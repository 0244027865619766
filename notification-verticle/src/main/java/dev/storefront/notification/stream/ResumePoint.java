package dev.storefront.notification.stream;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Where a stream resumes: after the number a client last received. A reconnecting EventSource sends
 * it in {@value #HEADER}; a first connection that has just read the list may pass the newest number
 * it saw as {@value #QUERY}. The header wins; with neither, the stream starts at the feed's head.
 */
public final class ResumePoint {

  public static final String HEADER = "Last-Event-ID";
  public static final String QUERY = "after";

  /** Plain decimal digits: no sign, no spaces inside, no exponent. */
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private ResumePoint() {}

  /**
   * The number to resume after, if the client gave one. A blank value counts as none (an
   * EventSource whose last event had an empty id sends none either); anything but a whole number
   * from 0 fails with a 400 problem.
   */
  public static OptionalLong parse(String header, String query) {
    if (header != null && !header.isBlank()) {
      return OptionalLong.of(number(HEADER, header));
    }
    if (query != null && !query.isBlank()) {
      return OptionalLong.of(number(QUERY, query));
    }
    return OptionalLong.empty();
  }

  private static long number(String name, String raw) {
    String value = raw.trim();
    if (DIGITS.matcher(value).matches()) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        // Nineteen digits past Long.MAX_VALUE: answered below.
      }
    }
    throw invalid(name, raw);
  }

  private static ProblemException invalid(String name, String raw) {
    String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    return Problems.of(
        400, name + " must be a notification id, a whole number from 0, got '" + shown + "'");
  }
}
