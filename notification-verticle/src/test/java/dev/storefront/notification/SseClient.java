package dev.storefront.notification;

import dev.storefront.common.security.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's server-sent events client on its own connection, with a parser of its own (not the
 * service's framing code, so that a framing bug cannot hide behind the same bug here). Events land
 * in a queue the test thread takes from.
 */
public final class SseClient implements AutoCloseable {

  /**
   * One event as a browser's EventSource would dispatch it, with how many comments had come before
   * it on the stream.
   */
  public record Event(long id, String name, String data, long receivedNanos, int commentsBefore) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient http;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final Promise<Void> ended = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  private final List<String> invalidLines = new ArrayList<>();
  private volatile HttpClientResponse response;
  private volatile long retry = -1;
  private volatile String body;

  private SseClient(HttpClient http) {
    this.http = http;
  }

  /**
   * Opens {@code GET /api/notifications/stream<query>} as {@code account} with {@code headers};
   * completes once the response's head has arrived (for a 200: the stream is established).
   */
  public static SseClient open(
      Vertx vertx,
      FeedCalls calls,
      int port,
      String account,
      String query,
      Map<String, String> headers,
      HttpClientOptions options) {
    SseClient client = new SseClient(vertx.createHttpClient(options));
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/api/notifications/stream" + (query == null ? "" : query));
    if (account != null) {
      request.putHeader(InternalTokens.HEADER, calls.token(account));
    }
    headers.forEach(request::putHeader);
    Future<SseClient> opened =
        client
            .http
            .request(request)
            // Handlers set on the send's own future, before any of the stream can be missed.
            .compose(
                req ->
                    req.send()
                        .map(
                            r -> {
                              client.response = r;
                              if (r.statusCode() == 200) {
                                r.handler(client::received);
                                r.endHandler(v -> client.ended.tryComplete());
                                r.exceptionHandler(client.ended::tryFail);
                              } else {
                                r.body()
                                    .onSuccess(b -> client.body = b.toString())
                                    .onComplete(ar -> client.ended.tryComplete());
                              }
                              return client;
                            }));
    return FeedCalls.await(opened);
  }

  public static SseClient open(Vertx vertx, FeedCalls calls, int port, String account) {
    return open(vertx, calls, port, account, null, Map.of(), new HttpClientOptions());
  }

  public static SseClient resume(
      Vertx vertx, FeedCalls calls, int port, String account, long lastEventId) {
    return open(
        vertx,
        calls,
        port,
        account,
        null,
        Map.of("Last-Event-ID", Long.toString(lastEventId)),
        new HttpClientOptions());
  }

  public int status() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  /** The body of a response that was not a stream (a problem). */
  public JsonObject problem() {
    FeedCalls.await(ended.future());
    return new JsonObject(body);
  }

  /** The next event, or an AssertionError after {@code timeoutMillis}. */
  public Event next(long timeoutMillis) {
    try {
      Event event = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + timeoutMillis + " ms");
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next {@code count} events, each within {@code timeoutMillis} of the one before. */
  public List<Event> next(int count, long timeoutMillis) {
    List<Event> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(next(timeoutMillis));
    }
    return list;
  }

  /** The next event if one comes within {@code timeoutMillis}, else null. */
  public Event poll(long timeoutMillis) throws InterruptedException {
    return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public int comments() {
    return comments.get();
  }

  public long retry() {
    return retry;
  }

  /** Lines that are no field of the format. */
  public synchronized List<String> invalidLines() {
    return List.copyOf(invalidLines);
  }

  /** Completes when the server ends the response. */
  public Future<Void> ended() {
    return ended.future();
  }

  public void pause() {
    response.pause();
  }

  public void resume() {
    response.resume();
  }

  private synchronized void received(Buffer chunk) {
    pending.append(chunk.toString(StandardCharsets.UTF_8));
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      dispatch(pending.substring(0, end));
      pending.delete(0, end + 2);
    }
  }

  private void dispatch(String block) {
    Long id = null;
    String name = null;
    StringBuilder data = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith(":")) {
        comments.incrementAndGet();
      } else if (line.startsWith("retry: ")) {
        retry = Long.parseLong(line.substring("retry: ".length()));
      } else if (line.startsWith("id: ")) {
        id = Long.parseLong(line.substring("id: ".length()));
      } else if (line.startsWith("event: ")) {
        name = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line, "data: ".length(), line.length());
      } else {
        invalidLines.add(line);
      }
    }
    if (data != null) {
      events.add(
          new Event(
              id == null ? -1 : id, name, data.toString(), System.nanoTime(), comments.get()));
    }
  }

  /** Goes away as a browser tab does: the connection closes. */
  @Override
  public void close() {
    FeedCalls.await(http.close());
  }
}
