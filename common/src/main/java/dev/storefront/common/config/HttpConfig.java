package dev.storefront.common.config;

import java.time.Duration;

/**
 * The service's HTTP side.
 *
 * <p>HTTP_PORT (per-service default; 0 picks a free port, which discovery then publishes),
 * HTTP_HOST (0.0.0.0), PUBLIC_HOST (127.0.0.1: the address other services reach this one at),
 * VERTICLE_INSTANCES (one per core), SHUTDOWN_DRAIN_MS (10000: how long in-flight requests may take
 * to finish on stop), PORT_FILE (unset: a file the actual port is written to once ready),
 * REQUEST_HEAD_TIMEOUT_MS (10000: how long a request's line and headers may take to arrive; 0 for
 * no limit).
 */
public record HttpConfig(
    String host,
    int port,
    String publicHost,
    int instances,
    Duration drainTimeout,
    String portFile,
    Duration headTimeout) {

  public static HttpConfig from(Env env, int defaultPort) {
    return new HttpConfig(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.port("HTTP_PORT", defaultPort),
        env.string("PUBLIC_HOST", "127.0.0.1"),
        env.positive("VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        env.millis("SHUTDOWN_DRAIN_MS", 10_000),
        env.string("PORT_FILE", ""),
        env.millis("REQUEST_HEAD_TIMEOUT_MS", 10_000));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(
        host, newPort, publicHost, instances, drainTimeout, portFile, headTimeout);
  }
}
