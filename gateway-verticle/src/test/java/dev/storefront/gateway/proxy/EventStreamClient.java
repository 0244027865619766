package dev.storefront.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server-sent event stream as a browser's {@code EventSource} does, block by block (a block
 * ends with a blank line), noting when each block arrived.
 */
final class EventStreamClient {

  /** One block of the stream: an event, a comment or a {@code retry:} line. */
  record Block(String text, long receivedAt) {
    boolean isHeartbeat() {
      return text.startsWith(":");
    }

    boolean isEvent() {
      return text.startsWith("id:") || text.contains("\ndata:");
    }
  }

  /** An open stream. */
  static final class Open {
    final HttpClientResponse response;
    private final HttpClientRequest request;
    private final BlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    private final StringBuilder pending = new StringBuilder();

    /** {@link System#nanoTime()} when the response ended, cleanly or not. */
    final CompletableFuture<Long> endedAt = new CompletableFuture<>();

    private Open(HttpClientRequest request, HttpClientResponse response) {
      this.request = request;
      this.response = response;
      response.handler(
          chunk -> {
            long at = System.nanoTime();
            pending.append(chunk.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
              blocks.add(new Block(pending.substring(0, end), at));
              pending.delete(0, end + 2);
            }
          });
      response.endHandler(v -> endedAt.complete(System.nanoTime()));
      response.exceptionHandler(e -> endedAt.complete(System.nanoTime()));
    }

    /** The next block, waiting up to {@code seconds} for it. */
    Block next(long seconds) throws InterruptedException {
      Block block = blocks.poll(seconds, TimeUnit.SECONDS);
      if (block == null) {
        throw new AssertionError("no block arrived within " + seconds + " s");
      }
      return block;
    }

    /** The next event, passing comments and {@code retry:} lines; up to {@code seconds}. */
    Block nextEvent(long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        long left = deadline - System.nanoTime();
        Block block = blocks.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (block == null) {
          throw new AssertionError("no event arrived within " + seconds + " s");
        }
        if (block.isEvent()) {
          return block;
        }
      }
    }

    /** Every block received and not yet taken. */
    java.util.List<Block> drain() {
      java.util.List<Block> all = new java.util.ArrayList<>();
      blocks.drainTo(all);
      return all;
    }

    /** Leaves as a closed browser tab does: the connection goes. */
    Future<Void> leave() {
      return request.connection().close();
    }
  }

  private final HttpClient client;

  EventStreamClient(Vertx vertx) {
    this.client = vertx.createHttpClient();
  }

  Future<Open> open(int port, String token, MultiMap extraHeaders) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/api/notifications/stream")
            .putHeader("Accept", "text/event-stream")
            .putHeader("Authorization", "Bearer " + token);
    extraHeaders.forEach(h -> options.putHeader(h.getKey(), h.getValue()));
    return client
        .request(options)
        .compose(
            request ->
                request
                    .send()
                    .map(
                        response -> {
                          response.pause();
                          Open open = new Open(request, response);
                          response.resume();
                          return open;
                        }));
  }

  Future<Void> close() {
    return client.close();
  }
}
