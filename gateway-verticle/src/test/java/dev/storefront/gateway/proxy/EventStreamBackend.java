package dev.storefront.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in notification service on a real HTTP server: {@code GET /api/notifications/stream}
 * answers a server-sent event stream that the test writes to, with a heartbeat comment every {@code
 * heartbeatMillis} (none when 0); {@code GET /api/notifications} answers an empty page.
 */
final class EventStreamBackend {

  /** One stream as the service sees it. */
  static final class Stream {
    final MultiMap requestHeaders;
    private final Context context;
    private final HttpServerResponse response;
    private final HttpServerRequest request;

    /** {@link System#nanoTime()} when the service saw its request closed. */
    final CompletableFuture<Long> closedAt = new CompletableFuture<>();

    private Stream(Context context, HttpServerRequest request) {
      this.context = context;
      this.request = request;
      this.response = request.response();
      this.requestHeaders = request.headers();
    }

    /** Writes one notification event; completes with {@link System#nanoTime()} of the write. */
    CompletableFuture<Long> send(long id, JsonObject data) {
      return onContext(
          () ->
              response.write(
                  "id: " + id + "\nevent: notification\ndata: " + data.encode() + "\n\n"));
    }

    /** Ends the stream as a service does when it stops. */
    CompletableFuture<Long> end() {
      return onContext(response::end);
    }

    /** Drops the connection, as a crashed service does. */
    CompletableFuture<Long> kill() {
      return onContext(() -> request.connection().close());
    }

    private CompletableFuture<Long> onContext(java.util.function.Supplier<Future<?>> action) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            long at = System.nanoTime();
            action.get().onComplete(ar -> done.complete(at));
          });
      return done;
    }
  }

  private final long heartbeatMillis;
  private final BlockingQueue<Stream> opened = new LinkedBlockingQueue<>();
  private HttpServer server;

  private EventStreamBackend(long heartbeatMillis) {
    this.heartbeatMillis = heartbeatMillis;
  }

  static Future<EventStreamBackend> start(Vertx vertx, long heartbeatMillis) {
    EventStreamBackend backend = new EventStreamBackend(heartbeatMillis);
    return vertx
        .createHttpServer()
        .requestHandler(backend::handle)
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              backend.server = server;
              return backend;
            });
  }

  int port() {
    return server.actualPort();
  }

  /** The next stream opened, waiting up to five seconds for it. */
  Stream nextStream() throws InterruptedException {
    Stream stream = opened.poll(5, TimeUnit.SECONDS);
    if (stream == null) {
      throw new AssertionError("no stream reached the service");
    }
    return stream;
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/api/notifications")) {
      request
          .response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("items", new io.vertx.core.json.JsonArray())
                  .put("page", 0)
                  .put("size", 20)
                  .put("total", 0)
                  .put("unread", 0)
                  .encode());
      return;
    }
    if (!path.equals("/api/notifications/stream")) {
      request.response().setStatusCode(404).end();
      return;
    }
    Context context = Vertx.currentContext();
    Stream stream = new Stream(context, request);
    HttpServerResponse response = request.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    long heartbeat =
        heartbeatMillis <= 0
            ? -1
            : context.owner().setPeriodic(heartbeatMillis, t -> response.write(": keep-alive\n\n"));
    response.closeHandler(
        v -> {
          stream.closedAt.complete(System.nanoTime());
          context.owner().cancelTimer(heartbeat);
        });
    response.endHandler(v -> context.owner().cancelTimer(heartbeat));
    response.write("retry: 2000\n\n").onComplete(ar -> opened.add(stream));
  }
}
