package dev.storefront.common.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
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

  /** The filters; on a new registry, before any meter is registered. */
  static void apply(MeterRegistry registry) {
    registry
        .config()
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
