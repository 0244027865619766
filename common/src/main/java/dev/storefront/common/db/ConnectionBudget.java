package dev.storefront.common.db;

import dev.storefront.common.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection slots a PostgreSQL server has left for a role, read when a process starts, and the
 * pool size that leaves room for others: a process takes at most {@value #SHARE_DIVISOR}th of the
 * slots free at its start, and never more than its role may still open. A server close to full thus
 * gets small pools from the processes that come last instead of refusals.
 *
 * @param maxConnections the server's {@code max_connections}
 * @param reserved {@code superuser_reserved_connections} (and reserved ones), unusable by services
 * @param inUse client connections open now, this reading's own included
 * @param roleLimit the role's {@code CONNECTION LIMIT}, negative when it has none
 * @param roleInUse the role's connections open now, this reading's own included
 */
public record ConnectionBudget(
    int maxConnections, int reserved, int inUse, int roleLimit, int roleInUse) {

  /** A process takes no more than this fraction (its inverse) of the slots free at its start. */
  static final int SHARE_DIVISOR = 4;

  private static final String QUERY =
      """
      SELECT current_setting('max_connections')::int,
             current_setting('superuser_reserved_connections')::int
               + coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0),
             (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
             (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user),
             (SELECT count(*) FROM pg_stat_activity WHERE usename = current_user)
      """;

  /** Slots a new connection of anyone but a superuser may still take, after this reading closes. */
  public int free() {
    return Math.max(0, maxConnections - reserved - inUse + 1);
  }

  /**
   * Slots the role may still take after this reading closes; {@code Integer.MAX_VALUE} if no limit.
   */
  public int roleFree() {
    return roleLimit < 0 ? Integer.MAX_VALUE : Math.max(0, roleLimit - roleInUse + 1);
  }

  /** The pool size for a process that wants {@code wanted} connections: never below one. */
  public int poolSize(int wanted) {
    int cap = Math.min(free() / SHARE_DIVISOR, roleFree());
    return Math.max(1, Math.min(wanted, cap));
  }

  /** Reads the budget over JDBC: blocking, for a worker thread. */
  static ConnectionBudget read(DatabaseConfig config) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(QUERY)) {
      row.next();
      return new ConnectionBudget(
          row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4), row.getInt(5));
    }
  }
}
