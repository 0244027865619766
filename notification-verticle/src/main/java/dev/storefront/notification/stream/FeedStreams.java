package dev.storefront.notification.stream;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import dev.storefront.notification.config.FeedConfig;
import dev.storefront.notification.repository.FeedRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live streams open in this process, by account. Streams run on the event loops of the HTTP
 * servers that accepted them; this registry is shared by all of them and by the one subscriber to
 * {@link LiveFeed#ADDRESS}, which hands each announcement to the streams of its account. It also
 * holds each account to {@link FeedConfig#streamsPerAccount()} streams, so that one account cannot
 * tie up the process's connections and database reads.
 */
public final class FeedStreams {

  /** The longest run of notifications read from the feed at once for a stream. */
  static final int BATCH = 100;

  /** What a dropped client waits before reconnecting (the {@code retry:} field). */
  static final long RECONNECT_MS = 2_000;

  public static final String TOO_MANY_STREAMS = Problems.type("too-many-streams");

  private static final Logger LOG = LoggerFactory.getLogger(FeedStreams.class);

  private final FeedRepository feed;
  private final FeedConfig config;
  private final MeterRegistry registry;
  private final Map<String, Set<FeedStream>> byAccount = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final Gauge openGauge;
  private final Counter streamed;
  private MessageConsumer<JsonObject> subscriber;
  private volatile boolean closing;

  public FeedStreams(FeedRepository feed, FeedConfig config, MeterRegistry registry) {
    this.feed = feed;
    this.config = config;
    this.registry = registry;
    this.openGauge =
        Gauge.builder("storefront_notification_streams_open", open, AtomicInteger::get)
            .description("Live notification streams open in this process")
            .register(registry);
    this.streamed =
        Counter.builder("storefront_notification_stream_events")
            .description("Notifications written to live streams")
            .register(registry);
  }

  /**
   * Subscribes this process to feed announcements, on the caller's context; the future completes
   * once the subscription has reached the whole cluster, so that a stream opened afterwards misses
   * no announcement.
   */
  public Future<Void> subscribe(Vertx vertx) {
    subscriber = vertx.eventBus().consumer(LiveFeed.ADDRESS, this::announced);
    return subscriber.completion();
  }

  private void announced(Message<JsonObject> message) {
    JsonObject body = message.body();
    String accountId = body == null ? null : body.getString("accountId");
    Long seq = body == null ? null : body.getLong("seq");
    if (accountId == null || seq == null) {
      LOG.warn("Ignoring a feed announcement without accountId and seq: {}", body);
      return;
    }
    Set<FeedStream> streams = byAccount.get(accountId);
    if (streams != null) {
      streams.forEach(s -> s.announce(seq));
    }
  }

  /**
   * Opens a stream of the caller's feed on {@code ctx}'s response, resuming after {@code resume}
   * (else at the feed's head); fails {@code ctx} with 429 past the account's limit, 503 while the
   * process stops.
   */
  public void open(RoutingContext ctx, String accountId, OptionalLong resume) {
    if (closing) {
      ctx.response().putHeader("Retry-After", "1");
      ctx.fail(Problems.of(503, "This instance is stopping; reconnect to another one"));
      return;
    }
    FeedStream stream = new FeedStream(this, ctx, accountId);
    if (!register(stream)) {
      ctx.response().putHeader("Retry-After", Long.toString(config.heartbeat().toSeconds()));
      ctx.fail(
          new ProblemException(
              429,
              TOO_MANY_STREAMS,
              Problems.reason(429),
              "An account may hold at most "
                  + config.streamsPerAccount()
                  + " notification streams open at once on one instance; close one first",
              new JsonObject().put("limit", config.streamsPerAccount())));
      return;
    }
    stream.start(resume);
  }

  private boolean register(FeedStream stream) {
    boolean[] added = {false};
    byAccount.compute(
        stream.accountId(),
        (account, streams) -> {
          Set<FeedStream> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
          if (set.size() < config.streamsPerAccount()) {
            set.add(stream);
            added[0] = true;
          }
          return set.isEmpty() ? null : set;
        });
    if (added[0]) {
      open.incrementAndGet();
    }
    return added[0];
  }

  /** Called once by each stream as it ends. */
  void unregister(FeedStream stream) {
    boolean[] removed = {false};
    byAccount.computeIfPresent(
        stream.accountId(),
        (account, streams) -> {
          removed[0] = streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
    if (removed[0]) {
      open.decrementAndGet();
    }
  }

  /**
   * Ends the streams carried by {@code connection}: its server has begun to drain, and an endless
   * response would hold the drain up for its whole time limit. Ended cleanly, the client reconnects
   * with its Last-Event-ID, to an instance that is not stopping.
   */
  void connectionShuttingDown(HttpConnection connection) {
    byAccount.values().forEach(set -> set.forEach(s -> s.endIfOn(connection)));
  }

  /** Ends every stream and stops listening for announcements; new streams are refused. */
  public Future<Void> close() {
    closing = true;
    List<Future<Void>> ended = new ArrayList<>();
    byAccount.values().forEach(set -> set.forEach(s -> ended.add(s.endLater())));
    Future<Void> unsubscribed =
        subscriber == null ? Future.succeededFuture() : subscriber.unregister();
    return Future.join(ended)
        .eventually(() -> unsubscribed)
        .onComplete(ar -> registry.remove(openGauge))
        .mapEmpty();
  }

  /** Streams open now, on every event loop. */
  public int openStreams() {
    return open.get();
  }

  FeedRepository feed() {
    return feed;
  }

  FeedConfig config() {
    return config;
  }

  void countStreamed() {
    streamed.increment();
  }
}
