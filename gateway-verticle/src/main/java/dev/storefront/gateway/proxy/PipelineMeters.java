package dev.storefront.gateway.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the gateway's reads reach instances, for the whole process: {@code
 * storefront_gateway_upstream_reads_total{via}} counts reads that went on a pipelined connection
 * ({@code via="pipelined"}) or, none being able to take them, over the pool ({@code via="pool"}); a
 * rising share of the pool under load means stalled or full pipelined connections. {@code
 * storefront_gateway_upstream_pipelined_connections} is the number of pipelined connections open.
 */
public final class PipelineMeters {

  static final String READS = "storefront_gateway_upstream_reads";
  static final String CONNECTIONS = "storefront_gateway_upstream_pipelined_connections";

  private final MeterRegistry registry;
  private final Counter pipelined;
  private final Counter pooled;
  private final AtomicInteger open = new AtomicInteger();
  private final Gauge connections;

  PipelineMeters(MeterRegistry registry) {
    this.registry = registry;
    this.pipelined = reads(registry, "pipelined");
    this.pooled = reads(registry, "pool");
    this.connections =
        Gauge.builder(CONNECTIONS, open, AtomicInteger::get)
            .description("Pipelined connections from the gateway to instances, open now")
            .register(registry);
  }

  private static Counter reads(MeterRegistry registry, String via) {
    return Counter.builder(READS)
        .description("Reads (GET, HEAD) the gateway sent to instances, by the way they went")
        .tag("via", via)
        .register(registry);
  }

  void pipelined() {
    pipelined.increment();
  }

  void pooled() {
    pooled.increment();
  }

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  void remove() {
    registry.remove(pipelined);
    registry.remove(pooled);
    registry.remove(connections);
  }
}
