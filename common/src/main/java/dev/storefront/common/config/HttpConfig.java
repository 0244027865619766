package dev.storefront.common.config;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;

/**
 * The service's HTTP side: the service port, which carries the service's API, and the management
 * port, which carries {@code /health/live}, {@code /health/ready} and {@code /metrics} and nothing
 * else. The two are apart so that a firewall, a Service or a port mapping can expose the one
 * without the other.
 *
 * <p>HTTP_PORT (per-service default; 0 picks a free port, which discovery then publishes),
 * HTTP_HOST (per-service default: {@value #ALL_INTERFACES} for the gateway, the public entry,
 * {@value #LOOPBACK} for the services behind it; containers set 0.0.0.0), PUBLIC_HOST (127.0.0.1:
 * the address other services reach this one at; must not be a remote address while HTTP_HOST is
 * loopback), VERTICLE_INSTANCES (one per core), SHUTDOWN_DRAIN_MS (10000: how long in-flight
 * requests may take to finish on stop), PORT_FILE (unset: a file the actual service port is written
 * to once it listens), MANAGEMENT_HOST ({@value #LOOPBACK}: only this machine's probes and
 * scrapers; containers set 0.0.0.0 and keep the port unpublished), MANAGEMENT_PORT (0: a free port;
 * containers set 8081), MANAGEMENT_PORT_FILE (unset: a file the actual management port is written
 * to, before the port file), REQUEST_HEAD_TIMEOUT_MS (10000: how long a request's line and headers
 * may take to arrive; 0 for no limit), TLS_CERT_PATH and TLS_KEY_PATH (unset: PEM certificate chain
 * and private key; with both set the service port speaks TLS only, and HTTP/2 to clients that
 * negotiate it).
 */
public record HttpConfig(
    String host,
    int port,
    String publicHost,
    int instances,
    Duration drainTimeout,
    String portFile,
    String managementHost,
    int managementPort,
    String managementPortFile,
    Duration headTimeout,
    String tlsCertPath,
    String tlsKeyPath) {

  public static final String LOOPBACK = "127.0.0.1";
  public static final String ALL_INTERFACES = "0.0.0.0";

  public HttpConfig {
    if (tlsCertPath.isEmpty() != tlsKeyPath.isEmpty()) {
      throw new ConfigException("TLS_CERT_PATH and TLS_KEY_PATH are set together or not at all");
    }
    if (loopback(host) && !loopback(publicHost)) {
      // Other services would be told to call an address nothing listens on.
      throw new ConfigException(
          "PUBLIC_HOST="
              + publicHost
              + " is published for other services, but HTTP_HOST="
              + host
              + " listens on loopback only; set HTTP_HOST to 0.0.0.0 or to that address");
    }
  }

  public static HttpConfig from(Env env, String defaultHost, int defaultPort) {
    return new HttpConfig(
        env.string("HTTP_HOST", defaultHost),
        env.port("HTTP_PORT", defaultPort),
        env.string("PUBLIC_HOST", LOOPBACK),
        env.positive("VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        env.millis("SHUTDOWN_DRAIN_MS", 10_000),
        env.string("PORT_FILE", ""),
        env.string("MANAGEMENT_HOST", LOOPBACK),
        env.port("MANAGEMENT_PORT", 0),
        env.string("MANAGEMENT_PORT_FILE", ""),
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
        managementHost,
        managementPort,
        managementPortFile,
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

  static boolean loopback(String address) {
    return address.equals("localhost")
        || address.startsWith("127.")
        || address.equals("::1")
        || address.equals("[::1]");
  }
}
