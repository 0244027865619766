package dev.storefront.catalog.model;

import dev.storefront.common.http.Problems;
import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * What a listing asks for: optional search words and category, an order, and a page. Built from
 * query parameters, so every rule a client can break answers 400 here, before any SQL.
 */
public record ProductQuery(
    Optional<String> q, Optional<String> category, Sort sort, int page, int size) {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;

  /** The largest page whose offset still fits an int at the largest size, as the API documents. */
  public static final int MAX_PAGE = Integer.MAX_VALUE / MAX_SIZE;

  static final int MAX_Q = 200;
  static final int MAX_CATEGORY = 100;

  /** Listing orders. Rank is what a search gets when it names no order. */
  public enum Sort {
    NAME("name"),
    PRICE("price"),
    PRICE_DESC("-price"),
    RANK("rank");

    private final String param;

    Sort(String param) {
      this.param = param;
    }

    public String param() {
      return param;
    }

    static Optional<Sort> ofParam(String value) {
      for (Sort sort : values()) {
        // Rank is not a choice a client makes; it follows from q.
        if (sort != RANK && sort.param.equals(value)) {
          return Optional.of(sort);
        }
      }
      return Optional.empty();
    }
  }

  public ProductQuery {
    if (sort == Sort.RANK && q.isEmpty()) {
      throw new IllegalArgumentException("rank order needs search words");
    }
  }

  public long offset() {
    return (long) (page - 1) * size;
  }

  public static ProductQuery from(MultiMap params) {
    Optional<String> q = text(params, "q", MAX_Q);
    Optional<String> category = text(params, "category", MAX_CATEGORY);
    String sortParam = params.get("sort");
    Sort sort;
    if (sortParam == null || sortParam.isEmpty()) {
      sort = q.isPresent() ? Sort.RANK : Sort.NAME;
    } else {
      sort =
          Sort.ofParam(sortParam)
              .orElseThrow(() -> Problems.of(400, "sort must be one of name, price, -price"));
    }
    int page = integer(params, "page", 1, 1, MAX_PAGE);
    int size = integer(params, "size", DEFAULT_SIZE, 1, MAX_SIZE);
    return new ProductQuery(q, category, sort, page, size);
  }

  private static Optional<String> text(MultiMap params, String name, int max) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    if (value.length() > max) {
      throw Problems.of(400, name + " must be at most " + max + " characters");
    }
    return Optional.of(value.trim());
  }

  private static int integer(MultiMap params, String name, int defaultValue, int min, int max) {
    String raw = params.get(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw Problems.of(400, name + " must be an integer between " + min + " and " + max);
    }
    if (value < min || value > max) {
      throw Problems.of(400, name + " must be between " + min + " and " + max);
    }
    return value;
  }
}
