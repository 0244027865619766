package dev.storefront.gateway.edge;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body read through a byte count: it flows like the body it wraps until more than {@code
 * maxBytes} have passed, then stops, pauses the source and fails with a 413 {@link
 * ProblemException}. Pipe it instead of the request where the body streams on (the proxy), so a
 * body without a Content-Length cannot exceed the limit either; what was forwarded before the limit
 * was passed must then be discarded by the receiver, which the proxy does by resetting the upstream
 * request.
 */
public final class LimitedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private long received;
  private ProblemException exceeded;
  private Handler<Buffer> dataHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;

  private LimitedBody(ReadStream<Buffer> source, long maxBytes) {
    this.source = source;
    this.maxBytes = maxBytes;
  }

  public static LimitedBody of(ReadStream<Buffer> source, long maxBytes) {
    return new LimitedBody(source, maxBytes);
  }

  /** The 413 problem for a body over {@code maxBytes}. */
  public static ProblemException tooLarge(long maxBytes) {
    return Problems.of(413, "The request body is larger than " + maxBytes + " bytes");
  }

  /** Whether the body passed the limit; its failure is then {@link #problem()}. */
  public boolean exceeded() {
    return exceeded != null;
  }

  /** The 413 the body failed with, or null while it is within the limit. */
  public ProblemException problem() {
    return exceeded;
  }

  public long bytesReceived() {
    return received;
  }

  @Override
  public LimitedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(
        handler == null
            ? null
            : e -> {
              if (exceeded == null) {
                handler.handle(e);
              }
            });
    return this;
  }

  @Override
  public LimitedBody handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    source.handler(handler == null ? null : this::onData);
    return this;
  }

  private void onData(Buffer chunk) {
    if (exceeded != null) {
      return;
    }
    received += chunk.length();
    if (received > maxBytes) {
      exceeded = tooLarge(maxBytes);
      source.pause();
      if (exceptionHandler != null) {
        exceptionHandler.handle(exceeded);
      }
      return;
    }
    dataHandler.handle(chunk);
  }

  @Override
  public LimitedBody pause() {
    source.pause();
    return this;
  }

  @Override
  public LimitedBody resume() {
    if (exceeded == null) {
      source.resume();
    }
    return this;
  }

  @Override
  public LimitedBody fetch(long amount) {
    if (exceeded == null) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public LimitedBody endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    source.endHandler(
        handler == null
            ? null
            : v -> {
              if (exceeded == null) {
                endHandler.handle(null);
              }
            });
    return this;
  }
}
