package dev.storefront.notification.http;

import dev.storefront.common.http.Problems;
import io.vertx.core.MultiMap;
import java.util.Locale;

/**
 * The query of a list request: {@code page} (from {@value #FIRST_PAGE}), {@code size} (1 to the
 * configured cap, {@value #DEFAULT_SIZE} by default) and the optional {@code unread} filter (true:
 * unread only, false: read only, absent: all). Anything else is a 400 problem.
 */
public record PageRequest(int page, int size, Boolean unread) {

  /** Pages count from 1, as everywhere else in the public API. */
  public static final int FIRST_PAGE = 1;

  public static final int DEFAULT_SIZE = 20;

  /** Keeps {@code page * size} far inside a long and the offset meaningful. */
  static final int MAX_PAGE = 21_474_836;

  public static PageRequest from(MultiMap params, int maxSize) {
    int page = integer(params, "page", FIRST_PAGE, FIRST_PAGE, MAX_PAGE);
    int size = integer(params, "size", Math.min(DEFAULT_SIZE, maxSize), 1, maxSize);
    return new PageRequest(page, size, bool(params, "unread"));
  }

  private static int integer(MultiMap params, String name, int defaultValue, int min, int max) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Answered below, like a number out of bounds.
    }
    throw Problems.of(
        400, name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  private static Boolean bool(MultiMap params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw Problems.of(400, name + " must be true or false, got '" + value + "'");
    };
  }
}
