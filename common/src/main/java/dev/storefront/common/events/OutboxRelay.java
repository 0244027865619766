package dev.storefront.common.events;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rows of the service's {@code outbox} table to Kafka, in id order, at least once.
 *
 * <p>Each batch runs in one transaction that first takes {@code pg_try_advisory_xact_lock} for the
 * schema, so however many instances of a service run, one batch at a time is in flight for that
 * schema and batches never overtake each other. The lock goes with the transaction: an instance
 * that dies or loses its connection mid-batch releases it, and the rows it had not yet marked are
 * published again by whoever runs the next batch.
 *
 * <p>Within a batch, the rows of one key are sent one after another, the next only once the broker
 * acknowledged the previous one; different keys go out together. The first failed send of a key
 * ends that key's rows for this batch, so a later row of a key never reaches the broker before an
 * earlier one. Rows are marked published only after their acknowledgement; the rest stay and are
 * sent again, in order, by the next batch, after a backoff that grows while the broker is away.
 *
 * <p>Ordering across transactions follows the ids, which PostgreSQL hands out at insert time: a
 * service that appends two events for the same key in concurrent transactions must make the second
 * wait for the first (it does when the events follow a change to the same row, which locks it).
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  static final String LOCK =
      "SELECT pg_try_advisory_xact_lock(hashtext('storefront.outbox'), hashtext(current_schema()))";
  static final String ANY_PENDING = "SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1";
  static final String NEXT_BATCH =
      "SELECT id, topic, event_key, event_type, payload FROM outbox"
          + " WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE";
  static final String MARK_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1)";
  static final String BACKLOG =
      "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8"
          + " FROM outbox WHERE published_at IS NULL";
  static final String PURGE =
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
          + " WHERE published_at < now() - make_interval(secs => $1) ORDER BY id LIMIT 10000)";

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  /**
   * How the relay paces itself. From the environment: OUTBOX_POLL_INTERVAL_MS (100: how soon a new
   * row goes out), OUTBOX_BATCH_SIZE (100), OUTBOX_LOCK_RETRY_MS (500: how often an instance that
   * found another one publishing tries again), OUTBOX_BACKOFF_MAX_MS (10000: the longest wait
   * between attempts while the broker or the database is away; the first wait is the poll interval,
   * doubling), OUTBOX_RETENTION_HOURS (168: published rows older than this are deleted; 0 keeps
   * them), OUTBOX_METRICS_INTERVAL_MS (5000: how often pending rows and lag are measured).
   */
  public record Options(
      Duration pollInterval,
      int batchSize,
      Duration lockRetryInterval,
      Duration backoffMax,
      Duration retention,
      Duration metricsInterval) {

    public Options {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1");
      }
    }

    public static Options defaults() {
      return from(Env.of(Map.of()));
    }

    public static Options from(Env env) {
      return new Options(
          positiveMillis(env, "OUTBOX_POLL_INTERVAL_MS", 100),
          env.positive("OUTBOX_BATCH_SIZE", 100),
          positiveMillis(env, "OUTBOX_LOCK_RETRY_MS", 500),
          positiveMillis(env, "OUTBOX_BACKOFF_MAX_MS", 10_000),
          Duration.ofHours(env.integer("OUTBOX_RETENTION_HOURS", 168)),
          positiveMillis(env, "OUTBOX_METRICS_INTERVAL_MS", 5_000));
    }

    public Options withPollInterval(Duration value) {
      return new Options(
          value, batchSize, lockRetryInterval, backoffMax, retention, metricsInterval);
    }

    public Options withBatchSize(int value) {
      return new Options(
          pollInterval, value, lockRetryInterval, backoffMax, retention, metricsInterval);
    }

    public Options withBackoffMax(Duration value) {
      return new Options(
          pollInterval, batchSize, lockRetryInterval, value, retention, metricsInterval);
    }

    public Options withMetricsInterval(Duration value) {
      return new Options(pollInterval, batchSize, lockRetryInterval, backoffMax, retention, value);
    }

    private static Duration positiveMillis(Env env, String name, long defaultMillis) {
      Duration value = env.millis(name, defaultMillis);
      return value.isZero() ? Duration.ofMillis(defaultMillis) : value;
    }
  }

  /** What one round found and did. */
  private record Round(boolean locked, int rows, int published, Throwable sendFailure) {
    static final Round NOTHING_PENDING = new Round(true, 0, 0, null);
    static final Round LOCKED_ELSEWHERE = new Round(false, 0, 0, null);
  }

  private record OutboxRow(long id, String topic, String key, String type, JsonObject payload) {}

  /** The ids a key's chain of sends got acknowledged, and why it stopped early, if it did. */
  private record KeyResult(List<Long> acked, Throwable failure) {}

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final KafkaProducer<String, String> producer;
  private final Options options;
  private final String schema;
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final AtomicLong pending = new AtomicLong();
  private final DoubleAdder lagSeconds = new DoubleAdder();

  private boolean stopping;
  private boolean roundRunning;
  private boolean wokenDuringRound;
  private Runnable unsubscribe = () -> {};
  private long timer = -1;
  private long metricsTimer = -1;
  private long purgeTimer = -1;
  private Future<?> inFlight = Future.succeededFuture();
  private Promise<Void> stopped;
  private int consecutiveFailures;
  private long failingSinceNanos = -1;

  private OutboxRelay(
      Vertx vertx, Context context, Pool pool, KafkaConfig kafka, Options options, String schema) {
    this.vertx = vertx;
    this.context = context;
    this.pool = pool;
    this.options = options;
    this.schema = schema;
    Map<String, String> producerConfig = KafkaClients.producerConfig(kafka);
    producerConfig.put("client.id", kafka.clientId() + "-outbox-producer");
    this.producer = KafkaProducer.create(vertx, producerConfig);
    this.producer.exceptionHandler(e -> LOG.debug("Outbox producer: {}", e.toString()));
    this.registry = Metrics.registry();
    this.tags = Tags.of("schema", schema);
    meters.add(
        Gauge.builder("storefront.outbox.pending", pending, AtomicLong::get)
            .description("Outbox rows not yet published")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("storefront.outbox.lag", lagSeconds, DoubleAdder::sum)
            .description("Age of the oldest unpublished outbox row")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
  }

  /** Starts relaying from the schema {@code pool} connects to (its search_path). */
  public static Future<OutboxRelay> start(
      Vertx vertx, Pool pool, KafkaConfig kafka, Options options) {
    Context context = vertx.getOrCreateContext();
    Promise<OutboxRelay> started = Promise.promise();
    context.runOnContext(
        v ->
            pool.query("SELECT current_schema()")
                .execute()
                .map(rows -> rows.iterator().next().getString(0))
                .map(
                    schema -> {
                      OutboxRelay relay =
                          new OutboxRelay(vertx, context, pool, kafka, options, schema);
                      relay.begin();
                      LOG.info("Outbox relay started for schema {}", schema);
                      return relay;
                    })
                .onComplete(started));
    return started.future();
  }

  private void begin() {
    unsubscribe = Outbox.wakeOnCommit(() -> context.runOnContext(v -> wake()));
    schedule(0);
    measure();
    metricsTimer = vertx.setPeriodic(options.metricsInterval().toMillis(), id -> measure());
    if (!options.retention().isZero() && !options.retention().isNegative()) {
      purgeTimer = vertx.setPeriodic(PURGE_INTERVAL.toMillis(), id -> purge());
    }
  }

  /** Stops after the batch in flight, if any, has finished; unpublished rows stay for later. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (stopped != null) {
            stopped.future().onComplete(done);
            return;
          }
          stopped = Promise.promise();
          stopped.future().onComplete(done);
          stopping = true;
          unsubscribe.run();
          vertx.cancelTimer(timer);
          vertx.cancelTimer(metricsTimer);
          vertx.cancelTimer(purgeTimer);
          inFlight
              .transform(ar -> producer.close())
              .onComplete(
                  ar -> {
                    meters.forEach(registry::remove);
                    published.values().forEach(registry::remove);
                    failures.values().forEach(registry::remove);
                    LOG.info("Outbox relay stopped for schema {}", schema);
                    stopped.complete();
                  });
        });
    return Bounded.stop(done.future(), "the outbox relay of " + schema);
  }

  private void schedule(long delayMillis) {
    if (stopping) {
      return;
    }
    if (delayMillis <= 0) {
      context.runOnContext(v -> round(true));
    } else {
      timer = vertx.setTimer(delayMillis, id -> round(false));
    }
  }

  /**
   * A new row was committed here: a round starts now if the relay was waiting for its poll, or
   * right after the one running. While it backs off from a failure, it keeps waiting.
   */
  private void wake() {
    if (stopping || consecutiveFailures > 0) {
      return;
    }
    if (roundRunning) {
      wokenDuringRound = true;
    } else if (vertx.cancelTimer(timer)) {
      timer = -1;
      round(true);
    }
  }

  /**
   * One batch. Unless rows are known to wait (a wake-up, a full batch before), a cheap look comes
   * first, so an idle relay's poll opens no transaction.
   */
  private void round(boolean rowsWaiting) {
    if (stopping) {
      return;
    }
    roundRunning = true;
    wokenDuringRound = false;
    Future<Round> round =
        rowsWaiting
            ? pool.withTransaction(this::batch)
            : pool.preparedQuery(ANY_PENDING)
                .execute()
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(Round.NOTHING_PENDING)
                            : pool.withTransaction(this::batch));
    inFlight = round;
    round.onComplete(
        ar -> {
          roundRunning = false;
          if (ar.failed()) {
            failed("the database", ar.cause());
            schedule(backoff());
            return;
          }
          Round result = ar.result();
          if (!result.locked()) {
            schedule(options.lockRetryInterval().toMillis());
          } else if (result.sendFailure() != null) {
            failed("Kafka", result.sendFailure());
            schedule(backoff());
          } else {
            recovered();
            boolean more = result.rows() == options.batchSize() || wokenDuringRound;
            schedule(more ? 0 : options.pollInterval().toMillis());
          }
        });
  }

  private Future<Round> batch(SqlConnection tx) {
    return tx.preparedQuery(LOCK)
        .execute()
        .compose(
            lock -> {
              if (!lock.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(Round.LOCKED_ELSEWHERE);
              }
              return tx.preparedQuery(NEXT_BATCH)
                  .execute(Tuple.of(options.batchSize()))
                  .compose(
                      rows -> {
                        List<OutboxRow> batch = new ArrayList<>();
                        for (Row row : rows) {
                          batch.add(
                              new OutboxRow(
                                  row.getLong("id"),
                                  row.getString("topic"),
                                  row.getString("event_key"),
                                  row.getString("event_type"),
                                  row.getJsonObject("payload")));
                        }
                        return send(batch).compose(round -> mark(tx, batch, round));
                      });
            });
  }

  /** Sends each key's rows in order, keys side by side; never fails, reports what was acked. */
  private Future<List<KeyResult>> send(List<OutboxRow> batch) {
    Map<String, List<OutboxRow>> byKey = new LinkedHashMap<>();
    for (OutboxRow row : batch) {
      byKey.computeIfAbsent(row.topic() + '\u0000' + row.key(), k -> new ArrayList<>()).add(row);
    }
    List<Future<KeyResult>> chains = new ArrayList<>();
    for (List<OutboxRow> rows : byKey.values()) {
      chains.add(sendInOrder(rows, 0, new ArrayList<>()));
    }
    return Future.all(chains).map(all -> chains.stream().map(Future::result).toList());
  }

  private Future<KeyResult> sendInOrder(List<OutboxRow> rows, int index, List<Long> acked) {
    if (index == rows.size() || stopping && index > 0) {
      return Future.succeededFuture(new KeyResult(acked, null));
    }
    OutboxRow row = rows.get(index);
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(row.topic(), row.key(), row.payload().encode())
            .addHeader("storefront-event-type", row.type())
            .addHeader("storefront-event-id", eventId(row));
    return producer
        .send(record)
        .transform(
            ar -> {
              if (ar.failed()) {
                counter(failures, "storefront.outbox.publish.failures", row.topic()).increment();
                return Future.succeededFuture(new KeyResult(acked, ar.cause()));
              }
              acked.add(row.id());
              counter(published, "storefront.outbox.published", row.topic()).increment();
              return sendInOrder(rows, index + 1, acked);
            });
  }

  private static String eventId(OutboxRow row) {
    Object id = row.payload().getValue("eventId");
    return id instanceof String text ? text : "";
  }

  private Future<Round> mark(SqlConnection tx, List<OutboxRow> batch, List<KeyResult> results) {
    List<Long> acked = new ArrayList<>();
    Throwable failure = null;
    for (KeyResult result : results) {
      acked.addAll(result.acked());
      if (failure == null) {
        failure = result.failure();
      }
    }
    Round round = new Round(true, batch.size(), acked.size(), failure);
    if (acked.isEmpty()) {
      return Future.succeededFuture(round);
    }
    return tx.preparedQuery(MARK_PUBLISHED)
        .execute(Tuple.of(acked.toArray(new Long[0])))
        .map(round);
  }

  private long backoff() {
    consecutiveFailures = Math.min(consecutiveFailures + 1, 30);
    long base = options.pollInterval().toMillis();
    long delay = base << Math.min(consecutiveFailures - 1, 20);
    return Math.min(delay, options.backoffMax().toMillis());
  }

  private void failed(String what, Throwable cause) {
    if (failingSinceNanos < 0) {
      failingSinceNanos = System.nanoTime();
      LOG.warn(
          "Outbox relay for schema {} cannot reach {}; rows stay unpublished and are retried"
              + " (every {} ms at most): {}",
          schema,
          what,
          options.backoffMax().toMillis(),
          cause.toString());
    } else {
      LOG.debug("Outbox relay for schema {} still failing: {}", schema, cause.toString());
    }
  }

  private void recovered() {
    consecutiveFailures = 0;
    if (failingSinceNanos >= 0) {
      LOG.info(
          "Outbox relay for schema {} publishing again after {} s",
          schema,
          (System.nanoTime() - failingSinceNanos) / 1_000_000_000L);
      failingSinceNanos = -1;
    }
  }

  private Counter counter(Map<String, Counter> counters, String name, String topic) {
    return counters.computeIfAbsent(
        topic, t -> Counter.builder(name).tags(tags.and("topic", t)).register(registry));
  }

  private void measure() {
    if (stopping) {
      return;
    }
    pool.preparedQuery(BACKLOG)
        .execute()
        .onSuccess(
            rows -> {
              Row row = rows.iterator().next();
              pending.set(row.getLong(0));
              lagSeconds.reset();
              lagSeconds.add(row.getDouble(1));
            })
        .onFailure(e -> LOG.debug("Outbox backlog not measured: {}", e.toString()));
  }

  private void purge() {
    pool.preparedQuery(PURGE)
        .execute(Tuple.of((double) options.retention().toSeconds()))
        .onSuccess(
            rows -> {
              if (rows.rowCount() > 0) {
                LOG.info(
                    "Deleted {} published outbox row(s) of schema {}", rows.rowCount(), schema);
              }
            })
        .onFailure(e -> LOG.debug("Outbox purge failed: {}", e.toString()));
  }

  /** The schema this relay publishes from. */
  public String schema() {
    return schema;
  }
}
