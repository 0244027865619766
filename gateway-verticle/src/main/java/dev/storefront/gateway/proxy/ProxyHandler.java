package dev.storefront.gateway.proxy;

import dev.storefront.common.http.Problems;
import dev.storefront.common.http.RequestBodies;
import dev.storefront.common.http.RequestIds;
import dev.storefront.gateway.config.GatewayConfig;
import dev.storefront.gateway.edge.Deadlines;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.edge.LimitedBody;
import dev.storefront.gateway.edge.RateLimiter;
import dev.storefront.gateway.openapi.RequestValidation;
import dev.storefront.gateway.proxy.UpstreamMeters.Outcome;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to an instance of the owning service and streams the answer back, bodies in
 * both directions piped, never buffered whole. Each attempt goes through the instance's breaker; a
 * request is tried on another instance only when that cannot do harm: it never reached the first
 * one (the connection failed, or the breaker was open), or it may be applied twice (GET, HEAD,
 * OPTIONS, PUT, DELETE, or a POST with an {@code Idempotency-Key}) and its body, if it has one, was
 * read whole at the edge and can be sent again. A plain POST is never sent twice. Nothing is tried
 * again once an answer has begun.
 *
 * <p>Requests on the paths of long-lived streams ({@code REQUEST_TIMEOUT_EXEMPT}) go over a pool of
 * their own, so that open streams cannot take every connection ordinary requests need, and without
 * {@code Accept-Encoding}, so that the service does not compress them; a server-sent event stream
 * answered there is relayed by {@link EventStreams}. A client that leaves mid-answer resets the
 * exchange with the service at once, and a service that breaks off mid-answer closes the client's
 * connection, so that a cut body never looks whole.
 */
public final class ProxyHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  /**
   * The header a service names its instance in; relayed only when {@code UPSTREAM_SERVED_BY_HEADER}
   * says so.
   */
  static final String SERVED_BY = "X-Served-By";

  /** A POST carrying this header is one the service applies once, however often it is sent. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE);

  private final Deadlines deadlines;
  private final HttpClient client;
  private final HttpClient streamClient;
  private final PipelinedReads pipelined;
  private final Upstreams upstreams;
  private final GatewayConfig.Upstream config;
  private final EdgeConfig edge;

  /**
   * @param deadlines the deadlines of the event loop this handler forwards on
   * @param client the connections for ordinary requests
   * @param streamClient the connections for requests on stream paths, each held for a stream's life
   * @param pipelined the pipelined connections for reads; null to send them over {@code client}
   */
  public ProxyHandler(
      Deadlines deadlines,
      HttpClient client,
      HttpClient streamClient,
      PipelinedReads pipelined,
      Upstreams upstreams,
      GatewayConfig.Upstream config,
      EdgeConfig edge) {
    this.deadlines = deadlines;
    this.client = client;
    this.streamClient = streamClient;
    this.pipelined = pipelined;
    this.upstreams = upstreams;
    this.config = config;
    this.edge = edge;
  }

  public void forward(RoutingContext ctx, String service) {
    HttpServerRequest request = ctx.request();
    // Hold the body until an instance is connected: a failed connection can then move on. A
    // body read whole at the edge has ended the stream, and HTTP/2 refuses to pause that.
    if (!request.isEnded()) {
      request.pause();
    }
    upstreams.retryBudget().deposit();
    List<UpstreamInstance> candidates = upstreams.candidates(service);
    if (candidates.isEmpty()) {
      ctx.fail(Problems.of(503, "No instance of the " + service + " service is available"));
      return;
    }
    attempt(ctx, service, candidates, 0, streamPath(ctx));
  }

  private void attempt(
      RoutingContext ctx,
      String service,
      List<UpstreamInstance> candidates,
      int index,
      boolean streamPath) {
    UpstreamInstance instance = candidates.get(index);
    Attempt attempt = new Attempt(streamPath, streamPath ? null : readKey(ctx, service));
    long start = System.nanoTime();
    instance.outstanding().incrementAndGet();
    instance
        .breaker()
        .<HttpClientResponse>execute(
            promise -> exchange(ctx, instance, attempt).onComplete(promise))
        .onComplete(
            ar -> {
              instance.outstanding().decrementAndGet();
              Throwable failure = ar.cause();
              Outcome outcome = outcome(failure);
              if (outcome != null) {
                instance.meters().record(outcome, start);
                if (attempt.read != null) {
                  pipelined.answered(attempt.read, System.nanoTime() - start);
                }
              }
              if (failure == null) {
                relay(ctx, ar.result(), attempt);
              } else if (failure instanceof ClientFault) {
                // The client's body outgrew the limit on the way, or the client broke it off: its
                // fault, not the instance's, and nothing to try elsewhere.
                resume(ctx.request());
                if (attempt.body != null && attempt.body.exceeded()) {
                  fail(ctx, attempt.body.problem());
                } else {
                  fail(ctx, Problems.of(400, "The request body was cut off"));
                }
              } else if (failure instanceof UpstreamServerError error) {
                relay(ctx, error.response, attempt);
              } else {
                failed(ctx, service, candidates, index, streamPath, attempt, failure);
              }
            });
  }

  /** After an attempt that got no answer to relay: another instance if allowed, else a problem. */
  private void failed(
      RoutingContext ctx,
      String service,
      List<UpstreamInstance> candidates,
      int index,
      boolean streamPath,
      Attempt attempt,
      Throwable failure) {
    boolean anotherLeft = index + 1 < Math.min(candidates.size(), config.maxAttempts());
    if (anotherLeft && retryable(ctx, attempt, failure, upstreams.retryBudget())) {
      LOG.debug("Retrying on another {} instance after: {}", service, failure.toString());
      attempt(ctx, service, candidates, index + 1, streamPath);
      return;
    }
    resume(ctx.request());
    fail(ctx, toProblem(service, failure));
  }

  private Future<HttpClientResponse> exchange(
      RoutingContext ctx, UpstreamInstance instance, Attempt attempt) {
    HttpServerRequest inbound = ctx.request();
    Buffer validated = RequestValidation.bufferedBody(ctx);
    boolean streamed = validated == null && RequestBodies.declared(inbound);
    // The headers go straight into the request once it exists: options' headers would be copied
    // into it once more.
    RequestOptions options =
        new RequestOptions()
            .setServer(instance.address())
            .setMethod(inbound.method())
            .setURI(inbound.uri())
            .setConnectTimeout(config.connectTimeout().toMillis());
    return open(instance, options, attempt)
        .transform(
            opened -> {
              if (opened.failed()) {
                return Future.failedFuture(new NotSentException(opened.cause()));
              }
              HttpClientRequest outbound = opened.result();
              attempt.sent = true;
              MultiMap headers = outbound.headers();
              forwardHeaders(ctx, headers);
              if (attempt.streamPath) {
                // Each event must leave the service as it is written; a compressor would hold them
                // back.
                headers.remove(HttpHeaders.ACCEPT_ENCODING);
              }
              Future<Void> bodySent;
              if (validated != null) {
                // Read whole and checked at the edge: the request stream has ended; send the copy.
                outbound.putHeader(
                    HttpHeaders.CONTENT_LENGTH, Integer.toString(validated.length()));
                bodySent = outbound.end(validated);
              } else if (streamed) {
                // A streamed body can stall, and the service's time to answer only starts once it
                // is sent: until then Vert.x's idle timeout bounds the exchange. It restarts only
                // on data from the service, so before the answer's head it limits the whole
                // exchange, upload included; Vert.x drops it once the head arrives (a stream then
                // gets its own, see EventStreams). A request with its body at hand, or none, needs
                // no such timer: its time to answer starts at once and covers the exchange.
                outbound.idleTimeout(config.timeout().toMillis());
                if (inbound.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                  outbound.setChunked(true);
                }
                // A client that breaks off mid-body must not leave a truncated body looking whole.
                attempt.body = LimitedBody.of(inbound, edge.maxBodyBytes());
                bodySent =
                    attempt
                        .body
                        .pipe()
                        .endOnFailure(false)
                        .to(outbound)
                        .onFailure(
                            e -> {
                              // Noted before the reset fails the exchange, for the breaker.
                              attempt.clientFault =
                                  attempt.body.exceeded() || ctx.response().closed();
                              // The reset fails the exchange's answer, where it is handled.
                              outbound.exceptionHandler(ignored -> {});
                              outbound.reset();
                            });
              } else {
                bodySent = outbound.end();
              }
              // The service's time to answer counts from the end of the request body.
              if (streamed) {
                bodySent.onSuccess(v -> awaitAnswer(outbound, attempt));
              } else {
                awaitAnswer(outbound, attempt);
              }
              return outbound.response().transform(answer -> answered(answer, attempt));
            });
  }

  /**
   * The head of the instance's answer, or why there is none: paused until it has somewhere to go,
   * and an answer that speaks of the instance's health failed for the breaker (it is still
   * relayed).
   */
  private static Future<HttpClientResponse> answered(
      AsyncResult<HttpClientResponse> answer, Attempt attempt) {
    attempt.answered();
    if (answer.failed()) {
      Throwable e = answer.cause();
      if (attempt.clientFault) {
        return Future.failedFuture(new ClientFault(e));
      }
      return Future.failedFuture(
          attempt.timedOut || isTimeout(e)
              ? new UpstreamTimeoutException()
              : new UpstreamIoException(e));
    }
    HttpClientResponse response = answer.result();
    // Keep the body flowing only once it has somewhere to go.
    response.pause();
    return instanceFailure(response.statusCode())
        ? Future.failedFuture(new UpstreamServerError(response))
        : Future.succeededFuture(response);
  }

  /**
   * Whether an answer with this status says the instance is failing: its own error (500, a bug of
   * the service, which answers bad input with a 4xx), or one of a gateway or an overloaded or
   * unavailable server (502, 503, 504). Other 5xx answers (501 for a method it does not implement,
   * 505 for a version) are about the request, and are relayed like any answer.
   */
  static boolean instanceFailure(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504;
  }

  /**
   * The breaker's rule (see {@link Upstreams}): every failed exchange counts against the instance
   * but one the client spoiled. That one counts as an exchange the instance took (the breaker has
   * no neutral outcome); a request refused at the edge never reaches a breaker at all.
   */
  static boolean countsAgainstInstance(Future<?> exchange) {
    return exchange.failed() && !(exchange.cause() instanceof ClientFault);
  }

  /**
   * The request to the instance: on a pipelined connection for a read without a body when one can
   * take it now (see {@link PipelinedReads}), else from the pool of its kind. A pipelined
   * connection that fails to take the request (it has just closed) leaves it to the pool.
   */
  private Future<HttpClientRequest> open(
      UpstreamInstance instance, RequestOptions options, Attempt attempt) {
    if (attempt.streamPath) {
      return streamClient.request(options);
    }
    PipelinedReads.Connection connection =
        attempt.read != null ? pipelined.choose(instance.address(), attempt.read) : null;
    if (connection != null) {
      attempt.pipelined = connection;
      return connection
          .send(options)
          .recover(
              e -> {
                attempt.pipelined = null;
                return client.request(options);
              });
    }
    return client.request(options);
  }

  /**
   * What a read is, for timing it to decide whether to pipeline it: its documented operation, or
   * its service for a path the document lacks; null for a request that is never pipelined.
   */
  private Object readKey(RoutingContext ctx, String service) {
    if (pipelined == null || !pipelinable(ctx.request())) {
      return null;
    }
    Object operation = RequestValidation.operation(ctx);
    return operation != null ? operation : service;
  }

  /** GET and HEAD without a body: safe to send twice, so safe to lose with a connection. */
  private static boolean pipelinable(HttpServerRequest request) {
    HttpMethod method = request.method();
    // A body read whole at the edge is one the request declared: the check below covers it.
    return (method == HttpMethod.GET || method == HttpMethod.HEAD)
        && !RequestBodies.declared(request);
  }

  /**
   * Gives the service the upstream timeout to answer, from now; an answer that came already (one
   * sent before the whole body arrived, say) needs none.
   */
  private void awaitAnswer(HttpClientRequest outbound, Attempt attempt) {
    if (attempt.answered) {
      return;
    }
    attempt.answerDeadline =
        deadlines.start(
            config.timeout().toMillis(),
            v -> {
              attempt.timedOut = true;
              outbound.reset(0, new UpstreamTimeoutException());
            });
  }

  /** How an attempt ended for the instance's timers; null when it never reached the instance. */
  private static Outcome outcome(Throwable failure) {
    if (failure == null) {
      return Outcome.ANSWERED;
    }
    if (failure instanceof UpstreamServerError) {
      return Outcome.SERVER_ERROR;
    }
    if (failure instanceof UpstreamTimeoutException) {
      return Outcome.TIMEOUT;
    }
    return failure instanceof OpenCircuitException || failure instanceof ClientFault
        ? null
        : Outcome.FAILED;
  }

  private static boolean isTimeout(Throwable e) {
    return e instanceof java.util.concurrent.TimeoutException
        || e instanceof io.netty.handler.timeout.TimeoutException
        || (e.getCause() != null && e.getCause() != e && isTimeout(e.getCause()));
  }

  /**
   * The inbound request's end-to-end headers, the request id and the X-Forwarded trio. Those the
   * client's Connection header named were taken out at the edge ({@link InboundHeaders}), before
   * the gateway added its own: the Connection header is not read again here, or it would name those
   * away too.
   */
  private static void forwardHeaders(RoutingContext ctx, MultiMap headers) {
    HttpServerRequest inbound = ctx.request();
    copyEndToEnd(inbound.headers(), headers, false);
    headers.set(RequestIds.HEADER, RequestIds.of(ctx));
    String client = RateLimiter.peerAddress(inbound);
    String priorFor = inbound.getHeader("X-Forwarded-For");
    headers.set("X-Forwarded-For", priorFor == null ? client : priorFor + ", " + client);
    // Read off the connection and the Host header: vert.x-web's request works scheme and authority
    // out through its forwarded-header parser, building the absolute URI as well, on every request.
    boolean ssl = inbound.connection().isSsl();
    headers.set("X-Forwarded-Proto", ssl ? "https" : "http");
    HostAndPort authority =
        inbound.version() == HttpVersion.HTTP_2
            ? inbound.authority()
            : HostAndPort.parseAuthority(nullToEmpty(inbound.getHeader(HttpHeaders.HOST)), -1);
    String host = forwardedHost(authority, ssl);
    if (host != null) {
      headers.set("X-Forwarded-Host", host);
    }
  }

  /** The authority the client asked for, without the scheme's default port; null if none. */
  static String forwardedHost(HostAndPort authority, boolean ssl) {
    if (authority == null || authority.host().isEmpty()) {
      return null;
    }
    return authority.port() < 0 || authority.port() == (ssl ? 443 : 80)
        ? authority.host()
        : authority.host() + ':' + authority.port();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  /** Fails the request unless the edge already answered it (its time limit, say). */
  private static void fail(RoutingContext ctx, Throwable problem) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.fail(problem);
    }
  }

  /** Whether the request is on the path of a long-lived stream. */
  private boolean streamPath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path != null && edge.timeoutExempt(path);
  }

  private void relay(RoutingContext ctx, HttpClientResponse response, Attempt attempt) {
    boolean streamPath = attempt.streamPath;
    PipelinedReads.Connection pipelined = attempt.pipelined;
    HttpServerResponse outbound = ctx.response();
    if (outbound.ended() || outbound.closed()) {
      // The edge answered already (its time limit) or the client left: drop the late answer.
      abandon(response, pipelined);
      return;
    }
    int status = response.statusCode();
    // 200 is the status until one is set; setting it anyway takes the connection's lock.
    if (status != 200) {
      outbound.setStatusCode(status);
    }
    String reason = response.statusMessage();
    // A reason phrase of its own is relayed; the standard one is what the status already carries
    // (setting it anyway builds a new status line for every answer).
    if (reason != null && !reason.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      outbound.setStatusMessage(reason);
    }
    copyEndToEnd(response.headers(), outbound.headers(), true);
    if (!config.servedByHeader()) {
      // Which instance answered is for operators, not for the public.
      outbound.headers().remove(SERVED_BY);
    }
    // The gateway's request id wins over whatever the service echoed.
    outbound.headers().set(RequestIds.HEADER, RequestIds.of(ctx));
    if (streamPath && EventStreams.isEventStream(response)) {
      upstreams.streams().relay(ctx, response, config.streamIdleTimeout());
      return;
    }
    if (!outbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      outbound.setChunked(true);
    }
    // A pipe notices a client that left only at its next write: stop the service's work now.
    Pipe<Buffer> pipe = response.pipe().endOnFailure(false);
    ctx.addEndHandler(
        ar -> {
          // An HTTP/2 stream closes while its last frame is written: over once the answer ended.
          if (ar.failed() && !outbound.ended()) {
            pipe.close();
            abandon(response, pipelined);
          }
        });
    pipe.to(outbound)
        .onFailure(
            e -> {
              // The client went away or the service broke off mid-body; nothing can be sent now.
              // Closing the client's connection rather than ending the response keeps a cut body
              // from looking whole.
              LOG.debug("Response relay ended early: {}", e.getMessage());
              abandon(response, pipelined);
              outbound.reset();
            });
  }

  /**
   * Gives up an answer that is no longer wanted, and the error that raises on it, which Vert.x
   * would otherwise log as unhandled. The exchange with the service is reset, which stops its work;
   * on a pipelined connection with reads queued behind this answer that would close the connection
   * under them, so the rest of this answer is read and dropped instead (a stuck one is ended by the
   * connection's idle timeout).
   *
   * @param pipelined the pipelined connection the answer arrives on; null for a pooled one
   */
  private static void abandon(HttpClientResponse response, PipelinedReads.Connection pipelined) {
    response.exceptionHandler(e -> {});
    if (pipelined != null && pipelined.readsQueuedBehindTheCurrentAnswer()) {
      response.handler(null).endHandler(null).resume();
    } else {
      response.request().reset();
    }
  }

  private static boolean retryable(
      RoutingContext ctx, Attempt attempt, Throwable failure, RetryBudget budget) {
    if (failure instanceof NotSentException
        || failure instanceof OpenCircuitException
        || !attempt.sent) {
      return true;
    }
    // The instance got the request: only one that may be applied twice may go elsewhere, and
    // only within the retry budget, so retries cannot pile onto a struggling service. Its body,
    // if any, must still be at hand: one read whole at the edge is; a streamed one is spent.
    HttpServerRequest request = ctx.request();
    boolean repeatable =
        IDEMPOTENT.contains(request.method())
            || (request.method() == HttpMethod.POST && request.getHeader(IDEMPOTENCY_KEY) != null);
    boolean bodyAtHand =
        !RequestBodies.declared(request) || RequestValidation.bufferedBody(ctx) != null;
    return repeatable && bodyAtHand && budget.tryWithdraw();
  }

  /** Lets a paused body flow again; a body that has ended (read whole at the edge) has no flow. */
  private static void resume(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.resume();
    }
  }

  /**
   * Copies the headers that describe the message, leaving out those that describe one connection
   * (RFC 9110 7.6.1) and, if {@code readConnection}, those any Connection header line names. Runs
   * twice for every request, so without lower-casing or sets.
   */
  private static void copyEndToEnd(MultiMap from, MultiMap to, boolean readConnection) {
    List<String> connectionScoped = readConnection ? connectionScoped(from) : List.of();
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!hopByHop(name) && !named(connectionScoped, name)) {
        to.add(name, header.getValue());
      }
    }
  }

  /** Whether {@code name} is a hop-by-hop header (RFC 9110 7.6.1), {@code Host} included. */
  static boolean hopByHop(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 4 -> name.equalsIgnoreCase("host");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 16 -> name.equalsIgnoreCase("proxy-connection");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  /** Header names listed in any Connection header line, which scope them to one hop. */
  private static List<String> connectionScoped(MultiMap headers) {
    if (headers.get(HttpHeaders.CONNECTION) == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String line : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String name : line.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    return names;
  }

  private static boolean named(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static RuntimeException toProblem(String service, Throwable failure) {
    if (failure instanceof UpstreamTimeoutException) {
      return Problems.of(504, "The " + service + " service did not answer in time");
    }
    if (failure instanceof OpenCircuitException) {
      return Problems.of(503, "The " + service + " service is unavailable; try again shortly");
    }
    return Problems.of(502, "The " + service + " service could not be reached");
  }

  /** Whether this attempt's request left for the instance, and how it ended. */
  private static final class Attempt {
    final boolean streamPath;

    /** The read's key for PipelinedReads' timing; null when it is not a pipelinable read. */
    final Object read;

    PipelinedReads.Connection pipelined;
    boolean sent;

    /** The client broke off its streamed body or sent too much of it. */
    boolean clientFault;

    boolean answered;
    boolean timedOut;
    LimitedBody body;
    Deadlines.Deadline answerDeadline;

    Attempt(boolean streamPath, Object read) {
      this.streamPath = streamPath;
      this.read = read;
    }

    /** The exchange has the head of its answer, or has failed: the time to answer is over. */
    void answered() {
      answered = true;
      if (answerDeadline != null) {
        answerDeadline.cancel();
      }
    }
  }

  static final class NotSentException extends RuntimeException {
    NotSentException(Throwable cause) {
      super("connection to the instance failed: " + cause.getMessage(), cause, false, false);
    }
  }

  /** An exchange the client spoiled: not the instance's failure, and not to be tried again. */
  static final class ClientFault extends RuntimeException {
    ClientFault(Throwable cause) {
      super("the client spoiled the exchange: " + cause.getMessage(), cause, false, false);
    }
  }

  static final class UpstreamIoException extends RuntimeException {
    UpstreamIoException(Throwable cause) {
      super("exchange with the instance failed: " + cause.getMessage(), cause, false, false);
    }
  }

  static final class UpstreamTimeoutException extends RuntimeException {
    UpstreamTimeoutException() {
      super("the instance did not answer in time", null, false, false);
    }
  }

  /** A 5xx answer: a failure for the breaker, still relayed to the client as it is. */
  static final class UpstreamServerError extends RuntimeException {
    final transient HttpClientResponse response;

    UpstreamServerError(HttpClientResponse response) {
      super("the instance answered " + response.statusCode(), null, false, false);
      this.response = response;
    }
  }
}
