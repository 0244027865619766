package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.metrics.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The management port's /metrics serves the process's Prometheus registry, fed by Vert.x's own HTTP
 * metrics of the service port.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Vertx vertx;

  @BeforeEach
  void startMeteredVertx() {
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
  }

  /**
   * Closed before the next test builds its own: the registry is process-wide under one name, and a
   * Vert.x still closing would take the next one's registry with it.
   */
  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theScrapeCountsServedRequestsByRouteTemplate(VertxTestContext ctx) {
    Router router = ServiceRouter.create(vertx);
    router.get("/items/:id").handler(rc -> rc.json(rc.pathParam("id")));
    ServiceRouter.complete(router);
    WebClient client = WebClient.create(vertx);

    serve(router)
        .compose(
            ports ->
                client
                    .get(ports[0], "127.0.0.1", "/items/42")
                    .send()
                    .compose(first -> client.get(ports[1], "127.0.0.1", "/metrics").send()))
        .onComplete(
            ctx.succeeding(
                scrape ->
                    ctx.verify(
                        () -> {
                          assertThat(scrape.statusCode()).isEqualTo(200);
                          assertThat(scrape.getHeader("Content-Type")).startsWith("text/plain");
                          String text = scrape.bodyAsString();
                          assertThat(text)
                              .contains("# TYPE vertx_http_server_requests_total counter")
                              .containsPattern(
                                  "vertx_http_server_requests_total\\{[^}]*code=\"200\""
                                      + "[^}]*route=\"/items/:id\"[^}]*\\} 1\\.0")
                              // Raw paths would make one time series per item.
                              .doesNotContain("/items/42")
                              // Latency has buckets for p99 panels; sizes only count and sum.
                              .contains("vertx_http_server_response_time_seconds_bucket{")
                              .contains("vertx_http_server_response_bytes_count{")
                              .doesNotContain("vertx_http_server_response_bytes_bucket");
                          // The process-wide naming filter applies to the JVM meters too.
                          assertThat(text)
                              .contains("system_cpus ")
                              .doesNotContain("system_cpu_count");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aClientNamedUnmeteredLeavesNoClientOrPoolMeters(VertxTestContext ctx) {
    Router router = ServiceRouter.create(vertx);
    router.get("/items/:id").handler(rc -> rc.json(rc.pathParam("id")));
    ServiceRouter.complete(router);
    HttpClient metered = vertx.createHttpClient(new HttpClientOptions().setMetricsName("metered"));
    HttpClient unmetered =
        vertx.createHttpClient(new HttpClientOptions().setMetricsName(Metrics.UNMETERED + "hot"));
    WebClient scraper = WebClient.create(vertx);

    serve(router)
        .compose(
            ports ->
                get(metered, ports[0], "/items/1")
                    .compose(a -> get(unmetered, ports[0], "/items/2"))
                    .compose(b -> get(unmetered, ports[0], "/items/3"))
                    .compose(c -> scraper.get(ports[1], "127.0.0.1", "/metrics").send()))
        .onComplete(
            ctx.succeeding(
                scrape ->
                    ctx.verify(
                        () -> {
                          String text = scrape.bodyAsString();
                          // Three requests served, one of them counted on the client side.
                          assertThat(text)
                              .containsPattern(
                                  "vertx_http_server_requests_total\\{[^}]*route=\"/items/:id\""
                                      + "[^}]*\\} 3\\.0")
                              .containsPattern(
                                  "vertx_http_client_requests_total\\{[^}]*client_name=\"metered\""
                                      + "[^}]*\\} 1\\.0")
                              .doesNotContain("unmetered")
                              // Peers' ephemeral ports would make a time series per connection.
                              .doesNotContain("remote=");
                          ctx.completeNow();
                        })));
  }

  /** {@code service} on one port and the management router on another: the two ports. */
  private io.vertx.core.Future<int[]> serve(Router service) {
    return vertx
        .createHttpServer()
        .requestHandler(service)
        .listen(0, "127.0.0.1")
        .compose(
            served ->
                vertx
                    .createHttpServer()
                    .requestHandler(ServiceRouter.management(vertx, new Health(vertx)))
                    .listen(0, "127.0.0.1")
                    .map(managed -> new int[] {served.actualPort(), managed.actualPort()}));
  }

  private static io.vertx.core.Future<Integer> get(HttpClient client, int port, String uri) {
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(request -> request.send().compose(r -> r.body().map(body -> r.statusCode())));
  }

  /** promtool itself (Debian's prometheus package) on a real scrape, when the machine has it. */
  @Test
  void theScrapePassesPromtool(VertxTestContext ctx) {
    Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed");
    Router router = ServiceRouter.create(vertx);
    router.get("/items/:id").handler(rc -> rc.json(rc.pathParam("id")));
    ServiceRouter.complete(router);
    WebClient client = WebClient.create(vertx);

    serve(router)
        .compose(
            ports ->
                client
                    .get(ports[0], "127.0.0.1", "/items/42")
                    .send()
                    .compose(ok -> client.get(ports[0], "127.0.0.1", "/nowhere").send())
                    .compose(notFound -> client.get(ports[1], "127.0.0.1", "/metrics").send()))
        .compose(scrape -> vertx.executeBlocking(() -> promtool(scrape.bodyAsString())))
        .onComplete(
            ctx.succeeding(
                complaints ->
                    ctx.verify(
                        () -> {
                          assertThat(complaints).isEmpty();
                          ctx.completeNow();
                        })));
  }

  /** What promtool says about {@code scrape}: nothing when it accepts it. */
  private static String promtool(String scrape) throws Exception {
    Process process =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "promtool did not finish";
    }
    return process.exitValue() == 0
        ? output.strip()
        : "exit " + process.exitValue() + ": " + output;
  }

  @Test
  void theProjectsOwnMetersGoToTheScrapedRegistry() {
    assertThat(Metrics.registry()).isInstanceOf(PrometheusMeterRegistry.class);
  }
}
