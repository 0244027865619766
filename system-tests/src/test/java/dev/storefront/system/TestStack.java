package dev.storefront.system;

import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.Reconciliation;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A private Storefront stack for one test class: its own Kafka broker, its own throwaway database
 * on the local PostgreSQL, its own cluster name and port range, so it never meets a running local
 * stack or another test.
 */
final class TestStack implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path root;
  private final Path workDir;
  private final ThrowawayDatabase database;
  private final String clusterName;
  private final int clusterPort;
  private final KafkaBroker kafka;
  private final List<ServiceProcess> processes = new ArrayList<>();

  /** The stack's own key for sealing stored cards: every payment process of it shares it. */
  private final String paymentCardKey = randomKey();

  private TestStack(
      Path root,
      Path workDir,
      ThrowawayDatabase database,
      String clusterName,
      int clusterPort,
      KafkaBroker kafka) {
    this.root = root;
    this.workDir = workDir;
    this.database = database;
    this.clusterName = clusterName;
    this.clusterPort = clusterPort;
    this.kafka = kafka;
  }

  static TestStack start(String testName) throws Exception {
    Path root = Path.of(System.getProperty("storefront.root", "..")).toAbsolutePath().normalize();
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path workDir = root.resolve("system-tests/target/stacks/" + testName + "-" + id);
    Files.createDirectories(workDir);
    ThrowawayDatabase database = ThrowawayDatabase.create("it");
    KafkaBroker kafka = KafkaBroker.start(workDir.resolve("kafka"), 0, 0);
    return new TestStack(root, workDir, database, "it-" + id, freeClusterPort(), kafka);
  }

  /** Starts {@code service}'s jar as process {@code name}, returning once it listens. */
  ServiceProcess startService(String service, String name, Map<String, String> extraEnv)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("STOREFRONT_CLUSTER_NAME", clusterName);
    env.put("STOREFRONT_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("STOREFRONT_CLUSTER_MEMBERS", "127.0.0.1");
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.putAll(database.env());
    env.put("HTTP_PORT", "0");
    env.put("SHUTDOWN_DRAIN_MS", "3000");
    // The most a local stack gives one process: a few test processes at 8 leave room on the
    // server's 100 connections for a local stack beside them.
    env.put("PG_POOL_SIZE", "8");
    if (service.equals("payment")) {
      env.put("PAYMENT_CARD_KEY", paymentCardKey);
    }
    env.putAll(extraEnv);
    ServiceProcess process = ServiceProcess.start(root, service + "-verticle", name, workDir, env);
    processes.add(process);
    return process;
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  /** The stack's own broker: tests stop and restart it to show what survives an outage. */
  KafkaBroker kafka() {
    return kafka;
  }

  /** The reconciliation audit of this stack's database (as its administrator). */
  Reconciliation.Report reconcile(Duration grace) throws java.sql.SQLException {
    try (var db = database.adminConnection()) {
      return Reconciliation.audit(db, grace);
    }
  }

  /**
   * Waits up to {@code timeout} for the audit to find nothing and to have skipped no check but
   * those {@code mayBeSkipped} names (checks of services this stack does not run); fails with the
   * last findings otherwise.
   */
  void awaitCleanReconciliation(Duration timeout, java.util.function.Predicate<String> mayBeSkipped)
      throws InterruptedException {
    Reconciliation.Report[] last = new Reconciliation.Report[1];
    try {
      await(
          "a clean reconciliation",
          timeout,
          () -> {
            try {
              last[0] = reconcile(Duration.ZERO);
              return last[0].clean() && last[0].skipped().stream().allMatch(mayBeSkipped);
            } catch (java.sql.SQLException e) {
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          "Reconciliation: " + (last[0] == null ? "none" : last[0].findings()), e);
    }
  }

  /** A statement against this stack's database as its administrator, for set-up and checks. */
  long queryLong(String sql) throws java.sql.SQLException {
    try (var db = database.adminConnection();
        var statement = db.createStatement();
        var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends {@code method path} over HTTP/1.1 with an optional body ({@code application/json} unless
   * {@code headers} names another {@code Content-Type}).
   */
  static HttpResponse<String> send(
      int port, String method, String path, String body, Map<String, String> headers)
      throws Exception {
    return send(HttpClient.Version.HTTP_1_1, port, method, path, body, headers);
  }

  /**
   * As {@link #send(int, String, String, String, Map)}, in {@code version} ({@code HTTP_2}: the
   * client offers a cleartext upgrade to HTTP/2, which a server may decline).
   */
  static HttpResponse<String> send(
      HttpClient.Version version,
      int port,
      String method,
      String path,
      String body,
      Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .version(version)
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null
        && headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The sum of a Prometheus metric's samples on a process's {@code /metrics} (its management port)
   * whose labels contain every one of {@code labelParts} (for example {@code outcome="handled"}); 0
   * when it cannot be read.
   */
  static double metric(int managementPort, String name, String... labelParts) {
    try {
      double total = 0;
      for (String line : get(managementPort, "/metrics").body().split("\n")) {
        if ((line.startsWith(name + "{") || line.startsWith(name + " "))
            && java.util.Arrays.stream(labelParts).allMatch(line::contains)) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    } catch (Exception e) {
      return 0;
    }
  }

  /** The instances of {@code service} in the gateway's view ({@code /ops/instances}). */
  static JsonArray instances(int gatewayPort, String service) {
    try {
      HttpResponse<String> response = get(gatewayPort, "/ops/instances");
      if (response.statusCode() != 200) {
        return new JsonArray();
      }
      JsonArray list = new JsonObject(response.body()).getJsonArray(service);
      return list == null ? new JsonArray() : list;
    } catch (Exception e) {
      return new JsonArray();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
  }

  /** Waits until {@code process} answers 200 on {@code /health/ready} (its management port). */
  static void awaitReady(ServiceProcess process) throws Exception {
    int port = process.awaitManagementPort(Duration.ofSeconds(90));
    await(
        process.name() + " ready",
        Duration.ofSeconds(90),
        () -> {
          if (!process.alive()) {
            throw new AssertionError(process.name() + " died:\n" + process.tail());
          }
          try {
            return get(port, "/health/ready").statusCode() == 200;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private static int freeClusterPort() throws Exception {
    // A free port well away from the default 5701 range of a local stack; the cluster uses the
    // next few ports above it too.
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = 20_000 + (int) (Math.random() * 20_000);
      try {
        new ServerSocket(candidate).close();
        return candidate;
      } catch (java.io.IOException busy) {
        // try another
      }
    }
    throw new IllegalStateException("no free port for the cluster");
  }

  @Override
  public void close() {
    for (ServiceProcess process : processes) {
      process.close();
    }
    kafka.close();
    database.close();
  }
}
