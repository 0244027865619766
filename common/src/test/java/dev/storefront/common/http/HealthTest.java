package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /health/live and /health/ready as every service router serves them. */
@ExtendWith(VertxExtension.class)
class HealthTest {

  private Health health;
  private WebClient client;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    health = new Health(vertx);
    client = WebClient.create(vertx);
    vertx
        .createHttpServer()
        .requestHandler(ServiceRouter.management(vertx, health))
        .listen(0, "127.0.0.1")
        .map(HttpServer::actualPort)
        .onComplete(
            ctx.succeeding(
                actual -> {
                  port = actual;
                  ctx.completeNow();
                }));
  }

  @Test
  void liveAnswersUp(VertxTestContext ctx) {
    expect(
        ctx,
        "/health/live",
        response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        });
  }

  @Test
  void readyWithoutChecksIsUp(VertxTestContext ctx) {
    expect(
        ctx,
        "/health/ready",
        response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        });
  }

  @Test
  void readyWithPassingChecksIsUp(VertxTestContext ctx) {
    health.check("postgres", Future::succeededFuture).check("kafka", Future::succeededFuture);

    expect(
        ctx,
        "/health/ready",
        response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("UP");
          assertThat(check(body, "postgres").getString("status")).isEqualTo("UP");
          assertThat(check(body, "kafka").getString("status")).isEqualTo("UP");
        });
  }

  @Test
  void oneFailingCheckMakesTheServiceNotReady(VertxTestContext ctx) {
    health
        .check("postgres", Future::succeededFuture)
        .check("kafka", () -> Future.failedFuture("broker 127.0.0.1:9092 unreachable"));

    expect(
        ctx,
        "/health/ready",
        response -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
          assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("DOWN");
          assertThat(check(body, "postgres").getString("status")).isEqualTo("UP");
          JsonObject kafka = check(body, "kafka");
          assertThat(kafka.getString("status")).isEqualTo("DOWN");
          assertThat(kafka.getJsonObject("data").getString("error"))
              .isEqualTo("broker 127.0.0.1:9092 unreachable");
        });
  }

  @Test
  void aCheckThatThrowsIsDownNotAnError(VertxTestContext ctx) {
    health.check(
        "postgres",
        () -> {
          throw new IllegalStateException("pool closed");
        });

    expect(
        ctx,
        "/health/ready",
        response -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
          assertThat(check(response.bodyAsJsonObject(), "postgres").getString("status"))
              .isEqualTo("DOWN");
        });
  }

  @Test
  void aCheckThatNeverAnswersTimesOutAsDown(VertxTestContext ctx) {
    health.check("hanging", () -> Promise.promise().future());
    long start = System.nanoTime();

    expect(
        ctx,
        "/health/ready",
        response -> {
          long millis = (System.nanoTime() - start) / 1_000_000;
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(check(response.bodyAsJsonObject(), "hanging").getString("status"))
              .isEqualTo("DOWN");
          // The check's own limit answers, well before a balancer's probe would give up.
          assertThat(millis).isBetween(1_500L, 5_000L);
        });
  }

  @Test
  void aDrainingServiceIsNotReadyButStillLive(VertxTestContext ctx) {
    health.check("postgres", Future::succeededFuture);
    health.stopAccepting();

    assertThat(health.accepting()).isFalse();
    Future<HttpResponse<Buffer>> ready = client.get(port, "127.0.0.1", "/health/ready").send();
    Future<HttpResponse<Buffer>> live = client.get(port, "127.0.0.1", "/health/live").send();
    Future.all(ready, live)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          assertThat(ready.result().statusCode()).isEqualTo(503);
                          assertThat(ready.result().bodyAsJsonObject())
                              .isEqualTo(
                                  new JsonObject().put("status", "DOWN").put("reason", "draining"));
                          assertThat(live.result().statusCode()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aNewHealthAcceptsWork() {
    assertThat(health.accepting()).isTrue();
  }

  private void expect(
      VertxTestContext ctx, String path, Consumer<HttpResponse<Buffer>> assertions) {
    client
        .get(port, "127.0.0.1", path)
        .send()
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertions.accept(r);
                          ctx.completeNow();
                        })));
  }

  private static JsonObject check(JsonObject body, String id) {
    JsonArray checks = body.getJsonArray("checks");
    assertThat(checks).as("checks in %s", body).isNotNull();
    return checks.stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + body));
  }
}
