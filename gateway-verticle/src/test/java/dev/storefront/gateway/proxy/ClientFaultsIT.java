package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.config.Env;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.gateway.GatewayVerticle;
import dev.storefront.gateway.proxy.RawHttp.Answer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sends can never open an instance's breaker: the whole gateway (the real verticle,
 * its identity schema in a throwaway database on the local PostgreSQL server) in front of one real
 * instance, a server registered in discovery as the catalog and the cart service, with the
 * breakers' default threshold of five failures. Requests a client spoils are its 400 (or 405, 413),
 * reach no instance, and leave the breaker closed, over HTTP/1.1 and HTTP/2 alike.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientFaultsIT {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final int MAX_BODY_BYTES = 4096;
  private static final int BURST = 20;

  private static ThrowawayDatabase database;

  @TempDir Path temp;

  private Vertx vertx;
  private int port;
  private WebClient web;
  private static final SelfSignedCertificate certificate =
      SelfSignedCertificate.create("localhost");
  private Instance instance;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = ThrowawayDatabase.create("it_faults");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    Path portFile = temp.resolve("gateway.port");
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("PORT_FILE", portFile.toString());
    env.put("VERTICLE_INSTANCES", "2");
    env.putAll(database.env());
    env.put("PG_USER", "postgres");
    env.put("PG_POOL_SIZE", "2");
    env.put("RATE_LIMITS", "off");
    env.put("MAX_BODY_BYTES", Integer.toString(MAX_BODY_BYTES));
    // HTTP/2 is spoken where TLS negotiates it: the edge here has a certificate of its own.
    env.put("TLS_CERT_PATH", certificate.certificatePath());
    env.put("TLS_KEY_PATH", certificate.privateKeyPath());
    await(vertx.deployVerticle(new GatewayVerticle(Env.of(env))), 30);
    port = Integer.parseInt(Files.readString(portFile).trim());
    web =
        WebClient.create(
            vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    instance = await(Instance.start(vertx), 10);
    ServiceDiscovery discovery = ServiceDiscovery.create(vertx);
    for (String service : List.of("catalog", "cart")) {
      await(
          discovery.publish(
              Endpoint.record(
                  new ServiceIdentity(service, "test", service + "-1"),
                  "127.0.0.1",
                  instance.port,
                  ClusterMembership.of(vertx).nodeId())),
          10);
    }
    awaitBreakers();
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close(), 30);
    }
  }

  // --- header values with control characters --------------------------------------------------

  @Test
  void aBurstOfControlCharactersInHeaderValuesIs400sAndTheServiceIsStillReached() throws Exception {
    char[] controls = {0x01, 0x08, 0x0B, 0x1B, 0x1F, 0x7F};
    try (RawHttp.Http2 h2 = new RawHttp.Http2(port)) {
      for (int i = 0; i < BURST; i++) {
        String value = "a" + controls[i % controls.length] + "b";
        assertProblem(h2.request("GET", "/api/categories", List.of("x-foo", value)), 400);
      }
      for (int i = 0; i < BURST; i++) {
        String value = "a" + controls[i % controls.length] + "b";
        assertProblem(
            RawHttp.http1(
                port,
                "GET /api/categories HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Foo: " + value,
                null),
            400);
      }
      assertThat(instance.received).isEmpty();
      assertThat(breakers()).containsEntry("catalog", "CLOSED");

      // The next request of any client, over either protocol, reaches the service.
      Answer good = h2.request("GET", "/api/categories", List.of("x-foo", "a\tb"));
      assertThat(good.status()).isEqualTo(200);
      assertThat(good.body()).contains("categories");
      Answer goodHttp1 =
          RawHttp.http1(port, "GET /api/categories HTTP/1.1\r\nHost: 127.0.0.1:" + port, null);
      assertThat(goodHttp1.status()).isEqualTo(200);
      assertThat(instance.received).hasSize(2);
      assertThat(instance.received.get(0).get("X-Foo")).isEqualTo("a\tb");
    }
  }

  // --- header sections read one way here and another there -----------------------------------

  @Test
  void anEmptyHeaderNameTwoHostsOrNoHostIsA400Problem() throws Exception {
    String host = "Host: 127.0.0.1:" + port;
    assertProblem(
        RawHttp.http1(port, "GET /api/categories HTTP/1.1\r\n" + host + "\r\n: empty", null), 400);
    assertProblem(
        RawHttp.http1(
            port, "GET /api/categories HTTP/1.1\r\n" + host + "\r\nHost: other.example", null),
        400);
    assertProblem(RawHttp.http1(port, "GET /api/categories HTTP/1.1\r\nX-A: 1", null), 400);
    // HTTP/2 calls such a request malformed (RFC 9113 8.1.1): a stream reset or a 400, as the
    // protocol layer or the gateway sees it first; a new stream each time.
    try (RawHttp.Http2 h2 = new RawHttp.Http2(port)) {
      assertRefused(
          h2.request("GET", "/api/categories", List.of("host", "a.example", "host", "b.example")));
      assertRefused(h2.request("GET", "/api/categories", List.of("", "empty")));
    }
    assertThat(instance.received).isEmpty();
    // HTTP/1.0 needs no Host.
    assertThat(RawHttp.http1(port, "GET /api/categories HTTP/1.0", null).status()).isEqualTo(200);
  }

  // --- methods the document does not have --------------------------------------------------------

  @Test
  void traceAndUnknownMethodsOnPublicResourcesAre405WithAllowNot401() throws Exception {
    String host = "\r\nHost: 127.0.0.1:" + port;
    Answer trace = RawHttp.http1(port, "TRACE /api/products HTTP/1.1" + host, null);
    assertProblem(trace, 405);
    assertThat(trace.headers().get("allow")).isEqualTo("GET, POST");
    Answer unknown = RawHttp.http1(port, "FOO /api/products/p-1 HTTP/1.1" + host, null);
    assertProblem(unknown, 405);
    assertThat(unknown.headers().get("allow")).isEqualTo("GET, PUT, DELETE");
    // The cart needs a caller for what it has, but a method it lacks is 405 for anyone.
    Answer patch = RawHttp.http1(port, "PATCH /api/cart HTTP/1.1" + host, null);
    assertProblem(patch, 405);
    assertThat(patch.headers().get("allow")).contains("GET").contains("DELETE");
    try (RawHttp.Http2 h2 = new RawHttp.Http2(port)) {
      Answer h2Trace = h2.request("TRACE", "/api/categories", List.of());
      assertProblem(h2Trace, 405);
      assertThat(h2Trace.headers().get("allow")).isEqualTo("GET");
    }
    // A method the path has still needs what it needs.
    assertProblem(RawHttp.http1(port, "GET /api/cart HTTP/1.1" + host, null), 401);
    // The gateway's own routes say what they take as well.
    Answer ops = RawHttp.http1(port, "POST /ops/instances HTTP/1.1" + host, null);
    assertProblem(ops, 405);
    assertThat(ops.headers().get("allow")).isEqualTo("GET");
    assertThat(instance.received).isEmpty();
  }

  // --- what counts against an instance
  // -------------------------------------------------------------

  @Test
  void answersAboutTheRequestDoNotOpenTheBreakerAndTheInstancesOwnFailuresDo() throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> notImplemented = get("/api/products/status/501");
      assertThat(notImplemented.statusCode()).isEqualTo(501);
    }
    assertThat(breakers()).containsEntry("catalog", "CLOSED");
    for (int i = 0; i < 5; i++) {
      assertThat(get("/api/products/status/500").statusCode()).isEqualTo(500);
    }
    assertThat(breakers()).containsEntry("catalog", "OPEN");
    assertProblem(get("/api/products"), 503);
  }

  @Test
  void bodiesTooLargeOrBrokenOffByClientsDoNotOpenTheBreaker() throws Exception {
    String token = account();
    String head =
        "POST /api/cart/upload HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked";
    String chunk = Integer.toHexString(1024) + "\r\n" + "x".repeat(1024) + "\r\n";
    for (int i = 0; i < 10; i++) {
      // Over the limit as it streams: no Content-Length said so beforehand.
      Answer tooLarge = RawHttp.http1(port, head, chunk.repeat(8) + "0\r\n\r\n");
      assertProblem(tooLarge, 413);
    }
    int before = instance.uploads.size();
    for (int i = 0; i < 10; i++) {
      try (Socket socket = RawHttp.connect(port)) {
        OutputStream out = socket.getOutputStream();
        out.write((head + "\r\n\r\n" + chunk).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        // Gone mid-body, once the instance has the request.
        awaitUploads(before + i + 1);
      }
    }
    Thread.sleep(200);
    assertThat(breakers()).containsEntry("cart", "CLOSED");
    HttpResponse<Buffer> after =
        await(web.get(port, "127.0.0.1", "/api/cart").bearerTokenAuthentication(token).send(), 10);
    assertThat(after.statusCode()).isEqualTo(200);
  }

  // --- what the public sees and what the service is told -------------------------------------

  @Test
  void theInstanceThatAnsweredIsNotNamedToThePublic() throws Exception {
    HttpResponse<Buffer> answer = get("/api/products");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(instance.received.get(0)).isNotNull();
    assertThat(answer.getHeader("X-Served-By")).isNull();
  }

  @Test
  void aClientCannotNameTheGatewaysOwnHeadersAwayInConnection() throws Exception {
    String token = account();
    HttpResponse<Buffer> answer =
        await(
            web.get(port, "127.0.0.1", "/api/cart")
                .bearerTokenAuthentication(token)
                .putHeader("Connection", "keep-alive, X-Storefront-Identity, X-Custom")
                .putHeader("X-Custom", "for the gateway only")
                .putHeader(InternalTokens.HEADER, "forged")
                .send(),
            10);
    assertThat(answer.statusCode()).isEqualTo(200);
    MultiMap seen = instance.received.get(instance.received.size() - 1);
    assertThat(seen.get(InternalTokens.HEADER)).isNotBlank().isNotEqualTo("forged");
    assertThat(seen.get("X-Custom")).isNull();
    assertThat(seen.get("Authorization")).isNull();
  }

  // --- fixture ----------------------------------------------------------------------------------

  /**
   * A service instance: answers {@code /api/.../status/n} with status n, streamed uploads with the
   * bytes read, anything else with 200; names itself in X-Served-By; notes the headers of every
   * request it gets.
   */
  private static final class Instance {
    final List<MultiMap> received = new CopyOnWriteArrayList<>();
    final List<String> uploads = new CopyOnWriteArrayList<>();
    int port;

    static Future<Instance> start(Vertx vertx) {
      Instance instance = new Instance();
      return vertx
          .createHttpServer()
          .requestHandler(instance::handle)
          .listen(0, "127.0.0.1")
          .map(
              (HttpServer server) -> {
                instance.port = server.actualPort();
                return instance;
              });
    }

    private void handle(HttpServerRequest request) {
      received.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
      request.response().putHeader("X-Served-By", "catalog/catalog-1");
      String path = request.path();
      int status = path.contains("/status/") ? Integer.parseInt(path.replaceAll(".*/", "")) : 200;
      if (path.endsWith("/upload")) {
        uploads.add(path);
        request.exceptionHandler(e -> {});
        request
            .body()
            .onSuccess(
                body ->
                    request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("bytes", body.length()).encode()));
        return;
      }
      request
          .response()
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("categories", new JsonArray()).encode());
    }
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return await(web.get(port, "127.0.0.1", uri).send(), 10);
  }

  /** The breaker state of each service's one instance, as operators see it. */
  private Map<String, String> breakers() throws Exception {
    JsonObject instances = get("/ops/instances").bodyAsJsonObject();
    Map<String, String> states = new HashMap<>();
    for (String service : List.of("catalog", "cart")) {
      JsonArray list = instances.getJsonArray(service, new JsonArray());
      if (list.size() == 1 && list.getJsonObject(0).containsKey("breaker")) {
        states.put(service, list.getJsonObject(0).getString("breaker"));
      }
    }
    return states;
  }

  /** Discovery announces asynchronously: wait until the gateway balances over the instance. */
  private void awaitBreakers() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (breakers().size() == 2) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the gateway never balanced over the instance");
  }

  private void awaitUploads(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (instance.uploads.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the instance never got upload " + count);
      }
      Thread.sleep(5);
    }
  }

  /** A new account's access token. */
  private String account() throws Exception {
    JsonObject credentials =
        new JsonObject()
            .put("email", "shopper-" + UUID.randomUUID() + "@example.com")
            .put("password", "correct horse battery");
    HttpResponse<Buffer> registered =
        await(web.post(port, "127.0.0.1", "/api/auth/register").sendJsonObject(credentials), 30);
    assertThat(registered.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> login =
        await(web.post(port, "127.0.0.1", "/api/auth/login").sendJsonObject(credentials), 30);
    assertThat(login.statusCode()).isEqualTo(200);
    return login.bodyAsJsonObject().getString("access_token");
  }

  private static void assertProblem(Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.headers().get("content-type")).isEqualTo(PROBLEM_JSON);
    assertThat(new JsonObject(answer.body()).getInteger("status")).isEqualTo(status);
  }

  /** A reset stream, or a 400 problem. */
  private static void assertRefused(Answer answer) {
    if (answer.status() != -1) {
      assertProblem(answer, 400);
    }
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(PROBLEM_JSON);
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
