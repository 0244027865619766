package dev.storefront.devstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Client connections open on a PostgreSQL server: to one database, in all, and the most the server
 * allows. The reading's own connection is not counted.
 */
public record ConnectionCount(int database, int server, int maxConnections) {

  private static final String QUERY =
      """
      SELECT count(*) FILTER (WHERE datname = ?),
             count(*),
             current_setting('max_connections')::int
        FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
      """;

  public static ConnectionCount read(Connection admin, String database) throws SQLException {
    try (PreparedStatement statement = admin.prepareStatement(QUERY)) {
      statement.setString(1, database);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new ConnectionCount(row.getInt(1), row.getInt(2), row.getInt(3));
      }
    }
  }
}
