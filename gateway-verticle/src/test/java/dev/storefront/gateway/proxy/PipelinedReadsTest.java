package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PipelinedReads} against a real HTTP server that holds every request until the test answers
 * it, so that what is under way on which connection is the test's to decide.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class PipelinedReadsTest {

  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SocketAddress server;
  private Context context;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    context = vertx.getOrCreateContext();
    vertx
        .createHttpServer()
        .requestHandler(held::add)
        .listen(0, "127.0.0.1")
        .onComplete(
            ctx.succeeding(
                s -> {
                  server = SocketAddress.inetSocketAddress(s.actualPort(), "127.0.0.1");
                  ctx.completeNow();
                }));
  }

  @Test
  void pipelinesReadsOnOneConnectionUpToTheDepthAndThenLeavesThemToThePool(
      Vertx vertx, VertxTestContext ctx) {
    PipelinedReads reads = reads(vertx, 1, 3, 10_000);
    List<Future<HttpClientResponse>> answers = new CopyOnWriteArrayList<>();
    firstConnection(vertx, reads)
        .compose(
            v ->
                onContext(
                    () -> {
                      for (int i = 1; i <= 3; i++) {
                        answers.add(send(request(reads, get("/" + i))));
                      }
                      // Three under way on the only connection: the depth is reached.
                      assertThat(request(reads, get("/4"))).isNull();
                      return until(vertx, () -> held.size() == 1);
                    }))
        .compose(v -> answerInTurn(vertx, 3))
        .compose(v -> Future.all(answers))
        .compose(
            v ->
                onContext(
                    () -> {
                      // Answered: the connection takes reads again.
                      assertThat(request(reads, get("/5"))).isNotNull();
                      return Future.succeededFuture();
                    }))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers)
                              .extracting(a -> a.result().getHeader("x-path"))
                              .containsExactly("/1", "/2", "/3");
                          // One connection carried the three (and the fourth read).
                          assertThat(
                                  held.stream().map(r -> r.connection().remoteAddress()).distinct())
                              .hasSize(1);
                          assertThat(openGauge()).isEqualTo(1);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aConnectionWhoseOldestReadHasWaitedPastTheStallLimitTakesNoMore(
      Vertx vertx, VertxTestContext ctx) {
    PipelinedReads reads = reads(vertx, 1, 8, 100);
    List<Future<HttpClientResponse>> answers = new CopyOnWriteArrayList<>();
    firstConnection(vertx, reads)
        .compose(
            v ->
                onContext(
                    () -> {
                      answers.add(send(request(reads, get("/slow"))));
                      // Still young: another read may queue behind it.
                      answers.add(send(request(reads, get("/young"))));
                      return until(vertx, () -> held.size() == 1);
                    }))
        .compose(v -> vertx.timer(200))
        .compose(
            v ->
                onContext(
                    () -> {
                      // The oldest has waited 200 ms: new reads go elsewhere.
                      assertThat(request(reads, get("/stalled"))).isNull();
                      return answerInTurn(vertx, 2);
                    }))
        .compose(v -> Future.all(answers))
        .compose(
            v ->
                onContext(
                    () -> {
                      assertThat(request(reads, get("/again"))).isNotNull();
                      return Future.succeededFuture();
                    }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReadJoinsTheBusiestConnectionWithRoomAndASpareOpensOnceItIsBusy(
      Vertx vertx, VertxTestContext ctx) {
    PipelinedReads reads = reads(vertx, 2, 2, 10_000);
    List<Future<HttpClientResponse>> answers = new CopyOnWriteArrayList<>();
    firstConnection(vertx, reads)
        .compose(
            v ->
                onContext(
                    () -> {
                      answers.add(send(request(reads, get("/a"))));
                      assertThat(reads.openConnections()).isEqualTo(1);
                      // The connection is busy and has room: this read joins it, and a spare
                      // connection opens.
                      answers.add(send(request(reads, get("/b"))));
                      return until(vertx, () -> reads.openConnections() == 2);
                    }))
        .compose(
            v ->
                onContext(
                    () -> {
                      // The first connection is full: the spare takes the next read.
                      answers.add(send(request(reads, get("/c"))));
                      return until(vertx, () -> held.size() == 2);
                    }))
        .compose(v -> heldAt("/a").response().end("ok"))
        .compose(v -> until(vertx, () -> held.size() == 3))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          SocketAddress first = heldAt("/a").connection().remoteAddress();
                          assertThat(heldAt("/b").connection().remoteAddress()).isEqualTo(first);
                          assertThat(heldAt("/c").connection().remoteAddress()).isNotEqualTo(first);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aConnectionTheServerClosesIsForgottenAndItsReadsFail(Vertx vertx, VertxTestContext ctx) {
    PipelinedReads reads = reads(vertx, 1, 4, 10_000);
    List<Future<HttpClientResponse>> answers = new CopyOnWriteArrayList<>();
    firstConnection(vertx, reads)
        .compose(
            v ->
                onContext(
                    () -> {
                      answers.add(send(request(reads, get("/1"))));
                      answers.add(send(request(reads, get("/2"))));
                      return until(vertx, () -> held.size() == 1);
                    }))
        .compose(v -> held.get(0).connection().close())
        .compose(v -> until(vertx, () -> reads.openConnections() == 0 && openGauge() == 0))
        .compose(v -> Future.join(answers).otherwiseEmpty())
        .compose(
            v ->
                onContext(
                    () -> {
                      // Nothing pipelined is left: the pool takes this, a new connection opens.
                      assertThat(request(reads, get("/3"))).isNull();
                      return until(vertx, () -> reads.openConnections() == 1);
                    }))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(answers).allMatch(Future::failed);
                          ctx.completeNow();
                        })));
  }

  @Test
  void readsAreCountedByTheWayTheyWent(Vertx vertx, VertxTestContext ctx) {
    PipelinedReads reads = reads(vertx, 1, 1, 10_000);
    reads.answered("by id", TimeUnit.MILLISECONDS.toNanos(1));
    reads.answered("search", TimeUnit.MILLISECONDS.toNanos(30));
    List<Future<HttpClientResponse>> answers = new CopyOnWriteArrayList<>();
    onContext(
            () -> {
              // No connection yet: to the pool, and one opens.
              assertThat(reads.choose(server, "by id")).isNull();
              return until(vertx, () -> reads.openConnections() == 1);
            })
        .compose(
            v ->
                onContext(
                    () -> {
                      PipelinedReads.Connection connection = reads.choose(server, "by id");
                      answers.add(send(connection.send(get("/1"))));
                      // Slow on average: to the pool, whatever connection is free.
                      assertThat(reads.choose(server, "search")).isNull();
                      // The only connection is full.
                      assertThat(reads.choose(server, "by id")).isNull();
                      return answerInTurn(vertx, 1);
                    }))
        .compose(v -> Future.all(answers))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(reads("pipelined")).isEqualTo(1);
                          assertThat(reads("pool")).isEqualTo(3);
                          ctx.completeNow();
                        })));
  }

  @Test
  void onlyReadsOfOperationsThatUsuallyAnswerFastArePipelined(Vertx vertx) {
    PipelinedReads reads = reads(vertx, 1, 4, 10_000);
    // Nothing known yet: not pipelined.
    assertThat(reads.usuallyFast("by id")).isFalse();
    reads.answered("by id", TimeUnit.MILLISECONDS.toNanos(1));
    reads.answered("search", TimeUnit.MILLISECONDS.toNanos(30));
    assertThat(reads.usuallyFast("by id")).isTrue();
    assertThat(reads.usuallyFast("search")).isFalse();
    // An operation that turns slow stops being pipelined within a few reads, and starts again
    // once it is fast again.
    int slowReads = 0;
    while (reads.usuallyFast("by id")) {
      reads.answered("by id", TimeUnit.MILLISECONDS.toNanos(50));
      slowReads++;
    }
    assertThat(slowReads).isBetween(1, 5);
    int fastReads = 0;
    while (!reads.usuallyFast("by id")) {
      reads.answered("by id", TimeUnit.MILLISECONDS.toNanos(1));
      fastReads++;
    }
    assertThat(fastReads).isBetween(2, 40);
  }

  // --- fixture ----------------------------------------------------------------------------------

  private PipelinedReads reads(Vertx vertx, int connections, int depth, long stallMillis) {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions().setPipelining(true).setPipeliningLimit(depth));
    return new PipelinedReads(
        client, connections, depth, stallMillis, 5, 1_000, new PipelineMeters(registry));
  }

  /**
   * The first read finds no pipelined connection (the pool takes it) and opens one: completes once
   * it is open.
   */
  private Future<Void> firstConnection(Vertx vertx, PipelinedReads reads) {
    return onContext(
        () -> {
          assertThat(request(reads, get("/0"))).isNull();
          return until(vertx, () -> reads.openConnections() == 1);
        });
  }

  /** What the proxy does: a pipelined connection if one can take the read, then the read on it. */
  private Future<HttpClientRequest> request(PipelinedReads reads, RequestOptions options) {
    PipelinedReads.Connection connection = reads.choose(server);
    return connection == null ? null : connection.send(options);
  }

  private double reads(String via) {
    return registry.get(PipelineMeters.READS).tag("via", via).counter().count();
  }

  private double openGauge() {
    return registry.get(PipelineMeters.CONNECTIONS).gauge().value();
  }

  private static RequestOptions get(String uri) {
    return new RequestOptions().setMethod(HttpMethod.GET).setURI(uri);
  }

  private static Future<HttpClientResponse> send(Future<HttpClientRequest> request) {
    assertThat(request).isNotNull();
    return request.compose(r -> r.send().compose(response -> response.end().map(response)));
  }

  /** Answers the held requests in the order they came, each once it has arrived. */
  private Future<Void> answerInTurn(Vertx vertx, int count) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      int index = i;
      chain =
          chain
              .compose(v -> until(vertx, () -> held.size() > index))
              .compose(
                  v -> {
                    HttpServerRequest request = held.get(index);
                    return request.response().putHeader("x-path", request.uri()).end("ok");
                  });
    }
    return chain;
  }

  private HttpServerRequest heldAt(String uri) {
    return held.stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
  }

  /** Runs {@code step} on the context PipelinedReads lives on, as the gateway's event loop. */
  private <T> Future<T> onContext(Supplier<Future<T>> step) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            step.get().onComplete(promise);
          } catch (Throwable e) {
            promise.fail(e);
          }
        });
    return promise.future();
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + 5_000;
    vertx.setPeriodic(
        0,
        10,
        id -> {
          if (condition.getAsBoolean()) {
            vertx.cancelTimer(id);
            promise.tryComplete();
          } else if (System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(id);
            promise.tryFail("condition not met in 5 s");
          }
        });
    return promise.future();
  }
}
