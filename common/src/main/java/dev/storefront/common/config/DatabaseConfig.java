package dev.storefront.common.config;

/**
 * A service's PostgreSQL connection. Each service has its own role and schema, named after the
 * service unless overridden.
 *
 * <p>PG_HOST (127.0.0.1), PG_PORT (5432), PG_DATABASE (storefront), PG_USER (the service's role),
 * PG_PASSWORD (empty: trust or a secret injected at run time), PG_SCHEMA (the service's schema),
 * PG_POOL_SIZE (4: the most connections the process opens; fewer when the server has little room,
 * see {@code ConnectionBudget}).
 */
public record DatabaseConfig(
    String host,
    int port,
    String database,
    String user,
    String password,
    String schema,
    int poolSize) {

  /**
   * Connections per process unless PG_POOL_SIZE says otherwise. Statements are pipelined, so a
   * handful of connections carries a process's reads; what waits is the writes in transactions, and
   * the database is no faster with more of those running at once on a small server.
   */
  public static final int DEFAULT_POOL_SIZE = 4;

  public static DatabaseConfig from(Env env, String service) {
    return from(env, service, service);
  }

  public static DatabaseConfig from(Env env, String role, String schema) {
    return new DatabaseConfig(
        env.string("PG_HOST", "127.0.0.1"),
        env.port("PG_PORT", 5432),
        env.string("PG_DATABASE", "storefront"),
        env.string("PG_USER", role),
        env.string("PG_PASSWORD", ""),
        env.string("PG_SCHEMA", schema),
        env.positive("PG_POOL_SIZE", DEFAULT_POOL_SIZE));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public DatabaseConfig withDatabase(String newDatabase) {
    return new DatabaseConfig(host, port, newDatabase, user, password, schema, poolSize);
  }

  public DatabaseConfig withPoolSize(int newPoolSize) {
    return new DatabaseConfig(host, port, database, user, password, schema, newPoolSize);
  }

  @Override
  public String toString() {
    // Never print the password.
    return "DatabaseConfig["
        + user
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + "?schema="
        + schema
        + ", poolSize="
        + poolSize
        + "]";
  }
}
