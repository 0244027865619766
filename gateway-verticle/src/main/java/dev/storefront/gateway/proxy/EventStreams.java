package dev.storefront.gateway.proxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-sent event streams open through this gateway process, and how one is relayed.
 *
 * <p>A stream has no end of its own, so it is treated apart from an ordinary answer:
 *
 * <ul>
 *   <li>each event goes to the client as the service writes it, uncompressed (a compressor holds
 *       small writes back) and marked for buffering proxies in front of the gateway not to hold it;
 *   <li>the exchange with the service is ended when nothing, not even a heartbeat, has come from it
 *       for the stream idle timeout, instead of the request's time limits;
 *   <li>the client leaving resets the exchange with the service at once, and the service ending or
 *       failing ends the client's response, which an {@code EventSource} answers by reconnecting
 *       with {@code Last-Event-ID}, to whatever instance is there by then;
 *   <li>when the gateway drains to stop, its streams end at once rather than hold the drain for its
 *       whole time limit: their clients resume elsewhere.
 * </ul>
 */
public final class EventStreams {

  static final String GAUGE = "storefront_gateway_streams_open";

  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Gauge gauge;
  private final Map<HttpConnection, List<Pipe<Buffer>>> byConnection = new ConcurrentHashMap<>();

  EventStreams(MeterRegistry registry) {
    this.registry = registry;
    this.gauge =
        Gauge.builder(GAUGE, open, AtomicInteger::get)
            .description("Server-sent event streams open through this gateway process")
            .strongReference(true)
            .register(registry);
  }

  /** Whether {@code response} is a server-sent event stream. */
  static boolean isEventStream(HttpClientResponse response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null
        && type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("text/event-stream");
  }

  /** Streams open now. */
  public int open() {
    return open.get();
  }

  /**
   * Relays the event stream {@code upstream} to the client of {@code ctx}, whose status and headers
   * are already set, until either side ends it or the gateway stops.
   */
  void relay(RoutingContext ctx, HttpClientResponse upstream, Duration idleTimeout) {
    HttpServerResponse client = ctx.response();
    HttpClientRequest exchange = upstream.request();
    client.headers().remove(HttpHeaders.CONTENT_LENGTH);
    // Turns the server's compression off for this response (the header itself is not sent).
    client.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    // Tells a buffering reverse proxy in front of the gateway (nginx) to pass events on at once.
    client.putHeader("X-Accel-Buffering", "no");
    client.setChunked(true);

    HttpConnection connection = ctx.request().connection();
    // Heartbeats keep a healthy stream busy; silence this long means the service or the path to
    // it is gone. Watched here rather than with the exchange's own idle timeout, which Vert.x
    // 5.0.8 shortens each time data arrives in between, so that a stream with steady heartbeats
    // would still be cut after a few periods.
    Silence silence = new Silence(upstream, idleTimeout.toNanos());
    long watch =
        ctx.vertx()
            .setPeriodic(
                Math.max(1, idleTimeout.toMillis() / 4),
                id -> {
                  if (silence.exceeded(System.nanoTime())) {
                    exchange.reset(0, new StreamIdleException(idleTimeout));
                  }
                });
    Pipe<Buffer> pipe = silence.pipe();
    open.incrementAndGet();
    register(connection, pipe);
    // A pipe notices a client that left only at its next write, which may be a heartbeat away.
    ctx.addEndHandler(
        ar -> {
          if (ar.failed()) {
            pipe.close();
          }
        });
    pipe.to(client)
        .onComplete(
            ar -> {
              ctx.vertx().cancelTimer(watch);
              open.decrementAndGet();
              unregister(connection, pipe);
              if (ar.failed()) {
                // The client left, the service broke off or went silent, or the gateway stops:
                // either way the service must see its stream end now.
                exchange.reset();
              }
            });
  }

  /** The service's stream, noting when it last sent anything. */
  static final class Silence implements ReadStream<Buffer> {
    private final ReadStream<Buffer> upstream;
    private final long limitNanos;
    private volatile long lastNanos = System.nanoTime();
    private volatile boolean paused;

    Silence(ReadStream<Buffer> upstream, long limitNanos) {
      this.upstream = upstream;
      this.limitNanos = limitNanos;
    }

    /** Whether nothing has come for longer than the limit, as of {@code nowNanos}. */
    boolean exceeded(long nowNanos) {
      // While a slow client holds the stream back, whatever the service sends waits unread.
      return !paused && nowNanos - lastNanos > limitNanos;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      upstream.handler(
          handler == null
              ? null
              : data -> {
                lastNanos = System.nanoTime();
                handler.handle(data);
              });
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      upstream.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      upstream.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      // Time spent held back by a slow client is not the service's silence.
      lastNanos = System.nanoTime();
      paused = false;
      upstream.resume();
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      upstream.fetch(amount);
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      upstream.endHandler(endHandler);
      return this;
    }
  }

  /** The service sent nothing, not even a heartbeat, for the stream idle timeout. */
  static final class StreamIdleException extends RuntimeException {
    StreamIdleException(Duration limit) {
      super("the event stream was silent for " + limit.toMillis() + " ms", null, false, false);
    }
  }

  /** Removes the gauge; streams still open go on being counted nowhere. */
  void close() {
    registry.remove(gauge);
  }

  private void register(HttpConnection connection, Pipe<Buffer> pipe) {
    byConnection.compute(
        connection,
        (c, pipes) -> {
          if (pipes == null) {
            pipes = new ArrayList<>(1);
            // Called when the server starts draining the connection to stop: a stream would hold
            // the drain for its whole time limit, so end it; closing the pipe ends the client's
            // response and resets the exchange with the service.
            c.shutdownHandler(v -> endAll(c));
          }
          pipes.add(pipe);
          return pipes;
        });
  }

  private void unregister(HttpConnection connection, Pipe<Buffer> pipe) {
    byConnection.computeIfPresent(
        connection,
        (c, pipes) -> {
          pipes.remove(pipe);
          return pipes.isEmpty() ? null : pipes;
        });
  }

  private void endAll(HttpConnection connection) {
    List<Pipe<Buffer>> pipes = byConnection.remove(connection);
    if (pipes != null) {
      List.copyOf(pipes).forEach(Pipe::close);
    }
  }
}
