package dev.storefront.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The renames that keep Micrometer's binder meters within Prometheus's naming rules, checked on
 * what a scrape actually shows.
 */
class PrometheusNamingTest {

  private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern ABBREVIATED_UNIT =
      Pattern.compile("_(s|ms|us|ns|sec|b|kb|mb|gb|tb|pb|m|h|d)(_|$)");

  private final List<MeterBinder> closeable = new ArrayList<>();

  @AfterEach
  void closeBinders() throws Exception {
    for (MeterBinder binder : closeable) {
      if (binder instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  @Test
  void renamedMetersGetPrometheusNames() {
    String scrape = scrape(filtered(), new JvmCompilationMetrics(), new ProcessorMetrics());
    Map<String, String> families = families(scrape);

    assertThat(families)
        .containsEntry("system_cpus", "gauge")
        .doesNotContainKey("system_cpu_count");
    // Micrometer's millisecond and nanosecond counters give way to the same readings in seconds.
    assertThat(families)
        .containsEntry("jvm_jit_compilation_seconds_total", "counter")
        .containsEntry("process_cpu_seconds_total", "counter")
        .doesNotContainKeys("jvm_compilation_time_ms_total", "process_cpu_time_ns_total");
  }

  @Test
  void noAbbreviatedUnitsAndNoGaugeEndingInCount() {
    String scrape = scrape(filtered(), everyBinderVertxRegisters());

    assertThat(abbreviatedUnits(scrape)).isEmpty();
    assertThat(gaugesEndingInCount(scrape)).isEmpty();
  }

  @Test
  void withoutTheFilterTheSameMetersBreakTheRules() {
    // Shows that the checks above would notice: Micrometer's own names break both rules.
    String scrape =
        scrape(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new JvmCompilationMetrics(),
            new ProcessorMetrics());

    assertThat(abbreviatedUnits(scrape))
        .contains("jvm_compilation_time_ms_total", "process_cpu_time_ns_total");
    assertThat(gaugesEndingInCount(scrape)).contains("system_cpu_count");
  }

  @Test
  void metersThatNeedNoRenameAreLeftAlone() {
    PrometheusMeterRegistry registry = filtered();
    Counter.builder("storefront.orders.placed").baseUnit("orders").register(registry).increment();

    Meter.Id id = registry.get("storefront.orders.placed").counter().getId();

    assertThat(id.getName()).isEqualTo("storefront.orders.placed");
    assertThat(id.getBaseUnit()).isEqualTo("orders");
    assertThat(registry.scrape()).contains("storefront_orders_placed_orders_total 1.0");
  }

  private static PrometheusMeterRegistry filtered() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusNaming.apply(registry);
    PrometheusNaming.bindReplacements(registry);
    return registry;
  }

  /** The binders of vertx-micrometer-metrics' JVM metrics, as Metrics.options() turns them on. */
  private static MeterBinder[] everyBinderVertxRegisters() {
    return new MeterBinder[] {
      new JvmCompilationMetrics(),
      new JvmGcMetrics(),
      new JvmHeapPressureMetrics(),
      new JvmInfoMetrics(),
      new JvmMemoryMetrics(),
      new JvmThreadMetrics(),
      new ProcessorMetrics()
    };
  }

  private String scrape(PrometheusMeterRegistry registry, MeterBinder... binders) {
    for (MeterBinder binder : binders) {
      binder.bindTo(registry);
      closeable.add(binder);
    }
    return registry.scrape();
  }

  private static Map<String, String> families(String scrape) {
    Map<String, String> families = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      Matcher m = TYPE_LINE.matcher(line);
      if (m.matches()) {
        families.put(m.group(1), m.group(2));
      }
    }
    return families;
  }

  private static String only(Map<String, String> families, String prefix) {
    List<String> names = families.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    assertThat(names).hasSize(1);
    return names.get(0);
  }

  /** Sample and family names with an abbreviated unit, by promtool's list of abbreviations. */
  private static List<String> abbreviatedUnits(String scrape) {
    List<String> found = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      String name = line.startsWith("#") ? familyName(line) : sampleName(line);
      if (name != null && ABBREVIATED_UNIT.matcher(name).find()) {
        found.add(name);
      }
    }
    return found.stream().distinct().toList();
  }

  private static List<String> gaugesEndingInCount(String scrape) {
    return families(scrape).entrySet().stream()
        .filter(e -> e.getValue().equals("gauge") && e.getKey().endsWith("_count"))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static String familyName(String line) {
    String[] parts = line.split(" ");
    return parts.length >= 3 && (parts[1].equals("TYPE") || parts[1].equals("HELP"))
        ? parts[2]
        : null;
  }

  private static String sampleName(String line) {
    if (line.isBlank()) {
      return null;
    }
    int end = line.indexOf('{');
    if (end < 0) {
      end = line.indexOf(' ');
    }
    return end < 0 ? line : line.substring(0, end);
  }
}
