package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway and two catalog instances as separate processes of the packaged jars, clustered over
 * Hazelcast: traffic spreads over both; a catalog killed with SIGKILL is forgotten within 5 s with
 * no failed request; a new instance takes traffic once ready; a stopped one drains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFailoverIT {

  private static TestStack stack;
  private static int gatewayPort;
  private static int gatewayManagement;
  private static ServiceProcess catalogA;
  private static ServiceProcess catalogB;

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStack.start("failover");
    // The load here measures failover, not the edge's limits: lift the per-client rate limit.
    ServiceProcess gateway =
        stack.startService(
            "gateway",
            "gateway-1",
            // Which instance answered is relayed only on request.
            Map.of("RATE_LIMITS", "/api=100000/1s", "UPSTREAM_SERVED_BY_HEADER", "true"));
    gatewayPort = gateway.awaitPort(Duration.ofSeconds(90));
    gatewayManagement = gateway.awaitManagementPort(Duration.ofSeconds(90));
    catalogA = stack.startService("catalog", "catalog-a", Map.of());
    catalogB = stack.startService("catalog", "catalog-b", Map.of());
    TestStack.awaitReady(gateway);
    TestStack.awaitReady(catalogA);
    TestStack.awaitReady(catalogB);
    TestStack.await(
        "two catalog instances discovered",
        Duration.ofSeconds(30),
        () -> catalogInstances().size() == 2);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void requestsSpreadOverBothInstances() throws Exception {
    Map<String, Integer> servedBy = new ConcurrentHashMap<>();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> response = TestStack.get(gatewayPort, "/api/products?size=5");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getJsonArray("items")).isNotNull();
      servedBy.merge(servedBy(response), 1, Integer::sum);
    }
    assertThat(servedBy).hasSize(2);
    assertThat(servedBy.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(10));
  }

  @Test
  @Order(2)
  void killedInstanceIsForgottenWithinFiveSecondsAndNoRequestFails() throws Exception {
    int portB = catalogB.awaitPort(Duration.ofSeconds(1));
    String instanceB = instanceIdAt(portB);
    try (Load load = new Load()) {
      Thread.sleep(500);
      long killedAt = System.nanoTime();
      catalogB.kill();
      TestStack.await(
          "the killed instance to leave the gateway's view",
          Duration.ofSeconds(10),
          () -> catalogInstances().size() == 1);
      double removalSeconds = (System.nanoTime() - killedAt) / 1e9;
      System.out.printf(
          "Killed catalog instance removed from the gateway's view after %.2f s%n", removalSeconds);
      assertThat(removalSeconds).isLessThan(5.0);
      long forgottenAt = System.nanoTime();
      Thread.sleep(1_500);
      load.stop();

      assertThat(load.failures).as("failed requests: %s", load.failureSamples).isEmpty();
      assertThat(load.ok.get()).isGreaterThan(20);
      assertThat(load.servedByAfter(instanceB, forgottenAt)).isZero();
      assertThat(catalogInstances().getJsonObject(0).getString("instanceId"))
          .isNotEqualTo(instanceB);
    }
  }

  @Test
  @Order(3)
  void newInstanceTakesTrafficOnceReady() throws Exception {
    ServiceProcess catalogC = stack.startService("catalog", "catalog-c", Map.of());
    int portC = catalogC.awaitPort(Duration.ofSeconds(90));
    TestStack.awaitReady(catalogC);
    TestStack.await(
        "the new instance discovered",
        Duration.ofSeconds(15),
        () -> catalogInstances().size() == 2);
    String instanceC = instanceIdAt(portC);
    int servedByC = 0;
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = TestStack.get(gatewayPort, "/api/products");
      assertThat(response.statusCode()).isEqualTo(200);
      if (servedBy(response).endsWith(instanceC)) {
        servedByC++;
      }
    }
    assertThat(servedByC).isGreaterThanOrEqualTo(5);

    // And a graceful stop under load drains: unpublished first, no request lost.
    try (Load load = new Load()) {
      Thread.sleep(300);
      long stopping = System.nanoTime();
      catalogC.stop(Duration.ofSeconds(30));
      long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
      System.out.printf("[GatewayFailoverIT] graceful stop under load took %d ms%n", stopMillis);
      // Unpublish, a moment for callers to hear of it, then only the requests in flight: idle
      // keep-alive connections close at once rather than hold the drain to its limit.
      assertThat(stopMillis).isLessThan(5_000);
      Thread.sleep(500);
      load.stop();
      assertThat(load.failures).as("failed requests: %s", load.failureSamples).isEmpty();
    }
    assertThat(catalogInstances()).hasSize(1);
  }

  @Test
  @Order(4)
  void metricsOutputPassesPromtool() throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed");
    for (int port :
        new int[] {gatewayManagement, catalogA.awaitManagementPort(Duration.ofSeconds(1))}) {
      HttpResponse<String> metrics = TestStack.get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("vertx_http_server_requests_total", "jvm_memory_used_bytes");
      Process check =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      try (var in = check.getOutputStream()) {
        in.write(metrics.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      String output =
          new String(
              check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(check.waitFor()).as("promtool on port %d said: %s", port, output).isZero();
    }
    assertThat(TestStack.get(gatewayManagement, "/metrics").body())
        .contains("storefront_circuit_breaker_state{breaker=\"catalog@");
  }

  private static boolean onPath(String tool) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool)));
  }

  private static String servedBy(HttpResponse<String> response) {
    return response.headers().firstValue("X-Served-By").orElse("?");
  }

  private static JsonArray catalogInstances() {
    try {
      HttpResponse<String> response = TestStack.get(gatewayPort, "/ops/instances");
      JsonArray catalog = new JsonObject(response.body()).getJsonArray("catalog");
      return catalog == null ? new JsonArray() : catalog;
    } catch (Exception e) {
      return new JsonArray();
    }
  }

  private static String instanceIdAt(int port) {
    return catalogInstances().stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getInteger("port") == port)
        .map(i -> i.getString("instanceId"))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no instance on port " + port + " in " + catalogInstances()));
  }

  /** Four clients sending GETs through the gateway back to back until stopped. */
  private static final class Load implements AutoCloseable {
    final AtomicInteger ok = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> served = Collections.synchronizedList(new ArrayList<>());
    final List<String> servedIds = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load() {
      for (int i = 0; i < 4; i++) {
        Thread thread = new Thread(this::run, "load-" + i);
        threads.add(thread);
        thread.start();
      }
    }

    private void run() {
      while (running.get()) {
        try {
          HttpResponse<String> response = TestStack.get(gatewayPort, "/api/products?size=1");
          if (response.statusCode() == 200) {
            ok.incrementAndGet();
            synchronized (served) {
              served.add(new long[] {System.nanoTime()});
              servedIds.add(servedBy(response));
            }
          } else {
            failures.add("status " + response.statusCode());
            failureSamples.add(response.body());
          }
        } catch (Exception e) {
          failures.add(e.toString());
          failureSamples.add(e.toString());
        }
      }
    }

    long servedByAfter(String instanceId, long since) {
      synchronized (served) {
        long count = 0;
        for (int i = 0; i < served.size(); i++) {
          if (served.get(i)[0] > since && servedIds.get(i).endsWith(instanceId)) {
            count++;
          }
        }
        return count;
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
    }

    @Override
    public void close() {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
