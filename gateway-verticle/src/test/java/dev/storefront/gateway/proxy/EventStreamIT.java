package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.gateway.GatewayVerticle;
import dev.storefront.gateway.proxy.EventStreamBackend.Stream;
import dev.storefront.gateway.proxy.EventStreamClient.Block;
import dev.storefront.gateway.proxy.EventStreamClient.Open;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-sent event streams through the whole gateway (the real verticle: its server, limits,
 * validation, authentication, rate limit and proxy, its identity schema in a throwaway database on
 * the local PostgreSQL server) from a stand-in notification service registered in discovery, with
 * the request and upstream time limits set far below the streams' lifetimes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String DATABASE =
      "storefront_it_streams_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String PASSWORD = "correct horse battery";

  /**
   * The time limits a stream must outlive. The request limit also bounds each test's sign-up and
   * login, whose deliberately slow password hashing can take most of a second on a busy machine.
   */
  private static final long REQUEST_TIMEOUT_MS = 1_500;

  private static final long UPSTREAM_TIMEOUT_MS = 200;
  private static final int STREAM_IDLE_TIMEOUT_S = 2;

  private static boolean created;

  @TempDir Path temp;

  private Vertx vertx;
  private String deployment;
  private int port;
  private int managementPort;
  private WebClient web;
  private EventStreamClient streams;
  private EventStreamBackend backend;
  private ServiceDiscovery discovery;

  @BeforeAll
  static void createDatabase() throws Exception {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement sql = admin.createStatement()) {
      // The name is generated above from a UUID: nothing to inject.
      sql.execute("CREATE DATABASE " + DATABASE);
      created = true;
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (!created) {
      return;
    }
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
      try (PreparedStatement terminate =
          admin.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
        terminate.setString(1, DATABASE);
        terminate.execute();
      }
      try (Statement drop = admin.createStatement()) {
        drop.execute("DROP DATABASE IF EXISTS " + DATABASE);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close(), 30);
    }
  }

  // --- streaming, never buffering ------------------------------------------------------------

  @Test
  void eachEventReachesTheClientBeforeTheServiceWritesTheNext() throws Exception {
    start(Map.of(), 0);
    String token = account();
    // A client that would take a compressed answer: an event stream must not be compressed.
    Open open =
        await(
            streams.open(
                port, token, MultiMap.caseInsensitiveMultiMap().add("Accept-Encoding", "gzip")),
            10);
    Stream stream = backend.nextStream();
    assertThat(open.response.statusCode()).isEqualTo(200);
    assertThat(open.response.getHeader("Content-Type")).startsWith("text/event-stream");
    assertThat(open.response.getHeader("Content-Encoding")).isNull();
    assertThat(open.response.getHeader("Content-Length")).isNull();
    assertThat(open.response.getHeader("X-Accel-Buffering")).isEqualTo("no");
    // The service is never asked to compress either.
    assertThat(stream.requestHeaders.get("Accept-Encoding")).isNull();
    assertThat(open.next(5).text()).isEqualTo("retry: 2000");

    long previousArrival = 0;
    for (int id = 1; id <= 3; id++) {
      long written = stream.send(id, notification(id)).get(5, TimeUnit.SECONDS);
      Block event = open.next(5);
      assertThat(event.text()).startsWith("id: " + id + "\nevent: notification\ndata: ");
      // It arrived before the next one was written (the next write waits for this arrival),
      // and promptly, though no other byte followed it that could have pushed it out of a buffer.
      assertThat(Duration.ofNanos(event.receivedAt() - written)).isLessThan(Duration.ofMillis(500));
      assertThat(event.receivedAt()).isGreaterThan(previousArrival);
      previousArrival = event.receivedAt();
      // Silence between events: a buffer waiting to fill would hold the event this long.
      Thread.sleep(700);
      assertThat(open.drain()).isEmpty();
    }
    assertThat(open.endedAt).isNotDone();
  }

  @Test
  void aStreamOutlivesTheRequestAndUpstreamTimeoutsWhileHeartbeatsFlow() throws Exception {
    // Heartbeats further apart than either time limit, well within the stream idle timeout.
    start(Map.of(), 500);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    long lifetime = 4 * Math.max(REQUEST_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS);
    Thread.sleep(lifetime);
    assertThat(open.endedAt).as("the client's response").isNotDone();
    assertThat(stream.closedAt).as("the service's request").isNotDone();
    stream.send(42, notification(42)).get(5, TimeUnit.SECONDS);
    Block event = open.nextEvent(5);
    assertThat(event.text()).startsWith("id: 42\n");
    List<Block> before = open.drain();
    assertThat(before).isEmpty();
    // The heartbeats went through too: the client's connection is not idle either.
    Thread.sleep(1_200);
    assertThat(open.drain()).filteredOn(Block::isHeartbeat).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aStreamWithSteadyHeartbeatsOutlivesManyStreamIdleTimeouts() throws Exception {
    // Heartbeats at a third of the stream idle timeout: never silent for long, for four timeouts.
    start(Map.of(), STREAM_IDLE_TIMEOUT_S * 1000 / 3);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    Thread.sleep(4 * STREAM_IDLE_TIMEOUT_S * 1000L);
    assertThat(open.endedAt).as("the client's response").isNotDone();
    assertThat(stream.closedAt).as("the service's request").isNotDone();
    stream.send(7, notification(7)).get(5, TimeUnit.SECONDS);
    assertThat(open.nextEvent(5).text()).startsWith("id: 7\n");
  }

  @Test
  void aStreamSilentForTheStreamIdleTimeoutIsEnded() throws Exception {
    start(Map.of(), 0);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    long opened = System.nanoTime();
    long ended = open.endedAt.get(STREAM_IDLE_TIMEOUT_S + 5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(ended - opened))
        .isGreaterThan(Duration.ofSeconds(STREAM_IDLE_TIMEOUT_S).minusMillis(300));
    stream.closedAt.get(2, TimeUnit.SECONDS);
  }

  // --- either side leaving ---------------------------------------------------------------------

  @Test
  void aClientThatLeavesClosesTheServicesRequestWithinASecond() throws Exception {
    // No heartbeat that could reveal the departure on its next write.
    start(Map.of(), 0);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    open.next(5);
    long left = System.nanoTime();
    await(open.leave(), 5);
    long closed = stream.closedAt.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(closed - left)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aServiceThatEndsItsStreamEndsTheClientsResponse() throws Exception {
    start(Map.of(), 0);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    stream.send(7, notification(7)).get(5, TimeUnit.SECONDS);
    assertThat(open.nextEvent(5).text()).startsWith("id: 7\n");
    long ended = stream.end().get(5, TimeUnit.SECONDS);
    long clientEnded = open.endedAt.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(clientEnded - ended)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aServiceThatDiesEndsTheClientsResponse() throws Exception {
    start(Map.of(), 0);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    open.next(5);
    long killed = stream.kill().get(5, TimeUnit.SECONDS);
    long clientEnded = open.endedAt.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(clientEnded - killed)).isLessThan(Duration.ofSeconds(1));
  }

  // --- stopping -------------------------------------------------------------------------------

  @Test
  void aStoppingGatewayEndsItsOpenStreamsInsteadOfWaitingOutItsDrainTime() throws Exception {
    long drainMillis = 15_000;
    start(Map.of("SHUTDOWN_DRAIN_MS", Long.toString(drainMillis)), 0);
    String token = account();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    open.next(5);
    long stopping = System.nanoTime();
    await(vertx.undeploy(deployment), 30);
    long stopped = System.nanoTime();
    assertThat(Duration.ofNanos(stopped - stopping)).isLessThan(Duration.ofSeconds(5));
    assertThat(open.endedAt.get(1, TimeUnit.SECONDS)).isLessThanOrEqualTo(stopped);
    assertThat(stream.closedAt.get(1, TimeUnit.SECONDS)).isLessThanOrEqualTo(stopped);
  }

  // --- rate limit and gauge -------------------------------------------------------------------

  @Test
  void aStreamTakesOneRateLimitTokenAndShowsInTheGauge() throws Exception {
    start(Map.of("RATE_LIMITS", "/api/auth=1000/1m;/api/notifications=3/1h"), 100);
    String token = account();
    assertThat(streamsOpen()).isZero();
    Open open = await(streams.open(port, token, MultiMap.caseInsensitiveMultiMap()), 10);
    Stream stream = backend.nextStream();
    assertThat(open.response.getHeader("RateLimit-Remaining")).isEqualTo("2");
    for (int id = 1; id <= 5; id++) {
      stream.send(id, notification(id)).get(5, TimeUnit.SECONDS);
      assertThat(open.nextEvent(5).text()).startsWith("id: " + id + "\n");
    }
    assertThat(streamsOpen()).isEqualTo(1);
    // Five events and a heap of heartbeats later, the account has the two requests left that
    // one request for the stream leaves it.
    HttpResponse<Buffer> first = list(token);
    HttpResponse<Buffer> second = list(token);
    HttpResponse<Buffer> third = list(token);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(third.statusCode()).isEqualTo(429);

    await(open.leave(), 5);
    stream.closedAt.get(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (streamsOpen() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(streamsOpen()).isZero();
  }

  // --- fixture --------------------------------------------------------------------------------

  /**
   * A process's worth of gateway (metrics on, as the launcher sets them) and a stand-in
   * notification service writing heartbeats every {@code heartbeatMillis} (none when 0).
   */
  private void start(Map<String, String> overrides, long heartbeatMillis) throws Exception {
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    Path portFile = temp.resolve("gateway.port");
    Path managementPortFile = temp.resolve("gateway.management-port");
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("PORT_FILE", portFile.toString());
    env.put("MANAGEMENT_PORT_FILE", managementPortFile.toString());
    env.put("VERTICLE_INSTANCES", "2");
    env.put("PG_DATABASE", DATABASE);
    env.put("PG_USER", "postgres");
    env.put("PG_POOL_SIZE", "2");
    env.put("REQUEST_TIMEOUT_MS", Long.toString(REQUEST_TIMEOUT_MS));
    env.put("UPSTREAM_TIMEOUT_MS", Long.toString(UPSTREAM_TIMEOUT_MS));
    env.put("STREAM_IDLE_TIMEOUT_S", Integer.toString(STREAM_IDLE_TIMEOUT_S));
    env.put("RATE_LIMITS", "/api=1000/1s");
    env.putAll(overrides);
    deployment = await(vertx.deployVerticle(new GatewayVerticle(Env.of(env))), 30);
    port = Integer.parseInt(Files.readString(portFile).trim());
    managementPort = Integer.parseInt(Files.readString(managementPortFile).trim());
    web = WebClient.create(vertx);
    streams = new EventStreamClient(vertx);
    backend = await(EventStreamBackend.start(vertx, heartbeatMillis), 10);
    discovery = ServiceDiscovery.create(vertx);
    await(
        discovery.publish(
            Endpoint.record(
                new ServiceIdentity("notification", "test", "stand-in"),
                "127.0.0.1",
                backend.port(),
                ClusterMembership.of(vertx).nodeId())),
        10);
    awaitNotificationInstance();
  }

  /** Discovery announces asynchronously: wait until the gateway balances over the stand-in. */
  private void awaitNotificationInstance() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", "/ops/instances").send(), 5);
      JsonArray instances = r.bodyAsJsonObject().getJsonArray("notification", new JsonArray());
      if (instances.size() == 1 && instances.getJsonObject(0).containsKey("breaker")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the gateway never balanced over the stand-in notification service");
  }

  /** A new account's access token. */
  private String account() throws Exception {
    JsonObject credentials =
        new JsonObject()
            .put("email", "shopper-" + UUID.randomUUID() + "@example.com")
            .put("password", PASSWORD);
    HttpResponse<Buffer> registered =
        await(web.post(port, "127.0.0.1", "/api/auth/register").sendJsonObject(credentials), 30);
    assertThat(registered.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> login =
        await(web.post(port, "127.0.0.1", "/api/auth/login").sendJsonObject(credentials), 30);
    assertThat(login.statusCode()).isEqualTo(200);
    return login.bodyAsJsonObject().getString("access_token");
  }

  private HttpResponse<Buffer> list(String token) throws Exception {
    return await(
        web.get(port, "127.0.0.1", "/api/notifications").bearerTokenAuthentication(token).send(),
        10);
  }

  private double streamsOpen() throws Exception {
    String scrape =
        await(web.get(managementPort, "127.0.0.1", "/metrics").send(), 10).bodyAsString();
    Matcher m =
        Pattern.compile("(?m)^" + EventStreams.GAUGE + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("%s in the scrape", EventStreams.GAUGE).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static JsonObject notification(long id) {
    return new JsonObject()
        .put("id", id)
        .put("kind", "order.confirmed")
        .put("title", "Order confirmed")
        .put("read", false);
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
