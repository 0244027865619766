package dev.storefront.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

/**
 * One instance of the catalog service as the gateway sees it: a real HTTP server on a free port
 * that records every request it receives, names itself in {@value #INSTANCE_HEADER} and answers as
 * its {@link Behaviour} says.
 */
final class CatalogStandIn {

  static final String INSTANCE_HEADER = "X-Instance";

  /** Streams the request body through a byte count and a CRC; answers {"bytes":n,"crc":c}. */
  static final String UPLOAD_PATH = "/api/products/upload";

  /** Streams {@code ?bytes=n} bytes of {@link #pattern} back. */
  static final String DOWNLOAD_PATH = "/api/products/download";

  /** Answers 201 with end-to-end and connection-scoped response headers. */
  static final String HEADERS_PATH = "/api/products/headers";

  /** The reason phrase of the answer on {@link #HEADERS_PATH}, not the standard one of 201. */
  static final String OWN_REASON = "Made Here";

  /** Starts a chunked answer, writes one chunk, then drops the connection. */
  static final String BREAK_OFF_PATH = "/api/products/break-off";

  /** Starts a chunked answer, writes one chunk, then waits; notes when its connection closes. */
  static final String TRICKLE_PATH = "/api/products/trickle";

  /** Starts a chunked answer, writes one chunk, and ends it {@link #SLOW_END_MS} later. */
  static final String SLOW_PATH = "/api/products/slow";

  static final long SLOW_END_MS = 500;

  private static final int CHUNK = 64 * 1024;

  /** Completed with {@link System#nanoTime()} when a {@link #TRICKLE_PATH} exchange closed. */
  final Promise<Long> trickleClosed = Promise.promise();

  enum Behaviour {
    /** 200 (201 on {@link #HEADERS_PATH}) echoing the request body. */
    ANSWER,
    /** 500 with a JSON body of its own. */
    FAIL,
    /** Reads the request, never answers. */
    HANG,
    /** Reads the request, then closes the connection. */
    CLOSE
  }

  record Received(HttpMethod method, String uri, MultiMap headers, Buffer body) {}

  private final String id;
  private final Behaviour behaviour;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private int port;

  private CatalogStandIn(String id, Behaviour behaviour) {
    this.id = id;
    this.behaviour = behaviour;
  }

  static Future<CatalogStandIn> start(Vertx vertx, String id, Behaviour behaviour) {
    CatalogStandIn standIn = new CatalogStandIn(id, behaviour);
    return vertx
        .createHttpServer()
        .requestHandler(standIn::handle)
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              standIn.port = server.actualPort();
              return standIn;
            });
  }

  /** A port nothing listens on: bound, noted, released. */
  static Future<Integer> deadPort(Vertx vertx) {
    return vertx
        .createHttpServer()
        .requestHandler(req -> req.response().end())
        .listen(0, "127.0.0.1")
        .compose(server -> server.close().map(v -> server.actualPort()));
  }

  String id() {
    return id;
  }

  int port() {
    return port;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The body of a streamed transfer: chunk k holds bytes k, k+1, k+2, ... (mod 256). */
  static Buffer pattern(long chunkIndex, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (chunkIndex + i);
    }
    return Buffer.buffer(bytes);
  }

  /** The CRC32 of {@code total} bytes of {@link #pattern}. */
  static long patternCrc(long total) {
    CRC32 crc = new CRC32();
    for (long position = 0, k = 0; position < total; position += CHUNK, k++) {
      crc.update(pattern(k, (int) Math.min(CHUNK, total - position)).getBytes());
    }
    return crc.getValue();
  }

  /** Writes {@code total} bytes of {@link #pattern} to {@code out}, honouring back-pressure. */
  static Future<Void> writePattern(WriteStream<Buffer> out, long total) {
    Promise<Void> done = Promise.promise();
    writeFrom(out, 0, total, done);
    return done.future();
  }

  private static void writeFrom(
      WriteStream<Buffer> out, long from, long total, Promise<Void> done) {
    long position = from;
    while (position < total && !out.writeQueueFull()) {
      int size = (int) Math.min(CHUNK, total - position);
      out.write(pattern(position / CHUNK, size));
      position += size;
    }
    if (position < total) {
      long next = position;
      out.drainHandler(v -> writeFrom(out, next, total, done));
    } else {
      out.end().onComplete(done);
    }
  }

  private void handle(HttpServerRequest request) {
    request.response().putHeader(INSTANCE_HEADER, id);
    // As the catalog service names itself; the gateway relays it only when configured to.
    request.response().putHeader(ProxyHandler.SERVED_BY, "catalog/" + id);
    if (behaviour == Behaviour.ANSWER && request.path().equals(UPLOAD_PATH)) {
      countUpload(request);
      return;
    }
    if (behaviour == Behaviour.ANSWER
        && (request.path().equals(BREAK_OFF_PATH) || request.path().equals(TRICKLE_PATH))) {
      record(request, Buffer.buffer());
      var response = request.response();
      response.closeHandler(v -> trickleClosed.tryComplete(System.nanoTime()));
      response.setChunked(true).putHeader("Content-Type", "application/octet-stream");
      response
          .write(pattern(0, 1024))
          .onSuccess(
              v -> {
                if (request.path().equals(BREAK_OFF_PATH)) {
                  request.connection().close();
                }
              });
      return;
    }
    if (behaviour == Behaviour.ANSWER && request.path().equals(SLOW_PATH)) {
      record(request, Buffer.buffer());
      var response = request.response();
      response.setChunked(true).putHeader("Content-Type", "application/octet-stream");
      response.write(pattern(0, 1024));
      Vertx.currentContext().owner().setTimer(SLOW_END_MS, t -> response.end(pattern(1, 1024)));
      return;
    }
    if (behaviour == Behaviour.ANSWER && request.path().equals(DOWNLOAD_PATH)) {
      record(request, Buffer.buffer());
      request.response().setChunked(true).putHeader("Content-Type", "application/octet-stream");
      writePattern(request.response(), Long.parseLong(request.getParam("bytes")));
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              record(request, body);
              switch (behaviour) {
                case ANSWER -> answer(request, body);
                case FAIL ->
                    request
                        .response()
                        .setStatusCode(500)
                        .putHeader("Content-Type", "application/json")
                        .end(failureBody(id).encode());
                case HANG -> {}
                case CLOSE -> request.connection().close();
              }
            });
  }

  static JsonObject failureBody(String id) {
    return new JsonObject().put("error", "catalog broke").put("instance", id);
  }

  private void answer(HttpServerRequest request, Buffer body) {
    var response = request.response();
    if (request.path().equals(HEADERS_PATH)) {
      response
          .setStatusCode(201)
          .setStatusMessage(OWN_REASON)
          .putHeader("X-Upstream-Header", "hello")
          .putHeader("Connection", "X-Upstream-Secret")
          .putHeader("X-Upstream-Secret", "must not leave the gateway")
          .putHeader("Keep-Alive", "timeout=5");
    }
    response.putHeader("Content-Type", "text/plain").end(body);
  }

  private void countUpload(HttpServerRequest request) {
    CRC32 crc = new CRC32();
    long[] bytes = {0};
    record(request, Buffer.buffer());
    request.handler(
        chunk -> {
          bytes[0] += chunk.length();
          crc.update(chunk.getBytes());
        });
    request.endHandler(
        v ->
            request
                .response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("bytes", bytes[0]).put("crc", crc.getValue()).encode()));
  }

  private void record(HttpServerRequest request, Buffer body) {
    received.add(
        new Received(
            request.method(),
            request.uri(),
            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
            body));
  }
}
