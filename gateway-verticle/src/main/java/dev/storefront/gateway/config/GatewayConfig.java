package dev.storefront.gateway.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import java.time.Duration;

/**
 * Gateway settings. Besides common's HTTP and database variables:
 *
 * <table>
 *   <tr><td>UPSTREAM_TIMEOUT_MS</td><td>10000</td><td>time for a service to start answering</td></tr>
 *   <tr><td>UPSTREAM_CONNECT_TIMEOUT_MS</td><td>1000</td><td>time to open a connection</td></tr>
 *   <tr><td>UPSTREAM_MAX_ATTEMPTS</td><td>3</td><td>instances tried for one request, when it is
 *   safe to try another</td></tr>
 *   <tr><td>UPSTREAM_POOL_SIZE</td><td>64</td><td>keep-alive connections per instance and event
 *   loop</td></tr>
 *   <tr><td>BREAKER_MAX_FAILURES</td><td>5</td><td>failures that open an instance's
 *   breaker</td></tr>
 *   <tr><td>BREAKER_RESET_MS</td><td>5000</td><td>time an open breaker waits before a trial
 *   request</td></tr>
 *   <tr><td>RETRY_BUDGET_RATIO</td><td>0.2</td><td>retries of sent requests allowed per request
 *   </td></tr>
 *   <tr><td>RETRY_BUDGET_MIN_PER_S</td><td>10</td><td>retries always allowed per second</td></tr>
 *   <tr><td>STREAM_IDLE_TIMEOUT_S</td><td>60</td><td>an event stream (the paths of
 *   REQUEST_TIMEOUT_EXEMPT) from which nothing, not even a heartbeat, arrives for this long is
 *   ended; the time to its response headers is UPSTREAM_TIMEOUT_MS as for any request</td></tr>
 *   <tr><td>UPSTREAM_STREAM_POOL_SIZE</td><td>10000</td><td>connections per instance and event
 *   loop for event streams, apart from UPSTREAM_POOL_SIZE: each open stream holds one for its
 *   whole life, and must not starve ordinary requests</td></tr>
 *   <tr><td>UPSTREAM_PIPELINE_DEPTH</td><td>16</td><td>reads (GET, HEAD) under way at once on
 *   one pipelined connection; 0 sends every request over the pool of UPSTREAM_POOL_SIZE</td></tr>
 *   <tr><td>UPSTREAM_PIPELINE_CONNECTIONS</td><td>4</td><td>pipelined connections per instance
 *   and event loop</td></tr>
 *   <tr><td>UPSTREAM_PIPELINE_STALL_MS</td><td>20</td><td>a pipelined connection whose oldest
 *   read has waited this long takes no more until it is answered</td></tr>
 *   <tr><td>UPSTREAM_PIPELINE_FAST_MS</td><td>5</td><td>only reads of operations whose answers
 *   come this fast on average are pipelined</td></tr>
 *   <tr><td>UPSTREAM_SERVED_BY_HEADER</td><td>false</td><td>relay the {@code X-Served-By} header
 *   naming the instance that answered, for debugging; off, it is dropped, as instance ids are not
 *   for the public</td></tr>
 * </table>
 */
public record GatewayConfig(HttpConfig http, DatabaseConfig db, Upstream upstream) {

  public static final String SERVICE = "gateway";
  public static final String SCHEMA = "identity";

  /** How the gateway talks to service instances. */
  public record Upstream(
      Duration timeout,
      Duration connectTimeout,
      int maxAttempts,
      int poolSize,
      int breakerMaxFailures,
      Duration breakerReset,
      double retryBudgetRatio,
      int retryBudgetMinPerSecond,
      Duration streamIdleTimeout,
      int streamPoolSize,
      Pipelining pipelining,
      boolean servedByHeader) {}

  /** How reads are pipelined to instances (see PipelinedReads); depth 0 turns it off. */
  public record Pipelining(int depth, int connections, Duration stall, Duration fast) {

    public Pipelining {
      if (depth < 0) {
        throw new ConfigException("UPSTREAM_PIPELINE_DEPTH must be 0 (off) or more, got " + depth);
      }
    }

    public boolean on() {
      return depth > 0;
    }
  }

  public static GatewayConfig from(Env env) {
    return new GatewayConfig(
        HttpConfig.from(env, HttpConfig.ALL_INTERFACES, 8080),
        DatabaseConfig.from(env, SERVICE, SCHEMA),
        new Upstream(
            env.millis("UPSTREAM_TIMEOUT_MS", 10_000),
            env.millis("UPSTREAM_CONNECT_TIMEOUT_MS", 1_000),
            env.positive("UPSTREAM_MAX_ATTEMPTS", 3),
            env.positive("UPSTREAM_POOL_SIZE", 64),
            env.positive("BREAKER_MAX_FAILURES", 5),
            env.millis("BREAKER_RESET_MS", 5_000),
            retryRatio(env),
            env.integer("RETRY_BUDGET_MIN_PER_S", 10),
            Duration.ofSeconds(env.positive("STREAM_IDLE_TIMEOUT_S", 60)),
            env.positive("UPSTREAM_STREAM_POOL_SIZE", 10_000),
            new Pipelining(
                env.integer("UPSTREAM_PIPELINE_DEPTH", 16),
                env.positive("UPSTREAM_PIPELINE_CONNECTIONS", 4),
                env.millis("UPSTREAM_PIPELINE_STALL_MS", 20),
                env.millis("UPSTREAM_PIPELINE_FAST_MS", 5)),
            env.bool("UPSTREAM_SERVED_BY_HEADER", false)));
  }

  private static double retryRatio(Env env) {
    String raw = env.string("RETRY_BUDGET_RATIO", "0.2");
    try {
      double ratio = Double.parseDouble(raw);
      if (ratio < 0 || ratio > 1) {
        throw new ConfigException("RETRY_BUDGET_RATIO must be between 0 and 1, got " + raw);
      }
      return ratio;
    } catch (NumberFormatException e) {
      throw new ConfigException("RETRY_BUDGET_RATIO must be a number, got '" + raw + "'");
    }
  }
}
