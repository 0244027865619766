package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three processes of every service on the local PostgreSQL server (its stock 100 connections), with
 * the pool size the {@code storefront} launcher gives each of fifteen processes with a database out
 * of its budget of 40: all of them become ready, the pools they report add up to the budget at
 * most, and the connections the server counts to the stack's database stay within it under load,
 * and within the pools plus Flyway's two each while they start.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ScaleOutIT {

  private static final List<String> SERVICES =
      List.of("gateway", "catalog", "cart", "order", "payment", "notification");
  private static final List<String> DB_SERVICES =
      List.of("gateway", "catalog", "order", "payment", "notification");
  private static final int INSTANCES = 3;

  /** The launcher's STOREFRONT_PG_CONNECTIONS default. */
  private static final int BUDGET = 40;

  private static final int POOL_SIZE = BUDGET / (DB_SERVICES.size() * INSTANCES);

  /** Flyway migrates over two connections of its own, closed once the schema is current. */
  private static final int FLYWAY_CONNECTIONS = 2;

  private static TestStack stack;

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void threeOfEveryServiceRunWithinTheConnectionBudget() throws Exception {
    stack = TestStack.start("scale-out");
    ConnectionSampler sampler = new ConnectionSampler(stack);
    sampler.start();
    List<ServiceProcess> processes = new ArrayList<>();
    int gatewayPort = 0;
    // A service at a time, its three processes together: eighteen JVMs starting at once on a
    // small machine would time out on CPU, not on the database.
    for (String service : SERVICES) {
      List<ServiceProcess> batch = new ArrayList<>();
      for (int n = 1; n <= INSTANCES; n++) {
        Map<String, String> env = new HashMap<>();
        env.put("PG_POOL_SIZE", Integer.toString(POOL_SIZE));
        if (service.equals("gateway")) {
          env.put("RATE_LIMITS", "/api=100000/1s");
        }
        if (service.equals("catalog")) {
          env.put("CATALOG_DEMO_DATA", "true");
          env.put("CATALOG_DEMO_PRODUCTS", "200");
        }
        ServiceProcess process = stack.startService(service, service + "-" + n, env);
        batch.add(process);
        if (service.equals("gateway") && n == 1) {
          // The first gateway founds the cluster before the others join it.
          gatewayPort = process.awaitPort(Duration.ofSeconds(120));
        }
      }
      for (ServiceProcess process : batch) {
        TestStack.awaitReady(process);
      }
      processes.addAll(batch);
    }
    int gateway = gatewayPort;
    TestStack.await(
        "three instances of every service discovered by the gateway",
        Duration.ofSeconds(120),
        () ->
            SERVICES.stream()
                .filter(s -> !s.equals("gateway"))
                .allMatch(s -> TestStack.instances(gateway, s).size() == INSTANCES));
    long peakWhileStarting = sampler.peakAndReset();

    // Every process with a database reports its pool, its size and what is in use and waiting.
    double pools = 0;
    for (ServiceProcess process : processes) {
      String service = process.name().substring(0, process.name().indexOf('-'));
      if (!DB_SERVICES.contains(service)) {
        continue;
      }
      int management = process.awaitManagementPort(Duration.ofSeconds(10));
      String metrics = TestStack.get(management, "/metrics").body();
      double size = TestStack.metric(management, "storefront_db_pool_max_connections");
      assertThat(size).as(process.name() + " pool size").isBetween(1.0, (double) POOL_SIZE);
      pools += size;
      assertThat(metrics)
          .as(process.name() + " pool metrics")
          .contains("vertx_pool_in_use{")
          .contains("vertx_pool_queue_pending{")
          .contains("pool_type=\"sql\"");
    }
    assertThat(pools).isLessThanOrEqualTo(BUDGET);

    // Load that needs the database (searches) from many clients at once, through the gateways.
    AtomicLong served = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean stopLoad = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(48);
    List<Future<?>> load = new ArrayList<>();
    String[] words = {"steel", "oak", "blue", "lamp", "chair", "kettle", "wool", "glass"};
    for (int c = 0; c < 48; c++) {
      int client = c;
      load.add(
          clients.submit(
              () -> {
                int i = client;
                while (!stopLoad.get()) {
                  String word = words[i++ % words.length];
                  try {
                    HttpResponse<String> response =
                        TestStack.HTTP.send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:"
                                            + gateway
                                            + "/api/products?size=20&q="
                                            + word
                                            + "&page="
                                            + (1 + i % 5)))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                      served.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(15_000);
    stopLoad.set(true);
    for (Future<?> client : load) {
      client.get(30, TimeUnit.SECONDS);
    }
    clients.shutdown();
    long peakUnderLoad = sampler.peakAndReset();
    sampler.stop();

    System.out.printf(
        "Scale-out: %d processes, pools of %d add up to %.0f; connections to the database at most"
            + " %d while starting, %d under load (%d searches served, %d not)%n",
        processes.size(),
        POOL_SIZE,
        pools,
        peakWhileStarting,
        peakUnderLoad,
        served.get(),
        failed.get());
    assertThat(served.get()).isGreaterThan(100);
    assertThat(failed.get()).isZero();
    assertThat(peakUnderLoad).isPositive().isLessThanOrEqualTo((long) pools);
    assertThat(peakWhileStarting)
        .isLessThanOrEqualTo(
            (long) DB_SERVICES.size() * INSTANCES * (POOL_SIZE + FLYWAY_CONNECTIONS));
    for (ServiceProcess process : processes) {
      assertThat(process.alive()).as(process.name() + " alive").isTrue();
    }
  }

  /** The connections open to the stack's database, sampled a few times a second; the peak. */
  private static final class ConnectionSampler {
    private final TestStack stack;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Thread thread;

    ConnectionSampler(TestStack stack) {
      this.stack = stack;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                while (!stopped.get()) {
                  try {
                    long now =
                        stack.queryLong(
                            // Client connections only, as `./storefront status` counts
                            // them: an autovacuum worker on the busy database is not a pool's.
                            "SELECT count(*) FROM pg_stat_activity"
                                + " WHERE datname = current_database()"
                                + " AND backend_type = 'client backend'"
                                + " AND pid <> pg_backend_pid()");
                    peak.accumulateAndGet(now, Math::max);
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    // A reading missed; the next one counts.
                  }
                }
              },
              "connection-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long peakAndReset() {
      return peak.getAndSet(0);
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      thread.join(5_000);
    }
  }
}
