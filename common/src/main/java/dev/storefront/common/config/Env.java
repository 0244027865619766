package dev.storefront.common.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of configuration variables over documented defaults. Backed by a plain map so that
 * tests can hand in their own environment instead of mutating the process's.
 */
public final class Env {

  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** This environment with {@code overrides} on top, for tests and embedded starts. */
  public Env with(Map<String, String> overrides) {
    var merged = new java.util.HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  public String string(String name, String defaultValue) {
    String value = values.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  public int integer(String name, int defaultValue) {
    String value = string(name, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be an integer, got '" + value + "'");
    }
  }

  public int port(String name, int defaultValue) {
    int port = integer(name, defaultValue);
    if (port < 0 || port > 65535) {
      throw new ConfigException(name + " must be a port between 0 and 65535, got " + port);
    }
    return port;
  }

  public int positive(String name, int defaultValue) {
    int value = integer(name, defaultValue);
    if (value < 1) {
      throw new ConfigException(name + " must be at least 1, got " + value);
    }
    return value;
  }

  public boolean bool(String name, boolean defaultValue) {
    String value = string(name, null);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
    };
  }

  public Duration millis(String name, long defaultMillis) {
    String value = string(name, null);
    if (value == null) {
      return Duration.ofMillis(defaultMillis);
    }
    try {
      long millis = Long.parseLong(value);
      if (millis < 0) {
        throw new ConfigException(name + " must not be negative, got " + millis);
      }
      return Duration.ofMillis(millis);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number of milliseconds, got '" + value + "'");
    }
  }

  public List<String> list(String name, String defaultValue) {
    return Arrays.stream(string(name, defaultValue).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
