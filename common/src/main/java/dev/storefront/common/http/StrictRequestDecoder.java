package dev.storefront.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's HTTP/1.x request decoder, made strict where a lenient reading lets one request hide in
 * another (RFC 9112 §6): a head that breaks {@link RequestHeadRules}, or a chunked body whose
 * framing {@link ChunkedBodyScanner} refuses, is answered as an invalid request and nothing after
 * it on the connection is read. It also bounds the time a request head may take to arrive, so a
 * client sending one header line now and then cannot hold a connection open.
 *
 * <p>Vert.x offers no option for either, so {@link #installer} puts this decoder in place of its
 * own as each HTTP/1 connection opens, before a byte is read; the server must have cleartext HTTP/2
 * ({@code h2c}) off, since on that path the first request is decoded before any connection handler
 * runs.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** The name Vert.x gives its decoder in the pipeline. */
  private static final String DECODER = "httpDecoder";

  private final long headTimeoutMillis;
  private ChannelHandlerContext context;
  private boolean awaitingHead = true;
  private ScheduledFuture<?> headDeadline;
  private ChunkedBodyScanner chunks;
  private int scannedAhead;
  private boolean refusing;
  private final RequestHeadScanner head = new RequestHeadScanner();

  StrictRequestDecoder(HttpServerOptions options, Duration headTimeout) {
    super(options);
    this.headTimeoutMillis = headTimeout.toMillis();
  }

  /**
   * An HTTP server that reads HTTP/1 strictly and answers what it cannot read as problem+json
   * ({@link InvalidRequests}). Cleartext HTTP/2 is turned off in {@code options}: the h2c path
   * decodes a connection's first request before any hook runs, and its upgrade is itself a way
   * round proxies' rules; HTTP/2 is served where TLS negotiates it.
   */
  public static HttpServer createServer(
      Vertx vertx, HttpServerOptions options, Duration headTimeout) {
    options.setHttp2ClearTextEnabled(false);
    return vertx
        .createHttpServer(options)
        .invalidRequestHandler(InvalidRequests::handle)
        .connectionHandler(installer(options, headTimeout));
  }

  /**
   * A connection handler that installs the strict decoder on every HTTP/1 connection: with h2c off,
   * such a connection is handed over as it opens, before its first byte is read.
   */
  private static Handler<HttpConnection> installer(
      HttpServerOptions options, Duration headTimeout) {
    return connection -> {
      if (!(connection instanceof ConnectionBase base)) {
        return;
      }
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      if (!(pipeline.get(DECODER) instanceof VertxHttpRequestDecoder current)
          || current instanceof StrictRequestDecoder) {
        return; // HTTP/2 over TLS: binary framing, nothing to replace
      }
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, headTimeout));
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.context = ctx;
    super.handlerAdded(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    stopHeadClock();
    super.handlerRemoved0(ctx);
  }

  /**
   * Netty drops Content-Length here and reads the body as chunked; keeping both lets {@link
   * RequestHeadRules} refuse the request instead.
   */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {}

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refusing) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (chunks != null && !scanChunks(in)) {
      // The head went on its way already: all that is left is to end the request as failed, which
      // closes the connection.
      out.add(failedEnd(chunks.refusal()));
      refuse(in);
      return;
    }
    if (awaitingHead && in.isReadable()) {
      startHeadClock();
    }
    boolean scanning = chunks != null;
    boolean readingHead = awaitingHead;
    int before = in.readerIndex();
    int first = out.size();
    super.decode(ctx, in, out);
    if (scanning) {
      scannedAhead -= in.readerIndex() - before;
    }
    if (readingHead) {
      head.scan(in, before, in.readerIndex());
    }
    for (int i = first; i < out.size(); i++) {
      Object message = out.get(i);
      // Checks against classes, not the interfaces: an interface check on every message of every
      // request costs HotSpot a search of the class's interfaces.
      if (message instanceof DefaultHttpRequest request) {
        awaitingHead = false;
        stopHeadClock();
        if (!checkHead(request, in)) {
          dropAfter(out, i);
          refuse(in);
          return;
        }
      } else if (message == LastHttpContent.EMPTY_LAST_CONTENT
          || message instanceof DefaultLastHttpContent) {
        chunks = null;
        awaitingHead = true;
      }
    }
  }

  /** Whether {@code request} may go on; if not, it leaves marked as failed with the reason. */
  private boolean checkHead(HttpRequest request, ByteBuf in) {
    if (!request.decoderResult().isSuccess()) {
      answerInHttp11(request);
      return false;
    }
    ProblemException problem = head.finish();
    if (problem == null) {
      problem = RequestHeadRules.check(request, head.hostLines());
    }
    if (problem == null && HttpUtil.isTransferEncodingChunked(request)) {
      chunks = new ChunkedBodyScanner();
      scannedAhead = 0;
      // Whatever of the body is here already is read now, so that a framing error in it is
      // answered before the request reaches any handler.
      if (!scanChunks(in)) {
        problem = chunks.refusal();
      }
    }
    if (problem == null) {
      return true;
    }
    refuse(request, problem);
    return false;
  }

  private static void refuse(HttpRequest request, ProblemException problem) {
    request.setDecoderResult(DecoderResult.failure(problem));
    answerInHttp11(request);
  }

  /**
   * Vert.x answers in the version the request named; a refusal of "HTTP/2.0" or "FOO/1.1" as text
   * goes out as HTTP/1.1, the version this server speaks.
   */
  private static void answerInHttp11(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_1_1) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
  }

  /** Reads the body's framing in bytes not read before; false once it is broken. */
  private boolean scanChunks(ByteBuf in) {
    int from = in.readerIndex() + scannedAhead;
    if (chunks.done() || from >= in.writerIndex()) {
      return true;
    }
    int stopped = chunks.scan(in, from, in.writerIndex());
    scannedAhead = stopped - in.readerIndex();
    return chunks.refusal() == null;
  }

  private static LastHttpContent failedEnd(ProblemException problem) {
    LastHttpContent end = new DefaultLastHttpContent();
    end.setDecoderResult(DecoderResult.failure(problem));
    return end;
  }

  private static void dropAfter(List<Object> out, int index) {
    while (out.size() > index + 1) {
      ReferenceCountUtil.release(out.remove(out.size() - 1));
    }
  }

  private void refuse(ByteBuf in) {
    refusing = true;
    chunks = null;
    stopHeadClock();
    in.skipBytes(in.readableBytes());
  }

  private void startHeadClock() {
    if (headDeadline == null && headTimeoutMillis > 0 && context != null) {
      headDeadline =
          context.executor().schedule(this::headLate, headTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void stopHeadClock() {
    if (headDeadline != null) {
      headDeadline.cancel(false);
      headDeadline = null;
    }
  }

  /**
   * The head of a request did not arrive in time. While the server itself holds reading back (an
   * earlier request on the connection still being answered) the clock is not the client's fault.
   */
  private void headLate() {
    headDeadline = null;
    if (!awaitingHead || refusing || context.isRemoved()) {
      return;
    }
    if (!context.channel().config().isAutoRead()) {
      startHeadClock();
      return;
    }
    refusing = true;
    ByteBuf pending = internalBuffer();
    pending.skipBytes(pending.readableBytes());
    HttpMessage late = createMessage(new String[] {"GET", "/", "HTTP/1.1"});
    late.setDecoderResult(
        DecoderResult.failure(
            Problems.of(
                408, "The request head did not arrive within " + headTimeoutMillis + " ms")));
    context.fireChannelRead(late);
  }
}
