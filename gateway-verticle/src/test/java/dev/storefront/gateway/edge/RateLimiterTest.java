package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RateLimiterTest {

  private MeterRegistry registry;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    registry = new SimpleMeterRegistry();
    client = WebClient.create(vertx);
  }

  /** A server whose every route answers 200 "ok" behind {@code limiter}. */
  private Future<Integer> serve(Vertx vertx, RateLimiter limiter) {
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(limiter);
              r.post("/api/echo").handler(BodyHandler.create());
              r.post("/api/echo").handler(ctx -> ctx.end(ctx.body().buffer()));
              r.route().handler(ctx -> ctx.end("ok"));
            });
    return EdgeServer.start(vertx, router).map(s -> s.actualPort());
  }

  private RateLimiter limiter(Vertx vertx, Map<String, String> env) {
    return new RateLimiter(
        EdgeServer.config(env),
        LocalBucketStore.of(vertx),
        registry,
        ctx -> ctx.request().getHeader("X-Test-Account"));
  }

  private Future<HttpResponse<Buffer>> get(int port, String path, String... headers) {
    var request = client.get(port, "127.0.0.1", path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send();
  }

  /** Runs the requests one after another, collecting the answers in order. */
  private static Future<List<HttpResponse<Buffer>>> inOrder(
      List<Supplier<Future<HttpResponse<Buffer>>>> requests) {
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (var request : requests) {
      chain = chain.compose(v -> request.get().map(r -> answers.add(r)).mapEmpty());
    }
    return chain.map(v -> answers);
  }

  private static List<Integer> statuses(List<HttpResponse<Buffer>> answers) {
    return answers.stream().map(HttpResponse::statusCode).toList();
  }

  @Test
  void refusesTheRequestAfterTheLimitWithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=2/1s")))
        .compose(
            port ->
                inOrder(
                    List.of(
                        () -> get(port, "/api/products"),
                        () -> get(port, "/api/products"),
                        () -> get(port, "/api/products"))))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(statuses(answers)).containsExactly(200, 200, 429);
                          assertThat(answers.get(0).getHeader("RateLimit-Limit")).isEqualTo("2");
                          assertThat(answers.get(0).getHeader("RateLimit-Remaining"))
                              .isEqualTo("1");
                          assertThat(answers.get(1).getHeader("RateLimit-Remaining"))
                              .isEqualTo("0");
                          var refused = answers.get(2);
                          assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
                          assertThat(refused.getHeader("RateLimit-Limit")).isEqualTo("2");
                          assertThat(refused.getHeader("RateLimit-Remaining")).isEqualTo("0");
                          assertThat(refused.getHeader("Content-Type"))
                              .isEqualTo("application/problem+json");
                          assertThat(refused.bodyAsJsonObject().getInteger("status"))
                              .isEqualTo(429);
                          assertThat(
                                  registry
                                      .counter("storefront_rate_limited", "limit", "/api")
                                      .count())
                              .isEqualTo(1.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aRefusedCallerIsServedAgainOnceTokensRefill(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=2/1s")))
        .compose(
            port ->
                inOrder(
                        List.of(
                            () -> get(port, "/api/a"),
                            () -> get(port, "/api/a"),
                            () -> get(port, "/api/a")))
                    .compose(
                        first ->
                            vertx
                                .timer(1_100)
                                .compose(
                                    t ->
                                        inOrder(
                                            List.of(
                                                () -> get(port, "/api/a"),
                                                () -> get(port, "/api/a"),
                                                () -> get(port, "/api/a"))))
                                .map(second -> List.of(statuses(first), statuses(second)))))
        .onComplete(
            ctx.succeeding(
                rounds ->
                    ctx.verify(
                        () -> {
                          assertThat(rounds.get(0)).containsExactly(200, 200, 429);
                          // A whole window later the bucket is full again, not one token more.
                          assertThat(rounds.get(1)).containsExactly(200, 200, 429);
                          ctx.completeNow();
                        })));
  }

  @Test
  void theLongestMatchingPrefixDecidesAndEachLimitHasItsOwnBucket(
      Vertx vertx, VertxTestContext ctx) {
    serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=3/60s;/api/auth=1/60s")))
        .compose(
            port ->
                inOrder(
                    List.of(
                        () -> get(port, "/api/auth/login"),
                        () -> get(port, "/api/auth/login"),
                        () -> get(port, "/api/products"),
                        () -> get(port, "/api/products/1"),
                        () -> get(port, "/api"),
                        () -> get(port, "/api/cart"),
                        // Not under /api: a prefix matches whole path segments only.
                        () -> get(port, "/apiary"),
                        () -> get(port, "/health/live"))))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(statuses(answers))
                              .containsExactly(200, 429, 200, 200, 200, 429, 200, 200);
                          assertThat(answers.get(0).getHeader("RateLimit-Limit")).isEqualTo("1");
                          assertThat(answers.get(2).getHeader("RateLimit-Limit")).isEqualTo("3");
                          // 1 per 60 s: the next token is a minute away.
                          assertThat(answers.get(1).getHeader("Retry-After")).isEqualTo("60");
                          assertThat(answers.get(6).getHeader("RateLimit-Limit")).isNull();
                          assertThat(
                                  registry
                                      .counter("storefront_rate_limited", "limit", "/api/auth")
                                      .count())
                              .isEqualTo(1.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void accountsHaveBucketsOfTheirOwnApartFromTheAddress(Vertx vertx, VertxTestContext ctx) {
    serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=1/60s")))
        .compose(
            port ->
                inOrder(
                    List.of(
                        () -> get(port, "/api/cart", "X-Test-Account", "alice"),
                        () -> get(port, "/api/cart", "X-Test-Account", "alice"),
                        () -> get(port, "/api/cart", "X-Test-Account", "bob"),
                        () -> get(port, "/api/cart"),
                        () -> get(port, "/api/cart"))))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(statuses(answers)).containsExactly(200, 429, 200, 200, 429);
                          ctx.completeNow();
                        })));
  }

  @Test
  void forwardedForIsIgnoredUnlessTrusted(Vertx vertx, VertxTestContext ctx) {
    Future<List<Integer>> untrusted =
        serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=1/60s")))
            .compose(
                port ->
                    inOrder(
                        List.of(
                            () -> get(port, "/api/x", "X-Forwarded-For", "10.0.0.1"),
                            () -> get(port, "/api/x", "X-Forwarded-For", "10.0.0.2"))))
            .map(RateLimiterTest::statuses);
    Future<List<Integer>> trusted =
        untrusted.compose(
            u ->
                serve(
                        vertx,
                        limiter(
                            vertx,
                            Map.of("RATE_LIMITS", "/api/y=1/60s", "TRUST_FORWARDED_FOR", "true")))
                    .compose(
                        port ->
                            inOrder(
                                List.of(
                                    () -> get(port, "/api/y", "X-Forwarded-For", "10.0.0.1"),
                                    // A client-made first entry cannot buy a fresh bucket.
                                    () ->
                                        get(
                                            port,
                                            "/api/y",
                                            "X-Forwarded-For",
                                            "192.168.9.9, 10.0.0.1"),
                                    () -> get(port, "/api/y", "X-Forwarded-For", "10.0.0.2"))))
                    .map(RateLimiterTest::statuses));
    Future.all(untrusted, trusted)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          // Both come from 127.0.0.1, whatever the header claims.
                          assertThat(untrusted.result()).containsExactly(200, 429);
                          assertThat(trusted.result()).containsExactly(200, 429, 200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void loopbackTrustKeysALocalPeerByItsForwardedFor(Vertx vertx, VertxTestContext ctx) {
    serve(
            vertx,
            limiter(vertx, Map.of("RATE_LIMITS", "/api=1/60s", "TRUST_FORWARDED_FOR", "loopback")))
        .compose(
            port ->
                inOrder(
                    List.of(
                        () -> get(port, "/api/z", "X-Forwarded-For", "10.0.0.1"),
                        () -> get(port, "/api/z", "X-Forwarded-For", "10.0.0.2"),
                        () -> get(port, "/api/z", "X-Forwarded-For", "192.168.9.9, 10.0.0.1"),
                        () -> get(port, "/api/z"),
                        () -> get(port, "/api/z"))))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          // From 127.0.0.1: each last entry its own bucket, and without the header
                          // the peer address its own.
                          assertThat(statuses(answers)).containsExactly(200, 200, 429, 200, 429);
                          ctx.completeNow();
                        })));
  }

  @Test
  void loopbackTrustBelievesOnlyLoopbackPeers() {
    for (String local :
        List.of("127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1")) {
      assertThat(ForwardedForTrust.LOOPBACK.trusts(SocketAddress.inetSocketAddress(1234, local)))
          .as(local)
          .isTrue();
    }
    assertThat(ForwardedForTrust.isLoopback("0:0:0:0:0:ffff:7f00:1")).isTrue();
    for (String remote :
        List.of("10.1.2.3", "128.0.0.1", "::2", "::ffff:10.1.2.3", "fe80::1", "::", "0.0.0.0")) {
      assertThat(ForwardedForTrust.LOOPBACK.trusts(SocketAddress.inetSocketAddress(1234, remote)))
          .as(remote)
          .isFalse();
    }
    assertThat(ForwardedForTrust.LOOPBACK.trusts(SocketAddress.domainSocketAddress("/tmp/gw")))
        .isFalse();
    assertThat(ForwardedForTrust.LOOPBACK.trusts(null)).isFalse();
    assertThat(ForwardedForTrust.isLoopback("localhost")).isFalse();
    SocketAddress remote = SocketAddress.inetSocketAddress(1234, "10.1.2.3");
    assertThat(ForwardedForTrust.ANY.trusts(remote)).isTrue();
    assertThat(ForwardedForTrust.NONE.trusts(SocketAddress.inetSocketAddress(1234, "127.0.0.1")))
        .isFalse();
  }

  @Test
  void aFailingOrSlowStoreLetsRequestsThroughAndCountsThem(Vertx vertx, VertxTestContext ctx) {
    BucketStore failing =
        (key, limit) -> Future.failedFuture(new IllegalStateException("cluster gone"));
    BucketStore silent = (key, limit) -> Promise.<TokenBucket.Decision>promise().future();
    var config =
        EdgeServer.config(Map.of("RATE_LIMITS", "/api=1/60s", "RATE_LIMIT_TIMEOUT_MS", "50"));
    long start = System.nanoTime();
    serve(vertx, new RateLimiter(config, failing, registry, c -> null))
        .compose(port -> inOrder(List.of(() -> get(port, "/api/a"), () -> get(port, "/api/a"))))
        .compose(
            first ->
                serve(vertx, new RateLimiter(config, silent, registry, c -> null))
                    .compose(port -> get(port, "/api/a"))
                    .map(second -> List.of(first.get(0), first.get(1), second)))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(statuses(answers)).containsExactly(200, 200, 200);
                          assertThat(answers.get(0).getHeader("RateLimit-Limit")).isNull();
                          assertThat(registry.counter("storefront_rate_limit_errors").count())
                              .isEqualTo(3.0);
                          // The silent store held its request for the timeout, not forever.
                          assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aDecisionFromAnotherThreadIsActedOnInTheRequestsOwnEventLoop(
      Vertx vertx, VertxTestContext ctx) {
    // As the cluster store does when a lease runs dry: the answer comes from a thread of its own.
    BucketStore late =
        (key, limit) -> {
          Promise<TokenBucket.Decision> decision = Promise.promise();
          new Thread(
                  () -> {
                    try {
                      Thread.sleep(30);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    decision.complete(new TokenBucket.Decision(true, 100, 42, 0));
                  })
              .start();
          return decision.future();
        };
    var config = EdgeServer.config(Map.of("RATE_LIMITS", "/api=100/60s"));
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route()
                  .handler(
                      c -> {
                        threads.add(Thread.currentThread().getName());
                        c.next();
                      });
              r.route().handler(new RateLimiter(config, late, registry, c -> null));
              r.route()
                  .handler(
                      c -> {
                        threads.add(Thread.currentThread().getName());
                        c.end("ok");
                      });
            });
    EdgeServer.start(vertx, router)
        .compose(server -> get(server.actualPort(), "/api/a"))
        .onComplete(
            ctx.succeeding(
                answer ->
                    ctx.verify(
                        () -> {
                          assertThat(answer.statusCode()).isEqualTo(200);
                          assertThat(answer.getHeader("RateLimit-Remaining")).isEqualTo("42");
                          assertThat(threads).hasSize(2);
                          assertThat(threads.get(0)).startsWith("vert.x-eventloop-thread-");
                          assertThat(threads.get(1)).isEqualTo(threads.get(0));
                          assertThat(registry.counter("storefront_rate_limit_errors").count())
                              .isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aFailingStoreIsLoggedAtMostOnceASecondWhileEveryRequestIsCounted(
      Vertx vertx, VertxTestContext ctx) {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RateLimiter.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    BucketStore failing =
        (key, limit) -> Future.failedFuture(new IllegalStateException("cluster gone"));
    var config = EdgeServer.config(Map.of("RATE_LIMITS", "/api=1/60s"));
    long start = System.nanoTime();
    serve(vertx, new RateLimiter(config, failing, registry, c -> null))
        .compose(
            port -> {
              List<Supplier<Future<HttpResponse<Buffer>>>> gets = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                gets.add(() -> get(port, "/api/a"));
              }
              return inOrder(gets);
            })
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          log.detachAppender(lines);
                          long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                          assertThat(statuses(answers)).containsOnly(200).hasSize(20);
                          assertThat(registry.counter("storefront_rate_limit_errors").count())
                              .isEqualTo(20.0);
                          assertThat(lines.list)
                              .hasSizeBetween(1, (int) Math.min(20, 1 + seconds))
                              .allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
                          ctx.completeNow();
                        })));
  }

  @Test
  void theBodyStillReachesTheHandlerAfterTheDecision(Vertx vertx, VertxTestContext ctx) {
    String body = "x".repeat(100_000);
    serve(vertx, limiter(vertx, Map.of("RATE_LIMITS", "/api=5/1s")))
        .compose(
            port -> client.post(port, "127.0.0.1", "/api/echo").sendBuffer(Buffer.buffer(body)))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertThat(response.statusCode()).isEqualTo(200);
                          assertThat(response.bodyAsString()).isEqualTo(body);
                          ctx.completeNow();
                        })));
  }

  @Test
  void localStoreForgetsIdleBuckets(Vertx vertx, VertxTestContext ctx) {
    LocalBucketStore store = LocalBucketStore.of(vertx);
    RateLimit limit = new RateLimit("/t", 1, java.time.Duration.ofMillis(10));
    store
        .take("idle|a", limit)
        .compose(first -> store.take("idle|a", limit).map(second -> List.of(first, second)))
        .onComplete(
            ctx.succeeding(
                decisions ->
                    ctx.verify(
                        () -> {
                          assertThat(decisions.get(0).allowed()).isTrue();
                          assertThat(decisions.get(1).allowed()).isFalse();
                          assertThat(LocalBucketStore.of(vertx)).isSameAs(store);
                          assertThat(store.size()).isPositive();
                          ctx.completeNow();
                        })));
  }
}
