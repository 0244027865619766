package dev.storefront.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;

/**
 * Micrometer wiring: one Prometheus registry per process, fed by Vert.x (HTTP server and client,
 * pools, event bus, JVM) and by the project's own meters (breakers, discovery).
 */
public final class Metrics {

  /**
   * Prefix of an HTTP client's metrics name ({@code HttpClientOptions.setMetricsName}) that keeps
   * Vert.x from metering it and its pool: for a client on a hot path that keeps its own meters.
   */
  public static final String UNMETERED = SelectiveVertxMetrics.UNMETERED;

  private Metrics() {}

  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Histograms for timers only, set by the registry's own filter (PrometheusNaming).
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        // Route templates, not raw paths, keep label cardinality bounded. No REMOTE: on the
        // server side Vert.x fills it with the peer's ephemeral port, a new time series for every
        // connection; the gateway meters each upstream instance itself.
        .setLabels(
            EnumSet.of(
                Label.HTTP_METHOD,
                Label.HTTP_CODE,
                Label.HTTP_ROUTE,
                Label.POOL_TYPE,
                Label.POOL_NAME,
                Label.CLIENT_NAME));
  }

  public static VertxMetricsFactory factory() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusNaming.apply(registry);
    return SelectiveVertxMetrics.over(new MicrometerMetricsFactory(registry), registry);
  }

  /** The process's registry, for the project's own meters; a throwaway one when metrics are off. */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    }
    PrometheusNaming.bindReplacements(registry);
    return registry;
  }

  /** Serves the registry in Prometheus text format. */
  public static Handler<RoutingContext> scrapeHandler() {
    registry();
    return PrometheusScrapingHandler.create();
  }
}
