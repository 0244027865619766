package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SecurityHeadersTest {

  private Future<List<HttpResponse<Buffer>>> serveAndGet(
      Vertx vertx, Map<String, String> env, String... paths) {
    SecurityHeaders headers = new SecurityHeaders(EdgeServer.config(env));
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(headers);
              // Stand-ins for relayed services: one chooses its caching, one tries to allow
              // framing.
              r.get("/api/products/1")
                  .handler(
                      c ->
                          c.response()
                              .putHeader("Cache-Control", "max-age=60")
                              .putHeader("X-Frame-Options", "SAMEORIGIN")
                              .end("{}"));
              r.get("/api/cart").handler(c -> c.end("{}"));
              r.get("/index.html").handler(c -> c.end("<html></html>"));
            });
    WebClient client = WebClient.create(vertx);
    return EdgeServer.start(vertx, router)
        .compose(
            server -> {
              Future<List<HttpResponse<Buffer>>> all = Future.succeededFuture(List.of());
              for (String path : paths) {
                all =
                    all.compose(
                        done ->
                            client
                                .get(server.actualPort(), "127.0.0.1", path)
                                .send()
                                .map(
                                    r -> {
                                      var more = new java.util.ArrayList<>(done);
                                      more.add(r);
                                      return List.copyOf(more);
                                    }));
              }
              return all;
            });
  }

  @Test
  void everyResponseCarriesTheHardeningHeaders(Vertx vertx, VertxTestContext ctx) {
    serveAndGet(vertx, Map.of(), "/api/cart", "/api/products/1", "/api/missing", "/index.html")
        .onComplete(
            ctx.succeeding(
                rs ->
                    ctx.verify(
                        () -> {
                          for (var r : rs) {
                            assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
                            assertThat(r.headers().getAll("X-Frame-Options"))
                                .containsExactly("DENY");
                            assertThat(r.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
                            assertThat(r.getHeader("Strict-Transport-Security")).isNull();
                          }
                          var cart = rs.get(0);
                          assertThat(cart.getHeader("Content-Security-Policy"))
                              .isEqualTo("default-src 'none'; frame-ancestors 'none'");
                          assertThat(cart.getHeader("Cache-Control")).isEqualTo("no-store");
                          // The service's caching decision stands.
                          assertThat(rs.get(1).headers().getAll("Cache-Control"))
                              .containsExactly("max-age=60");
                          // Problem answers are covered too.
                          assertThat(rs.get(2).statusCode()).isEqualTo(404);
                          assertThat(rs.get(2).getHeader("Content-Security-Policy")).isNotNull();
                          // Pages bring their own policy.
                          assertThat(rs.get(3).getHeader("Content-Security-Policy")).isNull();
                          ctx.completeNow();
                        })));
  }

  @Test
  void hstsOnlyWhenConfigured(Vertx vertx, VertxTestContext ctx) {
    serveAndGet(vertx, Map.of("HSTS_MAX_AGE_S", "31536000"), "/api/cart")
        .onComplete(
            ctx.succeeding(
                rs ->
                    ctx.verify(
                        () -> {
                          assertThat(rs.get(0).getHeader("Strict-Transport-Security"))
                              .isEqualTo("max-age=31536000; includeSubDomains");
                          ctx.completeNow();
                        })));
  }
}
