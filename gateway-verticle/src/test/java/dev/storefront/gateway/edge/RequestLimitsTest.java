package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.InvalidRequests;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RequestLimitsTest {

  private HttpClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = vertx.createHttpClient();
  }

  /** An answer read whole: status, content type, body. */
  private record Answer(int status, String contentType, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  /**
   * Reads the whole answer; always composed onto the request's own future, since a response handed
   * on to a later stage of a chain begun off the event loop can end before its body is asked for.
   */
  private static Future<Answer> read(HttpClientResponse response) {
    return response
        .body()
        .map(b -> new Answer(response.statusCode(), response.getHeader("Content-Type"), b));
  }

  private Future<Answer> send(int port, HttpMethod method, String uri, Buffer body) {
    return client
        .request(
            new RequestOptions().setPort(port).setHost("127.0.0.1").setMethod(method).setURI(uri))
        .compose(
            request ->
                request
                    .send(body == null ? Buffer.buffer() : body)
                    .compose(RequestLimitsTest::read));
  }

  /** Sends {@code chunks} chunks of {@code size} bytes without a Content-Length. */
  private Future<Answer> sendChunked(int port, String uri, int chunks, int size) {
    return client
        .request(
            new RequestOptions()
                .setPort(port)
                .setHost("127.0.0.1")
                .setMethod(HttpMethod.POST)
                .setURI(uri))
        .compose(
            request -> {
              request.setChunked(true);
              for (int i = 0; i < chunks; i++) {
                // The server may answer and stop reading before the whole body is sent.
                request.write(Buffer.buffer("y".repeat(size)));
              }
              request.end();
              return request.response().compose(RequestLimitsTest::read);
            });
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeAnyHandlerReadsIt(Vertx vertx, VertxTestContext ctx) {
    RequestLimits limits = new RequestLimits(EdgeServer.config(Map.of("MAX_BODY_BYTES", "1024")));
    AtomicBoolean reached = new AtomicBoolean();
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(limits.bodySize());
              r.route()
                  .handler(
                      c -> {
                        reached.set(true);
                        c.end("ok");
                      });
            });
    EdgeServer.start(vertx, router)
        .compose(
            server ->
                send(
                        server.actualPort(),
                        HttpMethod.POST,
                        "/api/orders",
                        Buffer.buffer("z".repeat(2048)))
                    .compose(
                        big ->
                            send(
                                    server.actualPort(),
                                    HttpMethod.POST,
                                    "/api/orders",
                                    Buffer.buffer("z".repeat(1024)))
                                .map(small -> new Answer[] {big, small})))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(answers[0].status()).isEqualTo(413);
                          assertThat(answers[0].contentType())
                              .isEqualTo("application/problem+json");
                          assertThat(answers[0].json().getString("detail")).contains("1024");
                          assertThat(answers[1].status()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aStreamedBodyIsCutOffWith413OnceItPassesTheLimit(Vertx vertx, VertxTestContext ctx) {
    RequestLimits limits = new RequestLimits(EdgeServer.config(Map.of("MAX_BODY_BYTES", "1024")));
    AtomicLong forwarded = new AtomicLong();
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(limits.bodySize());
              // What the proxy does: pipe the body on, through the limit.
              r.post("/upload")
                  .handler(
                      c -> {
                        LimitedBody body = LimitedBody.of(c.request(), 1024);
                        CountingSink sink = new CountingSink();
                        body.pipeTo(sink)
                            .onSuccess(v -> c.end(Long.toString(sink.count)))
                            .onFailure(
                                e -> {
                                  forwarded.set(sink.count);
                                  c.fail(body.exceeded() ? body.problem() : e);
                                });
                      });
            });
    EdgeServer.start(vertx, router)
        .compose(
            server ->
                sendChunked(server.actualPort(), "/upload", 8, 512)
                    .compose(
                        big ->
                            sendChunked(server.actualPort(), "/upload", 2, 512)
                                .map(small -> new Answer[] {big, small})))
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          assertThat(answers[0].status()).isEqualTo(413);
                          assertThat(answers[0].contentType())
                              .isEqualTo("application/problem+json");
                          assertThat(forwarded.get()).isLessThanOrEqualTo(1024);
                          assertThat(answers[1].status()).isEqualTo(200);
                          assertThat(answers[1].body().toString()).isEqualTo("1024");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aSlowRequestIs504ButTheEventStreamIsExempt(Vertx vertx, VertxTestContext ctx) {
    RequestLimits limits =
        new RequestLimits(EdgeServer.config(Map.of("REQUEST_TIMEOUT_MS", "200")));
    Router router =
        EdgeServer.router(
            vertx,
            r -> {
              r.route().handler(limits.timeout());
              r.get("/api/slow").handler(c -> {});
              r.get("/api/notifications/stream")
                  .handler(c -> vertx.setTimer(600, t -> c.end("events")));
              r.get("/api/quick").handler(c -> c.end("quick"));
            });
    long start = System.nanoTime();
    EdgeServer.start(vertx, router)
        .compose(
            server -> {
              int port = server.actualPort();
              return Future.all(
                  send(port, HttpMethod.GET, "/api/slow", null),
                  send(port, HttpMethod.GET, "/api/notifications/stream", null),
                  send(port, HttpMethod.GET, "/api/quick", null));
            })
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          Answer slow = all.resultAt(0);
                          Answer stream = all.resultAt(1);
                          Answer quick = all.resultAt(2);
                          assertThat(slow.status()).isEqualTo(504);
                          assertThat(slow.contentType()).isEqualTo("application/problem+json");
                          assertThat(stream.status()).isEqualTo(200);
                          assertThat(stream.body().toString()).isEqualTo("events");
                          assertThat(quick.status()).isEqualTo(200);
                          assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(500);
                          ctx.completeNow();
                        })));
  }

  @Test
  void oversizedHeadsAreRefusedAsProblems(Vertx vertx, VertxTestContext ctx) {
    RequestLimits limits =
        new RequestLimits(
            EdgeServer.config(
                Map.of(
                    "MAX_HEADER_BYTES", "1024",
                    "MAX_INITIAL_LINE_LENGTH", "256",
                    "IDLE_TIMEOUT_S", "5")));
    HttpServerOptions options = limits.applyTo(new HttpServerOptions());
    assertThat(options.getIdleTimeout()).isEqualTo(5);
    Router router = EdgeServer.router(vertx, r -> r.route().handler(c -> c.end("ok")));
    vertx
        .createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .requestHandler(router)
        .invalidRequestHandler(InvalidRequests::handle)
        .listen()
        .compose(
            server -> {
              int port = server.actualPort();
              Future<Answer> bigHeader =
                  client
                      .request(
                          new RequestOptions()
                              .setPort(port)
                              .setHost("127.0.0.1")
                              .setURI("/api/products")
                              .putHeader("X-Big", "h".repeat(2048)))
                      .compose(req -> req.send().compose(RequestLimitsTest::read));
              Future<Answer> longLine =
                  bigHeader.compose(
                      b ->
                          vertx
                              .createHttpClient()
                              .request(
                                  new RequestOptions()
                                      .setPort(port)
                                      .setHost("127.0.0.1")
                                      .setURI("/api/products?q=" + "l".repeat(512)))
                              .compose(req -> req.send().compose(RequestLimitsTest::read)));
              Future<Answer> fine =
                  longLine.compose(
                      l ->
                          vertx
                              .createHttpClient()
                              .request(
                                  new RequestOptions()
                                      .setPort(port)
                                      .setHost("127.0.0.1")
                                      .setURI("/api/products"))
                              .compose(req -> req.send().compose(RequestLimitsTest::read)));
              return Future.all(bigHeader, longLine, fine);
            })
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          Answer bigHeader = all.resultAt(0);
                          Answer longLine = all.resultAt(1);
                          assertThat(bigHeader.status()).isEqualTo(431);
                          assertThat(bigHeader.contentType()).isEqualTo("application/problem+json");
                          assertThat(bigHeader.json().getInteger("status")).isEqualTo(431);
                          assertThat(longLine.status()).isEqualTo(414);
                          assertThat(longLine.contentType()).isEqualTo("application/problem+json");
                          assertThat(((Answer) all.resultAt(2)).status()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  /** A write stream that only counts, standing in for the upstream request. */
  private static final class CountingSink implements WriteStream<Buffer> {
    long count;

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      count += data.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
