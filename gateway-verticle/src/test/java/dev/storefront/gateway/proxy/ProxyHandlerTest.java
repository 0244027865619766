package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.gateway.config.GatewayConfig;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.http.GatewayRouter;
import dev.storefront.gateway.openapi.ApiDocument;
import dev.storefront.gateway.proxy.CatalogStandIn.Behaviour;
import dev.storefront.gateway.proxy.CatalogStandIn.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's proxy end to end in one process: a real discovery store and directory, the real
 * router on a real server, and catalog instances that are real HTTP servers ({@link
 * CatalogStandIn}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProxyHandlerTest {

  private static final String HOST = "127.0.0.1";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final int STREAMED_BYTES = 20 * 1024 * 1024;
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  /** Short enough for tests; a breaker that opens stays open for the rest of the test. */
  private static final GatewayConfig.Upstream UPSTREAM = upstream(Duration.ofSeconds(5), 5);

  private ServiceDiscovery discovery;
  private ServiceDirectory directory;
  private Upstreams upstreams;
  private SimpleMeterRegistry registry;
  private WebClient client;
  private int gatewayPort;
  private final Map<String, String> registrations = new HashMap<>();

  @BeforeEach
  void createDiscovery(Vertx vertx) {
    discovery = ServiceDiscovery.create(vertx);
    // One connection: every request after the first reuses it, as a browser's would.
    client =
        WebClient.create(
            vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
  }

  @AfterEach
  void closeDiscovery(VertxTestContext ctx) {
    discovery.close();
    (directory == null ? Future.succeededFuture() : directory.stop())
        .onComplete(ctx.succeedingThenComplete());
  }

  // --- 1. routing -------------------------------------------------------------------------------

  @Test
  void forwardsTheHostAskedForWithoutTheSchemesDefaultPort() {
    assertThat(
            ProxyHandler.forwardedHost(HostAndPort.parseAuthority("shop.example:8080", -1), false))
        .isEqualTo("shop.example:8080");
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("shop.example:80", -1), false))
        .isEqualTo("shop.example");
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("shop.example:443", -1), true))
        .isEqualTo("shop.example");
    assertThat(
            ProxyHandler.forwardedHost(HostAndPort.parseAuthority("shop.example:443", -1), false))
        .isEqualTo("shop.example:443");
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("[::1]:8080", -1), false))
        .isEqualTo("[::1]:8080");
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("shop.example", -1), false))
        .isEqualTo("shop.example");
    // No Host header, or one that is not an authority: no X-Forwarded-Host.
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("", -1), false)).isNull();
    assertThat(ProxyHandler.forwardedHost(HostAndPort.parseAuthority("a b:x", -1), false)).isNull();
  }

  @Test
  void forwardsTheTablesPathsOnlyAndAnswersOtherPathsWithA404Problem(
      Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    Map<String, HttpResponse<Buffer>> answers = new HashMap<>();
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> getInto(answers, "/api/products"))
        .compose(v -> getInto(answers, "/api/products/1?fields=name"))
        .compose(v -> getInto(answers, "/api/productsX"))
        .compose(v -> getInto(answers, "/api/foo"))
        .compose(v -> getInto(answers, "/api/cart/items/1"))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers.get("/api/products").statusCode()).isEqualTo(200);
                          assertThat(answers.get("/api/products/1?fields=name").statusCode())
                              .isEqualTo(200);
                          assertThat(standIns.get(0).received())
                              .extracting(Received::uri)
                              .containsExactly("/api/products", "/api/products/1?fields=name");
                          assertProblem(answers.get("/api/productsX"), 404);
                          HttpResponse<Buffer> foo = answers.get("/api/foo");
                          assertProblem(foo, 404);
                          assertThat(foo.bodyAsJsonObject().getString("instance"))
                              .isEqualTo("/api/foo");
                          // The cart route exists; no cart instance does.
                          HttpResponse<Buffer> cart = answers.get("/api/cart/items/1");
                          assertProblem(cart, 503);
                          assertThat(cart.bodyAsJsonObject().getString("detail")).contains("cart");
                          ctx.completeNow();
                        })));
  }

  // --- 2. no instance ---------------------------------------------------------------------------

  @Test
  void answers503NamingTheServiceWhenNoInstanceIsPublished(Vertx vertx, VertxTestContext ctx) {
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    startGateway(vertx, UPSTREAM)
        .compose(v -> get("/api/products/1"))
        .map(answers::add)
        .compose(v -> send(HttpMethod.POST, "/api/products", NO_HEADERS, pattern(64 * 1024)))
        .map(answers::add)
        // The same keep-alive connection: a body left unread must not wedge it.
        .compose(v -> get("/ops/instances"))
        .map(answers::add)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          HttpResponse<Buffer> noBody = answers.get(0);
                          assertProblem(noBody, 503);
                          assertThat(noBody.bodyAsJsonObject().getString("detail"))
                              .isEqualTo("No instance of the catalog service is available");
                          assertProblem(answers.get(1), 503);
                          assertThat(answers.get(2).statusCode()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  // --- 3. round robin ---------------------------------------------------------------------------

  @Test
  void spreadsRequestsRoundRobinOverTheInstances(Vertx vertx, VertxTestContext ctx) {
    instances(vertx, "a", "b")
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> getInSequence(20, "/api/products"))
        .onComplete(
            ctx.succeeding(
                responses ->
                    ctx.verify(
                        () -> {
                          assertThat(responses).allMatch(r -> r.statusCode() == 200);
                          assertThat(responses).allMatch(r -> "OK".equals(r.statusMessage()));
                          List<String> servedBy = servedBy(responses);
                          assertThat(servedBy).containsOnly("a", "b");
                          for (int i = 1; i < servedBy.size(); i++) {
                            assertThat(servedBy.get(i))
                                .as("instance for request %d", i)
                                .isNotEqualTo(servedBy.get(i - 1));
                          }
                          assertThat(servedBy.stream().filter("a"::equals)).hasSize(10);
                          ctx.completeNow();
                        })));
  }

  // --- 4. headers -------------------------------------------------------------------------------

  @Test
  void forwardsEndToEndHeadersAddsForwardingHeadersAndDropsHopByHopOnes(
      Vertx vertx, VertxTestContext ctx) {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Request-Id", "client-req.42")
            .add("X-Forwarded-For", "203.0.113.7")
            .add("Connection", "keep-alive, X-Custom")
            .add("X-Custom", "for the gateway only")
            .add("Keep-Alive", "timeout=5")
            .add("TE", "trailers")
            .add("Upgrade", "example/1")
            .add("X-End-To-End", "kept");
    List<CatalogStandIn> standIns = new ArrayList<>();
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> send(HttpMethod.GET, CatalogStandIn.HEADERS_PATH + "?x=1", headers, null))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          CatalogStandIn a = standIns.get(0);
                          assertThat(a.received()).hasSize(1);
                          Received seen = a.received().get(0);
                          assertThat(seen.uri()).isEqualTo(CatalogStandIn.HEADERS_PATH + "?x=1");
                          MultiMap up = seen.headers();
                          assertThat(up.getAll("X-Request-Id")).containsExactly("client-req.42");
                          assertThat(up.get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
                          assertThat(up.get("X-Forwarded-Proto")).isEqualTo("http");
                          assertThat(up.get("X-Forwarded-Host"))
                              .isEqualTo(HOST + ":" + gatewayPort);
                          assertThat(up.get("Host")).isEqualTo(HOST + ":" + a.port());
                          assertThat(up.get("X-End-To-End")).isEqualTo("kept");
                          assertThat(lowerCase(up.names()))
                              .doesNotContain("connection", "keep-alive", "te", "upgrade")
                              .doesNotContain("x-custom");

                          assertThat(response.statusCode()).isEqualTo(201);
                          assertThat(response.statusMessage()).isEqualTo(CatalogStandIn.OWN_REASON);
                          assertThat(response.getHeader(CatalogStandIn.INSTANCE_HEADER))
                              .isEqualTo("a");
                          assertThat(response.getHeader("X-Upstream-Header")).isEqualTo("hello");
                          // UPSTREAM_SERVED_BY_HEADER is on in these tests.
                          assertThat(response.getHeader("X-Served-By")).isEqualTo("catalog/a");
                          assertThat(response.headers().getAll("X-Request-Id"))
                              .containsExactly("client-req.42");
                          assertThat(lowerCase(response.headers().names()))
                              .doesNotContain("x-upstream-secret", "keep-alive");
                          ctx.completeNow();
                        })));
  }

  @Test
  void dropsTheHeadersNamedInEveryConnectionHeaderLine(Vertx vertx, VertxTestContext ctx) {
    // Two field lines of one header are one list (RFC 9110 5.3).
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "keep-alive")
            .add("Connection", "X-Second-Line")
            .add("X-Second-Line", "for the gateway only");
    List<CatalogStandIn> standIns = new ArrayList<>();
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> send(HttpMethod.GET, "/api/products", headers, null))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.statusCode()).isEqualTo(200);
                          assertThat(lowerCase(standIns.get(0).received().get(0).headers().names()))
                              .doesNotContain("connection", "x-second-line");
                          ctx.completeNow();
                        })));
  }

  @Test
  void givesTheServiceTheSameRequestIdTheClientGetsBack(Vertx vertx, VertxTestContext ctx) {
    String malformed = "not a valid id; replace it";
    List<CatalogStandIn> standIns = new ArrayList<>();
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> get("/api/products"))
        .map(answers::add)
        .compose(
            v ->
                send(
                    HttpMethod.GET,
                    "/api/products",
                    MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", malformed),
                    null))
        .map(answers::add)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          List<Received> seen = standIns.get(0).received();
                          assertThat(seen).hasSize(2);
                          String generated = answers.get(0).getHeader("X-Request-Id");
                          assertThat(generated).isNotBlank();
                          assertThat(seen.get(0).headers().getAll("X-Request-Id"))
                              .containsExactly(generated);
                          String replaced = answers.get(1).getHeader("X-Request-Id");
                          assertThat(replaced)
                              .isNotBlank()
                              .isNotEqualTo(malformed)
                              .isNotEqualTo(generated);
                          assertThat(seen.get(1).headers().getAll("X-Request-Id"))
                              .containsExactly(replaced);
                          ctx.completeNow();
                        })));
  }

  // --- 5. connect failure -----------------------------------------------------------------------

  @Test
  void movesRequestsWithAndWithoutBodiesOnWhenAnInstanceCannotBeReached(
      Vertx vertx, VertxTestContext ctx) {
    // A breaker that does not open here, so the dead instance stays first in line half the time.
    GatewayConfig.Upstream upstream = upstream(Duration.ofSeconds(5), 100);
    Buffer small = Buffer.buffer("{\"name\":\"kettle\"}");
    Buffer large = pattern(256 * 1024);
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    CatalogStandIn.deadPort(vertx)
        .compose(deadPort -> publish(vertx, "dead", deadPort))
        .compose(v -> instances(vertx, "live"))
        .compose(v -> startGateway(vertx, upstream))
        .compose(v -> send(HttpMethod.POST, "/api/products", json, small))
        .map(answers::add)
        .compose(v -> send(HttpMethod.POST, "/api/products", json, large))
        .map(answers::add)
        .compose(v -> getInSequence(4, "/api/products"))
        .map(answers::addAll)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers).allMatch(r -> r.statusCode() == 200);
                          assertThat(servedBy(answers)).containsOnly("live");
                          assertThat(answers.get(0).body()).isEqualTo(small);
                          assertThat(answers.get(1).body().length()).isEqualTo(large.length());
                          assertThat(answers.get(1).body()).isEqualTo(large);
                          // Every other request started on the dead instance and moved on.
                          assertThat(breakerFailures("dead")).isEqualTo(3.0);
                          ctx.completeNow();
                        })));
  }

  // --- 6. 5xx and the breaker -------------------------------------------------------------------

  @Test
  void relaysA500AsItIsAndStopsUsingAnInstanceWhoseBreakerOpened(
      Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    List<HttpResponse<Buffer>> before = new ArrayList<>();
    List<HttpResponse<Buffer>> ops = new ArrayList<>();
    start(vertx, standIns, "broken", Behaviour.FAIL, "healthy", Behaviour.ANSWER)
        .compose(v -> startGateway(vertx, upstream(Duration.ofSeconds(5), 3)))
        .compose(v -> getInSequence(6, "/api/products"))
        .map(before::addAll)
        .compose(v -> get("/ops/instances"))
        .map(ops::add)
        .compose(v -> getInSequence(6, "/api/products"))
        .onComplete(
            ctx.succeeding(
                after ->
                    ctx.verify(
                        () -> {
                          List<HttpResponse<Buffer>> failures =
                              before.stream().filter(r -> r.statusCode() == 500).toList();
                          assertThat(failures).hasSize(3);
                          for (HttpResponse<Buffer> failure : failures) {
                            assertThat(failure.getHeader(CatalogStandIn.INSTANCE_HEADER))
                                .isEqualTo("broken");
                            assertThat(failure.getHeader("Content-Type"))
                                .isEqualTo("application/json");
                            assertThat(failure.bodyAsJsonObject())
                                .isEqualTo(CatalogStandIn.failureBody("broken"));
                          }
                          assertThat(breakerStates(ops.get(0).bodyAsJsonObject()))
                              .containsEntry("broken", "OPEN")
                              .containsEntry("healthy", "CLOSED");
                          assertThat(after).allMatch(r -> r.statusCode() == 200);
                          assertThat(servedBy(after)).containsOnly("healthy");
                          assertThat(standIns.get(0).received()).hasSize(3);
                          // Each instance's answers, timed by outcome.
                          assertThat(upstreamAttempts("broken", "server_error")).isEqualTo(3);
                          assertThat(upstreamAttempts("broken", "answered")).isZero();
                          assertThat(upstreamAttempts("healthy", "answered")).isEqualTo(9);
                          assertThat(upstreamAttempts("healthy", "server_error")).isZero();
                          ctx.completeNow();
                        })));
  }

  // --- 7. timeouts ------------------------------------------------------------------------------

  @Test
  void answers504WhenTheOnlyInstanceDoesNotAnswerInTime(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    long[] sentAt = new long[1];
    start(vertx, standIns, "hung", Behaviour.HANG)
        .compose(v -> startGateway(vertx, upstream(Duration.ofSeconds(1), 5)))
        .compose(
            v -> {
              sentAt[0] = System.nanoTime();
              return get("/api/products");
            })
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertTimedOutOnce(response, sentAt[0]);
                          assertThat(response.bodyAsJsonObject().getString("detail"))
                              .contains("catalog");
                          assertThat(standIns.get(0).received()).hasSize(1);
                          ctx.completeNow();
                        })));
  }

  @Test
  void retriesAGetThatTimedOutOnAnotherInstance(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    start(vertx, standIns, "hung", Behaviour.HANG, "healthy", Behaviour.ANSWER)
        .compose(v -> startGateway(vertx, upstream(Duration.ofSeconds(1), 5)))
        .compose(v -> getInSequence(2, "/api/products"))
        .onComplete(
            ctx.succeeding(
                responses ->
                    ctx.verify(
                        () -> {
                          assertThat(responses).allMatch(r -> r.statusCode() == 200);
                          assertThat(servedBy(responses)).containsOnly("healthy");
                          // One of the two started on the hung instance, waited, moved on.
                          assertThat(standIns.get(0).received()).hasSize(1);
                          assertThat(standIns.get(1).received()).hasSize(2);
                          ctx.completeNow();
                        })));
  }

  @Test
  void answers504WhenTheServiceDoesNotAnswerInTimeAfterAStreamedBody(
      Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    long[] sentAt = new long[1];
    start(vertx, standIns, "hung", Behaviour.HANG)
        .compose(v -> startGateway(vertx, upstream(Duration.ofSeconds(1), 5)))
        .compose(
            v -> {
              sentAt[0] = System.nanoTime();
              // No contract mounted: the body streams through rather than being read at the edge.
              return send(HttpMethod.POST, "/api/products", NO_HEADERS, pattern(64 * 1024));
            })
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertTimedOutOnce(response, sentAt[0]);
                          assertThat(standIns.get(0).received())
                              .extracting(r -> r.body().length())
                              .containsExactly(64 * 1024);
                          ctx.completeNow();
                        })));
  }

  @Test
  void answers504WhenTheServiceDoesNotAnswerInTimeAfterAValidatedBody(
      Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    long[] sentAt = new long[1];
    MultiMap put =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("If-Match", "\"1\"");
    Buffer body =
        new JsonObject()
            .put("sku", "BOOK-0003")
            .put("name", "A third book")
            .put("category", "books")
            .put("price", new JsonObject().put("amountMinor", 1500).put("currency", "EUR"))
            .put("stock", 2)
            .toBuffer();
    start(vertx, standIns, "hung", Behaviour.HANG)
        .compose(v -> ApiDocument.load(vertx))
        .compose(
            document ->
                startGateway(
                    vertx, upstream(Duration.ofSeconds(1), 5), GatewayRouter.contract(document)))
        .compose(
            v -> {
              sentAt[0] = System.nanoTime();
              return send(
                  HttpMethod.PUT, "/api/products/3fa85f64-5717-4562-b3fc-2c963f66afa6", put, body);
            })
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertTimedOutOnce(response, sentAt[0]);
                          assertThat(standIns.get(0).received())
                              .extracting(Received::body)
                              .containsExactly(body);
                          ctx.completeNow();
                        })));
  }

  @Test
  void anAnswerBegunInTimeIsNotCutOffByTheUpstreamTimeout(Vertx vertx, VertxTestContext ctx) {
    HttpClient http = vertx.createHttpClient();
    List<CatalogStandIn> standIns = new ArrayList<>();
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, upstream(Duration.ofMillis(300), 5)))
        .compose(v -> http.request(HttpMethod.GET, gatewayPort, HOST, CatalogStandIn.TRICKLE_PATH))
        .compose(
            request ->
                request
                    .send()
                    .compose(ProxyHandlerTest::firstChunk)
                    // Well past the time to answer: the head came in time, so nothing may fire.
                    .compose(v -> vertx.timer(1_000, TimeUnit.MILLISECONDS))
                    .compose(
                        v -> {
                          boolean cutOff = standIns.get(0).trickleClosed.future().isComplete();
                          return request.connection().close().map(cutOff);
                        }))
        .onComplete(
            ctx.succeeding(
                cutOff ->
                    ctx.verify(
                        () -> {
                          assertThat(cutOff).isFalse();
                          assertThat(upstreamAttempts("a", "answered")).isEqualTo(1);
                          assertThat(upstreamAttempts("a", "timeout")).isZero();
                          ctx.completeNow();
                        })));
  }

  // --- 8. no replay of a sent POST --------------------------------------------------------------

  @Test
  void neverSendsAPostThatReachedOneInstanceToAnother(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    Buffer first = Buffer.buffer("{\"order\":1}");
    Buffer second = Buffer.buffer("{\"order\":2}");
    start(vertx, standIns, "closer", Behaviour.CLOSE, "healthy", Behaviour.ANSWER)
        .compose(v -> startGateway(vertx, UPSTREAM))
        // Round robin: of two consecutive requests, one starts on each instance.
        .compose(v -> send(HttpMethod.POST, "/api/products", json, first))
        .map(answers::add)
        .compose(v -> send(HttpMethod.POST, "/api/products", json, second))
        .map(answers::add)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers)
                              .extracting(HttpResponse::statusCode)
                              .containsExactlyInAnyOrder(200, 502);
                          int failedAt = answers.get(0).statusCode() == 502 ? 0 : 1;
                          Buffer lost = failedAt == 0 ? first : second;
                          Buffer answered = failedAt == 0 ? second : first;
                          assertProblem(answers.get(failedAt), 502);
                          assertThat(standIns.get(0).received())
                              .extracting(Received::body)
                              .containsExactly(lost);
                          assertThat(standIns.get(1).received())
                              .extracting(Received::body)
                              .containsExactly(answered);
                          ctx.completeNow();
                        })));
  }

  @Test
  void sendsAValidatedIdempotentWriteAgainToAnotherInstance(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    String product = "/api/products/3fa85f64-5717-4562-b3fc-2c963f66afa6";
    MultiMap put =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("If-Match", "\"1\"");
    MultiMap keyedPost =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add("Idempotency-Key", "checkout-0001");
    Buffer body =
        new JsonObject()
            .put("sku", "BOOK-0001")
            .put("name", "A book")
            .put("category", "books")
            .put("price", new JsonObject().put("amountMinor", 1999).put("currency", "EUR"))
            .put("stock", 3)
            .toBuffer();
    start(vertx, standIns, "closer", Behaviour.CLOSE, "healthy", Behaviour.ANSWER)
        .compose(v -> ApiDocument.load(vertx))
        // Validation reads these bodies whole at the edge, so they are still at hand for a retry.
        .compose(document -> startGateway(vertx, UPSTREAM, GatewayRouter.contract(document)))
        // Round robin: of two consecutive requests of a kind, one starts on each instance.
        .compose(v -> send(HttpMethod.PUT, product, put, body))
        .map(answers::add)
        .compose(v -> send(HttpMethod.PUT, product, put, body))
        .map(answers::add)
        .compose(v -> send(HttpMethod.POST, "/api/products", keyedPost, body))
        .map(answers::add)
        .compose(v -> send(HttpMethod.POST, "/api/products", keyedPost, body))
        .map(answers::add)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers).allMatch(r -> r.statusCode() == 200);
                          assertThat(servedBy(answers)).containsOnly("healthy");
                          // One PUT and one POST reached the closer, which hung up on them.
                          assertThat(standIns.get(0).received()).hasSize(2);
                          assertThat(standIns.get(1).received())
                              .hasSize(4)
                              .extracting(Received::body)
                              .allMatch(body::equals);
                          ctx.completeNow();
                        })));
  }

  @Test
  void forwardsAValidatedBodySentOverHttp2(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    Buffer body =
        new JsonObject()
            .put("sku", "BOOK-0002")
            .put("name", "Another book")
            .put("category", "books")
            .put("price", new JsonObject().put("amountMinor", 999).put("currency", "EUR"))
            .put("stock", 1)
            .toBuffer();
    // The stream closes as the answer's last frame goes out; nothing may fail on that.
    List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    // Prior-knowledge h2c: the body is read whole by validation, then forwarded.
    HttpClient http2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    start(vertx, standIns, "only", Behaviour.ANSWER)
        .compose(v -> ApiDocument.load(vertx))
        .compose(document -> startGateway(vertx, UPSTREAM, GatewayRouter.contract(document)))
        .compose(
            v ->
                http2.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.PUT)
                        .setHost(HOST)
                        .setPort(gatewayPort)
                        .setURI("/api/products/3fa85f64-5717-4562-b3fc-2c963f66afa6")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("If-Match", "\"1\"")))
        .compose(
            request -> request.send(body).compose(response -> response.body().map(b -> response)))
        // The gateway's side of the stream closes a moment after the client has the answer.
        .compose(response -> vertx.timer(200).map(response))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
                          assertThat(response.statusCode()).isEqualTo(200);
                          assertThat(standIns.get(0).received())
                              .extracting(Received::body)
                              .containsExactly(body);
                          assertThat(unhandled).isEmpty();
                          ctx.completeNow();
                        })));
  }

  // --- 9. streaming -----------------------------------------------------------------------------

  @Test
  void streamsTwentyMegabytesEachWayIntact(Vertx vertx, VertxTestContext ctx) {
    HttpClient http = vertx.createHttpClient();
    long expectedCrc = CatalogStandIn.patternCrc(STREAMED_BYTES);
    List<JsonObject> results = new ArrayList<>();
    instances(vertx, "a")
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(
            v ->
                http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(HOST)
                        .setPort(gatewayPort)
                        .setURI(CatalogStandIn.UPLOAD_PATH)))
        .compose(
            request -> {
              request.setChunked(true);
              return CatalogStandIn.writePattern(request, STREAMED_BYTES)
                  .compose(v -> request.response())
                  .compose(response -> response.body());
            })
        .map(body -> results.add(body.toJsonObject()))
        .compose(
            v ->
                http.request(
                    HttpMethod.GET,
                    gatewayPort,
                    HOST,
                    CatalogStandIn.DOWNLOAD_PATH + "?bytes=" + STREAMED_BYTES))
        .compose(request -> request.send().compose(ProxyHandlerTest::patternSummary))
        .map(results::add)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          JsonObject uploaded = results.get(0);
                          assertThat(uploaded.getLong("bytes")).isEqualTo(STREAMED_BYTES);
                          assertThat(uploaded.getLong("crc")).isEqualTo(expectedCrc);
                          JsonObject downloaded = results.get(1);
                          assertThat(downloaded.getInteger("status")).isEqualTo(200);
                          assertThat(downloaded.getLong("bytes")).isEqualTo(STREAMED_BYTES);
                          assertThat(downloaded.getLong("crc")).isEqualTo(expectedCrc);
                          ctx.completeNow();
                        })));
  }

  /** Status, length and CRC of a streamed answer, read as it arrives. */
  private static Future<JsonObject> patternSummary(HttpClientResponse response) {
    CRC32 crc = new CRC32();
    AtomicLong bytes = new AtomicLong();
    response.handler(
        chunk -> {
          bytes.addAndGet(chunk.length());
          crc.update(chunk.getBytes());
        });
    return response
        .end()
        .map(
            v ->
                new JsonObject()
                    .put("status", response.statusCode())
                    .put("bytes", bytes.get())
                    .put("crc", crc.getValue()));
  }

  @Test
  void anAnswerTheServiceBreaksOffDoesNotReachTheClientLookingWhole(
      Vertx vertx, VertxTestContext ctx) {
    HttpClient http = vertx.createHttpClient();
    instances(vertx, "a")
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(
            v -> http.request(HttpMethod.GET, gatewayPort, HOST, CatalogStandIn.BREAK_OFF_PATH))
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response -> {
                          ctx.verify(() -> assertThat(response.statusCode()).isEqualTo(200));
                          return response.body();
                        }))
        .onComplete(
            ctx.failing(
                e -> {
                  // The chunked body never got its last chunk: the client knows it is cut.
                  ctx.completeNow();
                }));
  }

  @Test
  void aClientThatLeavesMidAnswerEndsTheExchangeWithTheServiceAtOnce(
      Vertx vertx, VertxTestContext ctx) {
    HttpClient http = vertx.createHttpClient();
    List<CatalogStandIn> standIns = new ArrayList<>();
    long[] left = {0};
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> http.request(HttpMethod.GET, gatewayPort, HOST, CatalogStandIn.TRICKLE_PATH))
        .compose(
            request ->
                request
                    .send()
                    .compose(ProxyHandlerTest::firstChunk)
                    .compose(
                        v -> {
                          // Nothing more comes from the service that could reveal the departure.
                          left[0] = System.nanoTime();
                          return request.connection().close();
                        }))
        .compose(v -> standIns.get(0).trickleClosed.future())
        .onComplete(
            ctx.succeeding(
                closed ->
                    ctx.verify(
                        () -> {
                          assertThat(Duration.ofNanos(closed - left[0]))
                              .isLessThan(Duration.ofSeconds(1));
                          ctx.completeNow();
                        })));
  }

  @Test
  void aClientLeavingMidAnswerLeavesTheReadsPipelinedBehindItAnswered(
      Vertx vertx, VertxTestContext ctx) {
    HttpClient leaving = vertx.createHttpClient();
    List<CatalogStandIn> standIns = new ArrayList<>();
    // One pipelined connection that never counts as stalled: the second read queues on it.
    GatewayConfig.Upstream upstream =
        upstream(
            Duration.ofSeconds(5),
            5,
            new GatewayConfig.Pipelining(4, 1, Duration.ofSeconds(10), Duration.ofSeconds(1)));
    instances(vertx, "a")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, upstream))
        // The first read takes the pool and opens the pipelined connection.
        .compose(v -> get("/api/products/1"))
        .compose(v -> vertx.timer(200))
        .compose(v -> leaving.request(HttpMethod.GET, gatewayPort, HOST, CatalogStandIn.SLOW_PATH))
        .compose(
            slow ->
                slow.send()
                    .compose(ProxyHandlerTest::firstChunk)
                    .compose(
                        v -> {
                          Future<HttpResponse<Buffer>> queued = get("/api/products/2");
                          // The client of the slow answer leaves while the read waits behind it.
                          return vertx
                              .timer(100)
                              .compose(p -> slow.connection().close())
                              .compose(p -> queued);
                        }))
        .onComplete(
            ctx.succeeding(
                queued ->
                    ctx.verify(
                        () -> {
                          assertThat(queued.statusCode()).isEqualTo(200);
                          assertThat(standIns.get(0).received())
                              .extracting(Received::uri)
                              .containsExactly(
                                  "/api/products/1", CatalogStandIn.SLOW_PATH, "/api/products/2");
                          ctx.completeNow();
                        })));
  }

  // --- 10. operations view ----------------------------------------------------------------------

  @Test
  void listsEveryInstanceWithItsBreakerState(Vertx vertx, VertxTestContext ctx) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    instances(vertx, "a", "b")
        .map(standIns::addAll)
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> get("/ops/instances"))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.statusCode()).isEqualTo(200);
                          JsonArray catalog = response.bodyAsJsonObject().getJsonArray("catalog");
                          assertThat(catalog).hasSize(2);
                          for (CatalogStandIn standIn : standIns) {
                            JsonObject listed =
                                catalog.stream()
                                    .map(JsonObject.class::cast)
                                    .filter(i -> standIn.id().equals(i.getString("instanceId")))
                                    .findFirst()
                                    .orElseThrow();
                            assertThat(listed.getString("host")).isEqualTo(HOST);
                            assertThat(listed.getInteger("port")).isEqualTo(standIn.port());
                            assertThat(listed.getString("nodeId")).isEqualTo("standalone");
                            assertThat(listed.getString("breaker")).isEqualTo("CLOSED");
                          }
                          ctx.completeNow();
                        })));
  }

  // --- discovery changes while the gateway runs ------------------------------------------------
  // Announcements carry no registration id (vertx-service-discovery clears it), yet the gateway
  // must act on them within a second or two, not at the directory's next periodic re-read.

  @Test
  void balancesOverAnInstancePublishedAfterTheGatewayStarted(Vertx vertx, VertxTestContext ctx) {
    instances(vertx, "a")
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> instances(vertx, "b"))
        .compose(v -> awaitInstances(vertx, 2))
        .compose(v -> getInSequence(4, "/api/products"))
        .onComplete(
            ctx.succeeding(
                responses ->
                    ctx.verify(
                        () -> {
                          assertThat(servedBy(responses)).containsOnly("a", "b");
                          assertThat(servedBy(responses).stream().filter("b"::equals)).hasSize(2);
                          ctx.completeNow();
                        })));
  }

  @Test
  void stopsBalancingOverAnInstanceWhoseRecordWasWithdrawn(Vertx vertx, VertxTestContext ctx) {
    instances(vertx, "a", "b")
        .compose(v -> startGateway(vertx, UPSTREAM))
        .compose(v -> withdraw("b"))
        .compose(v -> awaitInstances(vertx, 1))
        .compose(v -> getInSequence(4, "/api/products"))
        .onComplete(
            ctx.succeeding(
                responses ->
                    ctx.verify(
                        () -> {
                          assertThat(servedBy(responses)).containsOnly("a");
                          // A withdrawn instance's timers go with it.
                          assertThat(upstreamAttempts("a", "answered")).isEqualTo(4);
                          assertThat(
                                  registry
                                      .find(UpstreamMeters.NAME)
                                      .tag("instance_id", "b")
                                      .meters())
                              .isEmpty();
                          ctx.completeNow();
                        })));
  }

  // --- fixture ----------------------------------------------------------------------------------

  private static GatewayConfig.Upstream upstream(Duration timeout, int breakerMaxFailures) {
    return upstream(
        timeout,
        breakerMaxFailures,
        new GatewayConfig.Pipelining(4, 2, Duration.ofMillis(20), Duration.ofSeconds(1)));
  }

  private static GatewayConfig.Upstream upstream(
      Duration timeout, int breakerMaxFailures, GatewayConfig.Pipelining pipelining) {
    return new GatewayConfig.Upstream(
        timeout,
        Duration.ofMillis(500),
        3,
        4,
        breakerMaxFailures,
        Duration.ofSeconds(60),
        0.2,
        10,
        Duration.ofSeconds(60),
        16,
        pipelining,
        true);
  }

  /** Completes once the first chunk of {@code response}'s body has arrived. */
  private static Future<Void> firstChunk(HttpClientResponse response) {
    Promise<Void> firstChunk = Promise.promise();
    response.handler(chunk -> firstChunk.tryComplete());
    return firstChunk.future();
  }

  /**
   * Starts the gateway over what discovery holds now and waits until it balances over every record
   * published so far. Records are published before the directory starts so that the other tests
   * depend only on the directory's first read of the store, not on announcements (tested above).
   */
  private Future<Void> startGateway(Vertx vertx, GatewayConfig.Upstream upstream) {
    return startGateway(vertx, upstream, router -> {});
  }

  /** The gateway with {@code contract} mounted: the API document's validation, say. */
  private Future<Void> startGateway(
      Vertx vertx, GatewayConfig.Upstream upstream, Consumer<Router> contract) {
    registry = new SimpleMeterRegistry();
    directory = new ServiceDirectory(vertx, discovery);
    GatewayConfig config =
        new GatewayConfig(
            new HttpConfig(
                HOST,
                0,
                HOST,
                1,
                Duration.ofSeconds(1),
                "",
                HOST,
                0,
                "",
                Duration.ofSeconds(10),
                "",
                ""),
            new DatabaseConfig(HOST, 5432, "storefront", "gateway", "", "identity", 1),
            upstream);
    return directory
        .start()
        .compose(
            started -> {
              upstreams = new Upstreams(vertx, directory, upstream, registry);
              return vertx
                  .createHttpServer()
                  .requestHandler(
                      GatewayRouter.create(
                          vertx,
                          upstreams,
                          config,
                          // The proxy is under test here: no limits in the way, no authentication.
                          EdgeConfig.from(
                              Env.of(
                                  Map.of(
                                      "RATE_LIMITS", "off",
                                      "MAX_BODY_BYTES", String.valueOf(64 * 1024 * 1024),
                                      "REQUEST_TIMEOUT_MS", "60000"))),
                          contract,
                          (router, afterAuthentication, beforeAuthEndpoints) -> {
                            router.route("/api/*").handler(afterAuthentication);
                            beforeAuthEndpoints.accept(router);
                          }))
                  .listen(0, HOST);
            })
        .compose(
            server -> {
              gatewayPort = server.actualPort();
              return awaitInstances(vertx, registrations.size());
            });
  }

  /** Starts answering stand-ins with these ids and publishes them. */
  private Future<List<CatalogStandIn>> instances(Vertx vertx, String... ids) {
    List<CatalogStandIn> standIns = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> start(vertx, standIns, id, Behaviour.ANSWER));
    }
    return chain.map(standIns);
  }

  /** Starts and publishes one stand-in and adds it to {@code standIns}. */
  private Future<Void> start(
      Vertx vertx, List<CatalogStandIn> standIns, String id, Behaviour behaviour) {
    return CatalogStandIn.start(vertx, id, behaviour)
        .compose(
            standIn -> {
              standIns.add(standIn);
              return publish(vertx, id, standIn.port());
            });
  }

  private Future<Void> start(
      Vertx vertx,
      List<CatalogStandIn> standIns,
      String firstId,
      Behaviour first,
      String secondId,
      Behaviour second) {
    return start(vertx, standIns, firstId, first)
        .compose(v -> start(vertx, standIns, secondId, second));
  }

  private Future<Void> publish(Vertx vertx, String instanceId, int port) {
    return discovery
        .publish(
            Endpoint.record(
                new ServiceIdentity("catalog", "test", instanceId),
                HOST,
                port,
                ClusterMembership.of(vertx).nodeId()))
        .map(record -> registrations.put(instanceId, record.getRegistration()))
        .mapEmpty();
  }

  private Future<Void> withdraw(String instanceId) {
    return discovery.unpublish(registrations.remove(instanceId));
  }

  /** Discovery announces asynchronously: wait until the gateway's view holds {@code count}. */
  private Future<Void> awaitInstances(Vertx vertx, int count) {
    Promise<Void> seen = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    vertx.setPeriodic(
        0,
        10,
        id -> {
          JsonArray catalog = upstreams.describe().getJsonArray("catalog", new JsonArray());
          if (catalog.size() == count) {
            vertx.cancelTimer(id);
            seen.complete();
          } else if (System.nanoTime() > deadline) {
            vertx.cancelTimer(id);
            seen.fail("the gateway never saw " + count + " catalog instances");
          }
        });
    return seen.future();
  }

  private Future<HttpResponse<Buffer>> get(String uri) {
    return send(HttpMethod.GET, uri, NO_HEADERS, null);
  }

  private Future<Void> getInto(Map<String, HttpResponse<Buffer>> answers, String uri) {
    return get(uri).map(response -> answers.put(uri, response)).mapEmpty();
  }

  private Future<HttpResponse<Buffer>> send(
      HttpMethod method, String uri, MultiMap headers, Buffer body) {
    var request = client.request(method, gatewayPort, HOST, uri).putHeaders(headers);
    return body == null ? request.send() : request.sendBuffer(body);
  }

  /** GETs {@code uri} {@code n} times, each after the previous answer. */
  private Future<List<HttpResponse<Buffer>>> getInSequence(int n, String uri) {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> get(uri)).map(responses::add).mapEmpty();
    }
    return chain.map(responses);
  }

  private static Buffer pattern(int size) {
    return CatalogStandIn.pattern(3, size);
  }

  private static List<String> servedBy(List<HttpResponse<Buffer>> responses) {
    return responses.stream().map(r -> r.getHeader(CatalogStandIn.INSTANCE_HEADER)).toList();
  }

  private static List<String> lowerCase(Set<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  private static Map<String, String> breakerStates(JsonObject instances) {
    Map<String, String> states = new HashMap<>();
    instances.getJsonArray("catalog").stream()
        .map(JsonObject.class::cast)
        .forEach(i -> states.put(i.getString("instanceId"), i.getString("breaker")));
    return states;
  }

  /** Attempts on an instance that ended with {@code outcome}, as its timer counted them. */
  private long upstreamAttempts(String instanceId, String outcome) {
    return registry
        .get(UpstreamMeters.NAME)
        .tag("instance_id", instanceId)
        .tag("outcome", outcome)
        .timer()
        .count();
  }

  private double breakerFailures(String instanceId) {
    return registry
        .get("storefront_circuit_breaker_failures")
        .tag("instance_id", instanceId)
        .gauge()
        .value();
  }

  /**
   * A 504 about a second (the upstream timeout) after {@code sentAtNanos}, counted as one timeout
   * of the instance "hung".
   */
  private void assertTimedOutOnce(HttpResponse<Buffer> response, long sentAtNanos) {
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAtNanos);
    assertProblem(response, 504);
    assertThat(elapsedMs).isBetween(900L, 3_000L);
    assertThat(upstreamAttempts("hung", "timeout")).isEqualTo(1);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(PROBLEM_JSON);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).isNotBlank();
  }
}
