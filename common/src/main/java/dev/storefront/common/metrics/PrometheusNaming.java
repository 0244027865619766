package dev.storefront.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;

/**
 * Renames the few Micrometer binder meters whose Prometheus names break Prometheus's own naming
 * rules ({@code promtool check metrics}): abbreviated units and a gauge ending in {@code _count}.
 */
final class PrometheusNaming {

  /** Meter name to its replacement name and base unit. */
  private static final Map<String, String[]> RENAMES =
      Map.of(
          "jvm.compilation.time", new String[] {"jvm.compilation.time", "milliseconds"},
          "process.cpu.time", new String[] {"process.cpu.time", "nanoseconds"},
          "system.cpu.count", new String[] {"system.cpus", null});

  private PrometheusNaming() {}

  static MeterFilter filter() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String[] rename = RENAMES.get(id.getName());
        if (rename == null) {
          return id;
        }
        return id.withName(rename[0]).withBaseUnit(rename[1]);
      }
    };
  }
}
