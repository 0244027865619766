package dev.storefront.load.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One listener's notification stream, held open as a browser's EventSource would: it counts the
 * notifications and keep-alives that arrive and, when the stream ends before the listener leaves,
 * connects again after the server's retry delay with Last-Event-ID, so nothing is missed.
 *
 * <p>Gatling's SSE support only waits for expected messages; a listener expects nothing in
 * particular, so the stream is read here, off Gatling's threads, and counted in {@link
 * JourneyCounts}.
 */
final class EventStream {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final ScheduledExecutorService timer;
  private final JourneyCounts counts;
  private final URI uri;
  private final String token;
  private final String visitorAddress;
  private final CompletableFuture<Integer> firstStatus = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile String lastEventId;
  private volatile long retryMillis = 2000;
  private volatile Flow.Subscription subscription;

  EventStream(
      HttpClient client,
      ScheduledExecutorService timer,
      JourneyCounts counts,
      URI target,
      String token,
      String visitorAddress,
      long after) {
    this.client = client;
    this.timer = timer;
    this.counts = counts;
    this.uri = target.resolve("/api/notifications/stream?after=" + after);
    this.token = token;
    this.visitorAddress = visitorAddress;
  }

  /** Connects; the future completes with the first connection's status (0 when none came). */
  CompletableFuture<Integer> open() {
    connect();
    return firstStatus;
  }

  /** The listener leaves: the connection is closed and not opened again. */
  void close() {
    closed = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }

  private void connect() {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + token)
            .header("X-Forwarded-For", visitorAddress);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    AtomicBoolean answered = new AtomicBoolean();
    // The handler sees the status as soon as the headers arrive; the response future itself only
    // completes when the (endless) body does.
    HttpResponse.BodyHandler<Void> handler =
        info -> {
          if (!answered.compareAndSet(false, true)) {
            return HttpResponse.BodySubscribers.discarding();
          }
          if (info.statusCode() == 200) {
            if (firstStatus.complete(200)) {
              counts.add("streams.opened");
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
          }
          connectFailed(info.statusCode());
          return HttpResponse.BodySubscribers.discarding();
        };
    CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request.build(), handler);
    response.whenComplete(
        (answer, failure) -> {
          if (failure != null && answered.compareAndSet(false, true)) {
            connectFailed(0);
          }
        });
    timer.schedule(
        () -> {
          if (answered.compareAndSet(false, true)) {
            connectFailed(0);
            response.cancel(true);
          }
        },
        CONNECT_TIMEOUT.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The first connection failing fails the listener; a reconnection is tried again later. */
  private void connectFailed(int status) {
    if (firstStatus.complete(status)) {
      counts.add(status == 429 ? "streams.rateLimited" : "streams.failed");
    } else if (!closed) {
      counts.add("streams.reconnectsFailed");
      reconnectLater();
    }
  }

  private void ended() {
    if (!closed && firstStatus.isDone() && firstStatus.getNow(0) == 200) {
      counts.add("streams.reconnects");
      reconnectLater();
    }
  }

  private void reconnectLater() {
    if (!closed) {
      timer.schedule(this::connect, retryMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Reads the event stream line by line (text/event-stream framing). */
  private final class Lines implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      EventStream.this.subscription = subscription;
      if (closed) {
        subscription.cancel();
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("event: notification")) {
        counts.add("streams.notifications");
      } else if (line.startsWith(": keep-alive")) {
        counts.add("streams.keepAlives");
      } else if (line.startsWith("id: ")) {
        lastEventId = line.substring(4).trim();
      } else if (line.startsWith("retry: ")) {
        try {
          retryMillis = Long.parseLong(line.substring(7).trim());
        } catch (NumberFormatException e) {
          counts.add("streams.malformedLines");
        }
      }
    }

    @Override
    public void onError(Throwable failure) {
      ended();
    }

    @Override
    public void onComplete() {
      ended();
    }
  }
}
