package dev.storefront.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x metrics as another factory makes them, with two exceptions on the hot path:
 *
 * <ul>
 *   <li>HTTP clients whose metrics name starts with {@value #UNMETERED} (and their connection
 *       pools) get none. A client that records what matters itself, with meters it holds, is spared
 *       the per-request tag building and meter look-ups of the generic client metrics.
 *   <li>HTTP servers get {@link HttpServerMeters}: vertx-micrometer's request meters, held instead
 *       of looked up per request, where the labels allow.
 * </ul>
 */
final class SelectiveVertxMetrics implements VertxMetrics {

  static final String UNMETERED = "unmetered:";

  private final VertxMetrics delegate;
  private final MeterRegistry registry;
  // Null where HttpServerMeters cannot stand in for vertx-micrometer's server metrics.
  private final MicrometerMetricsOptions serverMeterOptions;

  private SelectiveVertxMetrics(
      VertxMetrics delegate, MeterRegistry registry, MetricsOptions options) {
    this.delegate = delegate;
    this.registry = registry;
    this.serverMeterOptions =
        options instanceof MicrometerMetricsOptions micrometer
                && HttpServerMeters.supports(micrometer)
            ? micrometer
            : null;
  }

  static boolean unmetered(String metricsName) {
    return metricsName != null && metricsName.startsWith(UNMETERED);
  }

  /**
   * {@code factory}, with the clients named {@value #UNMETERED}… left out and the HTTP server
   * request meters held in {@code registry} (the one {@code factory} writes to).
   */
  static VertxMetricsFactory over(VertxMetricsFactory factory, MeterRegistry registry) {
    return new VertxMetricsFactory() {
      @Override
      public VertxMetrics metrics(VertxOptions options) {
        return new SelectiveVertxMetrics(
            factory.metrics(options), registry, options.getMetricsOptions());
      }

      @Override
      public MetricsOptions newOptions() {
        return factory.newOptions();
      }

      @Override
      public MetricsOptions newOptions(MetricsOptions options) {
        return factory.newOptions(options);
      }

      @Override
      public MetricsOptions newOptions(JsonObject json) {
        return factory.newOptions(json);
      }
    };
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    // Vert.x makes pool metrics only for a client that has metrics: none for these either.
    return unmetered(options.getMetricsName()) ? null : delegate.createHttpClientMetrics(options);
  }

  @Override
  public EventBusMetrics<?> createEventBusMetrics() {
    return delegate.createEventBusMetrics();
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
      HttpServerOptions options, SocketAddress localAddress) {
    HttpServerMetrics<?, ?, ?> metrics = delegate.createHttpServerMetrics(options, localAddress);
    return metrics == null || serverMeterOptions == null
        ? metrics
        : new HttpServerMeters(metrics, registry, serverMeterOptions);
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(
      SocketAddress remoteAddress, String type, String namespace) {
    return delegate.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(
      NetServerOptions options, SocketAddress localAddress) {
    return delegate.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return delegate.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return delegate.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    return delegate.createPoolMetrics(poolType, poolName, maxPoolSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    delegate.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return delegate.isMetricsEnabled();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
