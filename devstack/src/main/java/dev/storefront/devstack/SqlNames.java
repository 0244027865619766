package dev.storefront.devstack;

import java.nio.charset.StandardCharsets;

/**
 * Quoting of SQL identifiers for the DDL that cannot take bind parameters (CREATE ROLE, CREATE
 * SCHEMA). Every name is quoted, not only the reserved ones: the order service's role is {@code
 * order}.
 */
final class SqlNames {

  /** PostgreSQL silently truncates longer names, which would make two names collide. */
  static final int MAX_BYTES = 63;

  private SqlNames() {}

  /** {@code name} as a quoted identifier: {@code order} becomes {@code "order"}. */
  static String quote(String name) {
    requireValid(name);
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String requireValid(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an SQL name must not be empty");
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an SQL name must not contain NUL");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "an SQL name must be at most " + MAX_BYTES + " bytes, got '" + name + "'");
    }
    return name;
  }
}
