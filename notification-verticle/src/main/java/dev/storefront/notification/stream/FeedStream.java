package dev.storefront.notification.stream;

import dev.storefront.common.http.Problems;
import dev.storefront.notification.model.Notification;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's live stream of its feed, as server-sent events.
 *
 * <p>The stream never trusts an announcement's number: each announcement, and each heartbeat, only
 * makes it read the feed from the last number it sent. One read at a time, each in number order and
 * bounded to {@link FeedStreams#BATCH}, so the client gets every number once and in order, and a
 * lost announcement costs at most a heartbeat's delay. While the connection's write queue is full
 * the stream reads nothing more and waits for it to drain: a slow client holds at most one batch in
 * this process, never its whole backlog.
 *
 * <p>Everything but {@link #announce} and {@link #endLater} runs on the event loop of the request,
 * which owns the stream's state.
 */
final class FeedStream {

  private static final Logger LOG = LoggerFactory.getLogger(FeedStream.class);
  private static final String EVENT = "notification";
  private static final Buffer KEEP_ALIVE = SseFrames.comment("keep-alive");

  private final FeedStreams streams;
  private final String accountId;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final Context context;
  private final Vertx vertx;

  private long lastSent = -1;
  private boolean started;
  private boolean reading;
  private boolean readAgain;
  private boolean awaitingDrain;
  private boolean ended;
  private long heartbeatTimer = -1;

  FeedStream(FeedStreams streams, RoutingContext ctx, String accountId) {
    this.streams = streams;
    this.accountId = accountId;
    this.ctx = ctx;
    this.response = ctx.response();
    this.connection = ctx.request().connection();
    this.vertx = ctx.vertx();
    this.context = vertx.getOrCreateContext();
  }

  String accountId() {
    return accountId;
  }

  /** Finds where to resume, then sends the headers, what was missed, and what comes. */
  void start(OptionalLong resume) {
    response.closeHandler(v -> end());
    response.exceptionHandler(e -> end());
    if (connection != null) {
      connection.shutdownHandler(v -> streams.connectionShuttingDown(connection));
    }
    streams
        .feed()
        .head(accountId)
        .onComplete(
            ar -> {
              if (ended) {
                return;
              }
              if (ar.failed()) {
                ended = true;
                streams.unregister(this);
                ctx.fail(ar.cause());
                return;
              }
              long head = ar.result();
              // A number past the head is not one this feed gave (another database, a client's
              // invention): resuming there would skip what comes next, so resume at the head.
              lastSent = resume.isPresent() ? Math.min(resume.getAsLong(), head) : head;
              begin();
            });
  }

  private void begin() {
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // Compression would hold events back until a compressor block fills.
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    response.drainHandler(v -> drained());
    // The first write sends the headers with it: the client knows at once that it is connected.
    write(SseFrames.retry(FeedStreams.RECONNECT_MS));
    started = true;
    heartbeatTimer = vertx.setPeriodic(streams.config().heartbeat().toMillis(), id -> heartbeat());
    pull();
  }

  /** Any thread: {@code seq} was appended to the account's feed. */
  void announce(long seq) {
    context.runOnContext(
        v -> {
          if (started && !ended && seq > lastSent) {
            pull();
          }
        });
  }

  private void heartbeat() {
    if (ended) {
      return;
    }
    if (!writable()) {
      // Still busy sending; the drain resumes reading.
      return;
    }
    write(KEEP_ALIVE);
    pull();
  }

  private void drained() {
    if (awaitingDrain && !ended) {
      awaitingDrain = false;
      pull();
    }
  }

  private void pull() {
    if (ended) {
      return;
    }
    if (reading) {
      readAgain = true;
      return;
    }
    if (!writable()) {
      awaitingDrain = true;
      return;
    }
    reading = true;
    readAgain = false;
    streams
        .feed()
        .after(accountId, lastSent, FeedStreams.BATCH)
        .onComplete(
            ar -> {
              reading = false;
              if (ended) {
                return;
              }
              if (ar.failed()) {
                // The next announcement or heartbeat tries again from the same number.
                LOG.warn("Could not read the feed of a stream: {}", ar.cause().getMessage());
                return;
              }
              List<Notification> batch = ar.result();
              send(batch);
              if (batch.size() == FeedStreams.BATCH || readAgain) {
                pull();
              }
            });
  }

  private void send(List<Notification> batch) {
    for (Notification notification : batch) {
      if (ended) {
        return;
      }
      if (notification.id() <= lastSent) {
        continue;
      }
      write(SseFrames.event(notification.id(), EVENT, notification.toJson().encode()));
      lastSent = notification.id();
      streams.countStreamed();
    }
  }

  private boolean writable() {
    return !ended && !response.ended() && !response.closed() && !response.writeQueueFull();
  }

  private void write(Buffer frame) {
    if (ended || response.ended() || response.closed()) {
      return;
    }
    response.write(frame);
  }

  /** On the stream's event loop: ends the stream if {@code shuttingDown} carries it. */
  void endIfOn(HttpConnection shuttingDown) {
    if (shuttingDown == connection) {
      context.runOnContext(v -> end());
    }
  }

  /** Any thread: ends the stream on its event loop. */
  Future<Void> endLater() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          end();
          done.complete();
        });
    return done.future();
  }

  /** Ends the response cleanly if it is still open, and gives back the account's slot. Once. */
  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (heartbeatTimer != -1) {
      vertx.cancelTimer(heartbeatTimer);
    }
    streams.unregister(this);
    if (response.ended() || response.closed()) {
      return;
    }
    if (started) {
      response.end();
    } else {
      // Ended while still finding where to resume (the server began to drain): the request must
      // still be answered, or the drain waits for it.
      response.putHeader("Retry-After", "1");
      ctx.fail(Problems.of(503, "This instance is stopping; reconnect to another one"));
    }
  }
}
