package dev.storefront.common.config;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;

/**
 * The service's HTTP side.
 *
 * <p>HTTP_PORT (per-service default; 0 picks a free port, which discovery then publishes),
 * HTTP_HOST (0.0.0.0), PUBLIC_HOST (127.0.0.1: the address other services reach this one at),
 * VERTICLE_INSTANCES (one per core), SHUTDOWN_DRAIN_MS (10000: how long in-flight requests may take
 * to finish on stop), PORT_FILE (unset: a file the actual port is written to once ready),
 * REQUEST_HEAD_TIMEOUT_MS (10000: how long a request's line and headers may take to arrive; 0 for
 * no limit), TLS_CERT_PATH and TLS_KEY_PATH (unset: PEM certificate chain and private key; with
 * both set the port speaks TLS only, and HTTP/2 to clients that negotiate it).
 */
public record HttpConfig(
    String host,
    int port,
    String publicHost,
    int instances,
    Duration drainTimeout,
    String portFile,
    Duration headTimeout,
    String tlsCertPath,
    String tlsKeyPath) {

  public HttpConfig {
    if (tlsCertPath.isEmpty() != tlsKeyPath.isEmpty()) {
      throw new ConfigException("TLS_CERT_PATH and TLS_KEY_PATH are set together or not at all");
    }
  }

  public static HttpConfig from(Env env, int defaultPort) {
    return new HttpConfig(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.port("HTTP_PORT", defaultPort),
        env.string("PUBLIC_HOST", "127.0.0.1"),
        env.positive("VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        env.millis("SHUTDOWN_DRAIN_MS", 10_000),
        env.string("PORT_FILE", ""),
        env.millis("REQUEST_HEAD_TIMEOUT_MS", 10_000),
        env.string("TLS_CERT_PATH", ""),
        env.string("TLS_KEY_PATH", ""));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(
        host,
        newPort,
        publicHost,
        instances,
        drainTimeout,
        portFile,
        headTimeout,
        tlsCertPath,
        tlsKeyPath);
  }

  /**
   * {@code options} with TLS when a certificate is configured: HTTP/2 is then offered through ALPN,
   * the one way this project serves it (cleartext HTTP/2 stays off, see StrictRequestDecoder).
   */
  public HttpServerOptions applyTls(HttpServerOptions options) {
    if (tlsCertPath.isEmpty()) {
      return options;
    }
    return options
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCertPath).setKeyPath(tlsKeyPath));
  }
}
