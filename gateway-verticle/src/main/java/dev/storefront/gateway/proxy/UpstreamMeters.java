package dev.storefront.gateway.proxy;

import dev.storefront.common.discovery.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long one instance takes to answer the gateway, by outcome ({@code
 * storefront_gateway_upstream_seconds{service,instance_id,outcome}}), from the attempt's start to
 * the answer's head. The timers are registered once per instance and held here, so recording one is
 * a field read rather than a registry look-up: the proxy's client is left out of Vert.x's generic
 * client metrics, whose per-request tags and look-ups cost more than the hop's own work.
 */
final class UpstreamMeters {

  static final String NAME = "storefront_gateway_upstream";

  /** How an attempt on an instance ended. */
  enum Outcome {
    /** An answer that does not count against the instance (below 500, or a 501 or 505). */
    ANSWERED,
    /** A 500, 502, 503 or 504, relayed as it is: counts against the instance's breaker. */
    SERVER_ERROR,
    /** No answer within the upstream timeout. */
    TIMEOUT,
    /** The connection or the exchange failed. */
    FAILED;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final Timer[] timers;

  private UpstreamMeters(Timer[] timers) {
    this.timers = timers;
  }

  static UpstreamMeters register(MeterRegistry registry, Endpoint endpoint) {
    Timer[] timers = new Timer[Outcome.values().length];
    for (Outcome outcome : Outcome.values()) {
      timers[outcome.ordinal()] =
          Timer.builder(NAME)
              .description("Time for an instance to answer the gateway, to the answer's head")
              .tags(
                  "service",
                  endpoint.service(),
                  "instance_id",
                  endpoint.instanceId(),
                  "outcome",
                  outcome.tag)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(30))
              .register(registry);
    }
    return new UpstreamMeters(timers);
  }

  void record(Outcome outcome, long startNanos) {
    timers[outcome.ordinal()].record(
        System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Withdraws the instance's timers, when discovery no longer lists it. */
  void remove(MeterRegistry registry) {
    Arrays.stream(timers).forEach(registry::remove);
  }
}
