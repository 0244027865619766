package dev.storefront.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client over one HTTP/1.1 request: events are parsed as the lines arrive and
 * queued with the moment they were read, so tests can measure how fast an event came and see that
 * nothing was held back. The stream's end (the server closed it) is an event of its own.
 */
final class SseClient implements AutoCloseable {

  /** One event as the specification frames it; {@code data} lines joined with newlines. */
  record Event(String id, String type, String data, long receivedAtMillis) {
    boolean isEnd() {
      return type.equals(END);
    }
  }

  private static final String END = "(end of stream)";

  /**
   * Streams get a client of their own: a connection whose stream was broken off is never offered to
   * the plain requests of the shared client.
   */
  private static final java.net.http.HttpClient STREAMS =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean closed;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code path} on the gateway; gives the client once the response headers are in. */
  static SseClient open(int port, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .header("Accept", "text/event-stream")
            .GET();
    headers.forEach(request::header);
    HttpResponse<InputStream> response =
        STREAMS
            .sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(20, TimeUnit.SECONDS);
    return new SseClient(response);
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event, or null when none arrives within {@code timeout}. */
  Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for the next event of type {@code type}, skipping others; fails after {@code timeout}.
   */
  Event nextOfType(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no '" + type + "' event within " + timeout);
      }
      if (event.type().equals(type) || event.isEnd()) {
        return event;
      }
    }
  }

  /** Every event that arrives within {@code quiet} of the previous one. */
  List<Event> drain(Duration quiet) throws InterruptedException {
    List<Event> all = new ArrayList<>();
    Event event;
    while ((event = next(quiet)) != null) {
      all.add(event);
    }
    return all;
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String type = "message";
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, type, data.toString(), System.currentTimeMillis()));
          }
          type = "message";
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue; // a comment: the server's keep-alive
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> type = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {
            // retry: and unknown fields carry nothing a test needs
          }
        }
      }
    } catch (IOException e) {
      // closed by close(), or the connection broke: either way, the end of the stream
    } finally {
      if (!closed) {
        events.add(new Event(null, END, "", System.currentTimeMillis()));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
  }
}
