package dev.storefront.gateway.edge;

import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route handler that holds every caller to the rate limit of the path's longest matching prefix,
 * with token buckets shared through the cluster so the limit holds however many gateways there are.
 * A caller is the authenticated account when there is one, else the client address; each (limit,
 * caller) pair has its own bucket.
 *
 * <p>Limited responses carry {@code RateLimit-Limit} and {@code RateLimit-Remaining}; a refusal is
 * a 429 problem with {@code Retry-After}.
 *
 * <p>When the bucket store fails or does not answer within {@link EdgeConfig#rateLimitTimeout()},
 * the request goes through (fail open) and {@code storefront_rate_limit_errors_total} counts it.
 * Rate limiting protects the services from abuse; refusing every request because the cluster
 * hiccups would turn a degraded limiter into a full outage for all shoppers, while letting traffic
 * through for a few moments costs at most some extra load that the breakers and timeouts behind the
 * gateway already contain.
 */
public final class RateLimiter implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  public static final String LIMIT_HEADER = "RateLimit-Limit";
  public static final String REMAINING_HEADER = "RateLimit-Remaining";

  // Encoded once: they go out on every answer.
  private static final CharSequence LIMIT_NAME = HttpHeaders.createOptimized(LIMIT_HEADER);
  private static final CharSequence REMAINING_NAME = HttpHeaders.createOptimized(REMAINING_HEADER);

  private final EdgeConfig config;
  private final BucketStore store;
  private final MeterRegistry registry;
  private final Function<RoutingContext, String> accountId;
  private final Counter errors;

  /** When the store's failure was last logged, so that an overload does not also flood the log. */
  private final AtomicLong lastWarning = new AtomicLong();

  private final AtomicLong unlogged = new AtomicLong();

  public RateLimiter(
      EdgeConfig config,
      BucketStore store,
      MeterRegistry registry,
      Function<RoutingContext, String> accountId) {
    this.config = config;
    this.store = store;
    this.registry = registry;
    this.accountId = accountId;
    this.errors =
        Counter.builder("storefront_rate_limit_errors")
            .description("Requests let through because the rate-limit store failed or was slow")
            .register(registry);
  }

  /** Anonymous callers only (keyed by address), the process's registry and store. */
  public static RateLimiter create(Vertx vertx, EdgeConfig config) {
    return create(vertx, config, ctx -> null);
  }

  /**
   * Callers keyed by {@code accountId} (the authenticated account of a request, or null when it has
   * none) and else by address; the cluster store when clustered; the process's registry.
   */
  public static RateLimiter create(
      Vertx vertx, EdgeConfig config, Function<RoutingContext, String> accountId) {
    return new RateLimiter(config, BucketStore.forVertx(vertx), Metrics.registry(), accountId);
  }

  @Override
  public void handle(RoutingContext ctx) {
    var match = config.rateLimitFor(ctx.normalizedPath());
    if (match.isEmpty()) {
      ctx.next();
      return;
    }
    RateLimit limit = match.get();
    HttpServerRequest request = ctx.request();
    // The decision takes a round trip; keep the body for whoever reads it next.
    if (!request.isEnded()) {
      request.pause();
    }
    String key = limit.name() + "|" + caller(ctx);
    Future<TokenBucket.Decision> decision = store.take(key, limit);
    if (decision.isComplete()) {
      // A token from this process's lease: the common case, decided without waiting.
      decide(ctx, limit, decision);
      return;
    }
    // The decision waits on the cluster. Its answer may come on another thread: bring it back to
    // the request's own event loop, and bound the wait with a timer there.
    Context context = ctx.vertx().getOrCreateContext();
    Promise<TokenBucket.Decision> answer = Promise.promise();
    long timer =
        ctx.vertx()
            .setTimer(
                Math.max(1, config.rateLimitTimeout().toMillis()),
                id -> answer.tryFail(new TimeoutException("the rate-limit store did not answer")));
    decision.onComplete(
        ar ->
            context.runOnContext(
                v -> {
                  ctx.vertx().cancelTimer(timer);
                  if (ar.succeeded()) {
                    answer.tryComplete(ar.result());
                  } else {
                    answer.tryFail(ar.cause());
                  }
                }));
    answer.future().onComplete(ar -> decide(ctx, limit, ar));
  }

  private void decide(
      RoutingContext ctx, RateLimit limit, AsyncResult<TokenBucket.Decision> outcome) {
    if (outcome.failed()) {
      errors.increment();
      warnAtMostOnceASecond(outcome.cause());
      ctx.next();
      return;
    }
    TokenBucket.Decision decision = outcome.result();
    var response = ctx.response();
    response.putHeader(LIMIT_NAME, Long.toString(decision.limit()));
    response.putHeader(REMAINING_NAME, Long.toString(decision.remaining()));
    if (decision.allowed()) {
      ctx.next();
      return;
    }
    Counter.builder("storefront_rate_limited")
        .description("Requests refused with 429 by a rate limit")
        .tag("limit", limit.name())
        .register(registry)
        .increment();
    long retryAfter = decision.retryAfterSeconds();
    refuse(ctx, retryAfter, "Too many requests; try again in " + retryAfter + " s");
  }

  /**
   * Answers 429 (problem type {@code rate-limited}) with {@code Retry-After}: the refusal of any
   * budget a caller has spent.
   */
  public static void refuse(RoutingContext ctx, long retryAfterSeconds, String detail) {
    // The problem handler writes Retry-After from the problem's retryAfter.
    ctx.fail(
        new ProblemException(
            429,
            Problems.type("rate-limited"),
            Problems.reason(429),
            detail,
            new JsonObject().put("retryAfter", retryAfterSeconds)));
  }

  /**
   * A slow store fails every request of an overloaded moment; one line a second says so, with the
   * number of requests let through since the last (the counter has them all).
   */
  private void warnAtMostOnceASecond(Throwable cause) {
    long now = System.currentTimeMillis();
    long last = lastWarning.get();
    if (now - last < 1_000 || !lastWarning.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    LOG.warn(
        "Rate limit store unavailable, letting the request through: {} ({} more since the last"
            + " warning)",
        cause.toString(),
        unlogged.getAndSet(0));
  }

  /** The caller's bucket name: its account when authenticated, else its address. */
  String caller(RoutingContext ctx) {
    String account = accountId.apply(ctx);
    if (account != null && !account.isBlank()) {
      return "account:" + account;
    }
    return "address:" + clientAddress(ctx.request(), config.trustForwardedFor());
  }

  /**
   * The client's address: the connection's peer, or, when {@code trust} believes that peer (one
   * trusted proxy in front), the last X-Forwarded-For entry, which is the one that proxy added.
   * Entries before it come from the client and prove nothing.
   */
  public static String clientAddress(HttpServerRequest request, ForwardedForTrust trust) {
    SocketAddress peer = request.connection().remoteAddress();
    if (trust.trusts(peer)) {
      String forwarded =
          request.headers().getAll("X-Forwarded-For").stream().reduce((a, b) -> b).orElse(null);
      if (forwarded != null) {
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].trim();
        if (!last.isEmpty()) {
          return last;
        }
      }
    }
    return address(peer);
  }

  /**
   * The address of the connection's peer. Read off the connection: vert.x-web's request works it
   * out anew, through its forwarded-header policy, on every call (the gateway decides itself which
   * X-Forwarded-For it trusts, above).
   */
  public static String peerAddress(HttpServerRequest request) {
    return address(request.connection().remoteAddress());
  }

  private static String address(SocketAddress peer) {
    return peer == null ? "unknown" : peer.hostAddress();
  }
}
