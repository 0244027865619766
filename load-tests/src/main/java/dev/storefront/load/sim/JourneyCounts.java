package dev.storefront.load.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What Gatling's report does not hold: outcomes of the journeys (orders confirmed, cancelled or
 * never final, products sold out), answers refused by the target's rate limit, what the event
 * streams received, and the CPU the load generator spent. Written as one JSON object at the end.
 */
final class JourneyCounts {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private long startCpuNanos;
  private long startWallNanos;

  void add(String name) {
    add(name, 1);
  }

  void add(String name, long amount) {
    counts.computeIfAbsent(name, n -> new LongAdder()).add(amount);
  }

  long get(String name) {
    LongAdder adder = counts.get(name);
    return adder == null ? 0 : adder.sum();
  }

  void start() {
    startCpuNanos = processCpuNanos();
    startWallNanos = System.nanoTime();
  }

  void write(Path file) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((name, adder) -> out.put(name, adder.sum()));
    out.put("generator.cpuMillis", (processCpuNanos() - startCpuNanos) / 1_000_000);
    out.put("generator.wallMillis", (System.nanoTime() - startWallNanos) / 1_000_000);
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
