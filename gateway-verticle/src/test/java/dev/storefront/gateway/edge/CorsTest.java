package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CorsTest {

  private static final String SHOP = "https://shop.example.com";

  private final AtomicInteger reachedService = new AtomicInteger();

  private Future<Integer> serve(Vertx vertx, Map<String, String> env) {
    Cors cors = new Cors(EdgeServer.config(env));
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(cors);
              r.route()
                  .handler(
                      c -> {
                        reachedService.incrementAndGet();
                        // A service's own CORS answer must not win over the edge's.
                        c.response().putHeader("Access-Control-Allow-Origin", "*");
                        c.end("ok");
                      });
            });
    return EdgeServer.start(vertx, router).map(s -> s.actualPort());
  }

  private static Future<HttpResponse<Buffer>> preflight(Vertx vertx, int port, String origin) {
    return WebClient.create(vertx)
        .request(HttpMethod.OPTIONS, port, "127.0.0.1", "/api/orders")
        .putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "Authorization, Idempotency-Key")
        .send();
  }

  private static Future<HttpResponse<Buffer>> get(Vertx vertx, int port, String origin) {
    return WebClient.create(vertx)
        .get(port, "127.0.0.1", "/api/products")
        .putHeader("Origin", origin)
        .send();
  }

  @Test
  void aConfiguredOriginsPreflightIsAnsweredAtTheEdge(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, Map.of("CORS_ORIGINS", SHOP + ", https://m.example.com"))
        .compose(port -> preflight(vertx, port, SHOP))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(204);
                          assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(SHOP);
                          assertThat(r.getHeader("Access-Control-Allow-Methods"))
                              .isEqualTo("GET, POST, PUT, DELETE, PATCH, OPTIONS");
                          assertThat(r.getHeader("Access-Control-Allow-Headers"))
                              .contains("Authorization", "Idempotency-Key", "Last-Event-ID");
                          assertThat(r.getHeader("Access-Control-Allow-Credentials")).isNull();
                          assertThat(r.getHeader("Access-Control-Max-Age")).isEqualTo("600");
                          assertThat(r.getHeader("Vary")).contains("Origin");
                          assertThat(reachedService.get()).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void anotherOriginGetsNoCorsHeaders(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, Map.of("CORS_ORIGINS", SHOP))
        .compose(
            port ->
                preflight(vertx, port, "https://evil.example.com")
                    .compose(
                        pre ->
                            get(vertx, port, "https://evil.example.com")
                                .map(actual -> new Object[] {pre, actual})))
        .onComplete(
            ctx.succeeding(
                rs ->
                    ctx.verify(
                        () -> {
                          @SuppressWarnings("unchecked")
                          HttpResponse<Buffer> pre = (HttpResponse<Buffer>) rs[0];
                          @SuppressWarnings("unchecked")
                          HttpResponse<Buffer> actual = (HttpResponse<Buffer>) rs[1];
                          assertThat(pre.statusCode()).isEqualTo(403);
                          assertThat(pre.getHeader("Access-Control-Allow-Origin")).isNull();
                          assertThat(pre.getHeader("Access-Control-Allow-Methods")).isNull();
                          assertThat(actual.statusCode()).isEqualTo(200);
                          // Not even the stand-in service's own wildcard gets through.
                          assertThat(actual.getHeader("Access-Control-Allow-Origin")).isNull();
                          assertThat(actual.getHeader("Access-Control-Expose-Headers")).isNull();
                          ctx.completeNow();
                        })));
  }

  @Test
  void anAllowedOriginsRequestExposesTheEdgeHeaders(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, Map.of("CORS_ORIGINS", SHOP, "CORS_ALLOW_CREDENTIALS", "true"))
        .compose(port -> get(vertx, port, SHOP))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(200);
                          assertThat(r.headers().getAll("Access-Control-Allow-Origin"))
                              .containsExactly(SHOP);
                          assertThat(r.getHeader("Access-Control-Allow-Credentials"))
                              .isEqualTo("true");
                          assertThat(r.getHeader("Access-Control-Expose-Headers"))
                              .contains(
                                  "X-Request-Id",
                                  "Retry-After",
                                  "RateLimit-Limit",
                                  "RateLimit-Remaining",
                                  "ETag",
                                  "Location");
                          ctx.completeNow();
                        })));
  }

  @Test
  void withoutConfiguredOriginsNothingIsAdded(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, Map.of())
        .compose(port -> preflight(vertx, port, SHOP))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          // Passed on like any request: the stand-in service answered.
                          assertThat(r.statusCode()).isEqualTo(200);
                          assertThat(reachedService.get()).isEqualTo(1);
                          assertThat(r.getHeader("Access-Control-Allow-Methods")).isNull();
                          assertThat(r.getHeader("Vary")).isNull();
                          ctx.completeNow();
                        })));
  }
}
