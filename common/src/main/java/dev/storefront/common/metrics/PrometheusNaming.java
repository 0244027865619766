package dev.storefront.common.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Set;

/**
 * Keeps the scrape clean for {@code promtool check metrics}: Micrometer's binders report JIT
 * compilation time in milliseconds and process CPU time in nanoseconds, and count CPUs in a gauge
 * ending in {@code _count}; Prometheus wants seconds and no {@code _count} on gauges. The two time
 * counters are replaced by the same readings in seconds, the CPU gauge is renamed.
 */
final class PrometheusNaming {

  private static final Set<String> REPLACED = Set.of("jvm.compilation.time", "process.cpu.time");

  private PrometheusNaming() {}

  /**
   * Latency histograms for every timer, bounded to 1 ms to 30 s unless the timer says otherwise, so
   * that p99 panels work everywhere; none for sizes (bytes), whose default buckets would add a few
   * hundred series to every scrape for numbers nobody charts.
   */
  static final MeterFilter TIMER_HISTOGRAMS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (id.getType() != Meter.Type.TIMER) {
            return config;
          }
          return config.merge(
              DistributionStatisticConfig.builder()
                  .percentilesHistogram(true)
                  .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                  .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
                  .build());
        }
      };

  /** The filters; on a new registry, before any meter is registered. */
  static void apply(MeterRegistry registry) {
    registry
        .config()
        .meterFilter(TIMER_HISTOGRAMS)
        .meterFilter(MeterFilter.deny(id -> REPLACED.contains(id.getName())))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpus") : id;
              }
            });
  }

  /**
   * The replacement counters. Registered once Vert.x has set the registry up (it adds filters of
   * its own), and safe to call again: Micrometer returns the meter already registered.
   */
  static void bindReplacements(MeterRegistry registry) {
    if (registry.find("process.cpu").functionCounter() != null) {
      return;
    }
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder(
              "jvm.jit.compilation", compilation, c -> c.getTotalCompilationTime() / 1_000.0)
          .description("Time the JIT compiler has spent compiling")
          .baseUnit("seconds")
          .register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean process) {
      FunctionCounter.builder("process.cpu", process, p -> Math.max(0, p.getProcessCpuTime()) / 1e9)
          .description("CPU time used by the process")
          .baseUnit("seconds")
          .register(registry);
    }
  }
}
