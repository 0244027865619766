package dev.storefront.common.config;

/**
 * A service's PostgreSQL connection. Each service has its own role and schema, named after the
 * service unless overridden.
 *
 * <p>PG_HOST (127.0.0.1), PG_PORT (5432), PG_DATABASE (storefront), PG_USER (the service's role),
 * PG_PASSWORD (empty: trust or a secret injected at run time), PG_SCHEMA (the service's schema),
 * PG_POOL_SIZE (16).
 */
public record DatabaseConfig(
    String host,
    int port,
    String database,
    String user,
    String password,
    String schema,
    int poolSize) {

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
        env.positive("PG_POOL_SIZE", 16));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public DatabaseConfig withDatabase(String newDatabase) {
    return new DatabaseConfig(host, port, newDatabase, user, password, schema, poolSize);
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
