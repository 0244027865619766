package dev.storefront.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP server's request meters, read from the process's Prometheus scrape. */
class HttpServerMetersTest {

  private Vertx vertx;
  private HttpClient client;

  @BeforeEach
  void startMeteredVertx() {
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    // Unmetered, so that the scrape holds only the server's side.
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setMetricsName(Metrics.UNMETERED + "test"),
            new PoolOptions().setHttp1MaxSize(4));
  }

  /** Closed before the next test builds its own: the registry is process-wide under one name. */
  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRequestAnsweredWithoutBeingReadIsNoLongerInFlightOnceAnswered() throws Exception {
    // As the gateway does: the request is paused while checks run, then answered; its end is
    // never read.
    Router router = Router.router(vertx);
    router
        .get("/paused/:id")
        .handler(
            ctx -> {
              ctx.request().pause();
              vertx.setTimer(1, t -> ctx.json("ok"));
            });
    int port = await(listen(router));

    for (int i = 0; i < 40; i++) {
      await(get(port, "/paused/" + i, HttpMethod.GET));
    }

    String scrape = scrape();
    assertThat(value(scrape, "vertx_http_server_active_requests\\{method=\"GET\"\\}"))
        .isEqualTo(0.0);
    assertThat(
            value(
                scrape,
                "vertx_http_server_requests_total\\{code=\"200\",method=\"GET\","
                    + "route=\"/paused/:id\"\\}"))
        .isEqualTo(40.0);
    assertThat(
            value(
                scrape,
                "vertx_http_server_response_time_seconds_count\\{code=\"200\",method=\"GET\","
                    + "route=\"/paused/:id\"\\}"))
        .isEqualTo(40.0);
  }

  @Test
  void requestsInFlightOnEveryServerOfTheProcessAddUpInOneGauge() throws Exception {
    // One server per event loop, as every service runs: their counts must meet in one gauge.
    ConcurrentLinkedQueue<HttpServerResponse> held = new ConcurrentLinkedQueue<>();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ports.add(await(listen(request -> held.add(request.response()))));
    }
    List<Future<Integer>> answers = new ArrayList<>();
    for (int port : ports) {
      answers.add(get(port, "/held", HttpMethod.GET));
      answers.add(get(port, "/held", HttpMethod.GET));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.size() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(held).hasSize(4);
    assertThat(value(scrape(), "vertx_http_server_active_requests\\{method=\"GET\"\\}"))
        .isEqualTo(4.0);

    held.forEach(HttpServerResponse::end);
    for (Future<Integer> answer : answers) {
      await(answer);
    }
    assertThat(value(scrape(), "vertx_http_server_active_requests\\{method=\"GET\"\\}"))
        .isEqualTo(0.0);
  }

  @Test
  void madeUpMethodsShareOneLabel() throws Exception {
    int port = await(listen(request -> request.response().end()));

    await(get(port, "/", HttpMethod.valueOf("FROB")));
    await(get(port, "/", HttpMethod.valueOf("TWIDDLE")));
    await(get(port, "/", HttpMethod.PUT));

    String scrape = scrape();
    assertThat(
            value(
                scrape,
                "vertx_http_server_requests_total\\{code=\"200\",method=\"OTHER\",route=\"\"\\}"))
        .isEqualTo(2.0);
    assertThat(
            value(
                scrape,
                "vertx_http_server_requests_total\\{code=\"200\",method=\"PUT\",route=\"\"\\}"))
        .isEqualTo(1.0);
    assertThat(scrape).doesNotContain("FROB").doesNotContain("TWIDDLE");
  }

  @Test
  void labelsThatAreNotBuiltHereLeaveTheServerToVertxMicrometer() {
    assertThat(HttpServerMeters.supports(Metrics.options())).isTrue();
    assertThat(HttpServerMeters.supports(Metrics.options().addLabels(Label.HTTP_PATH))).isFalse();
    assertThat(HttpServerMeters.supports(Metrics.options().addLabels(Label.LOCAL))).isFalse();
    MicrometerMetricsOptions custom =
        Metrics.options().setServerRequestTagsProvider(request -> List.of());
    assertThat(HttpServerMeters.supports(custom)).isFalse();
  }

  private Future<Integer> listen(io.vertx.core.Handler<HttpServerRequest> handler) {
    return vertx
        .createHttpServer()
        .requestHandler(handler)
        .listen(0, "127.0.0.1")
        .map(HttpServer::actualPort);
  }

  private Future<Integer> get(int port, String uri, HttpMethod method) {
    return client
        .request(method, port, "127.0.0.1", uri)
        .compose(
            request ->
                request
                    .send()
                    .compose((HttpClientResponse r) -> r.body().map(body -> r.statusCode())));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String scrape() {
    return ((PrometheusMeterRegistry) Metrics.registry()).scrape();
  }

  private static double value(String scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
    assertThat(matcher.find()).as("%s in the scrape", series).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
