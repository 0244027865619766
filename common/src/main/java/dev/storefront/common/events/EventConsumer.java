package dev.storefront.common.events;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads events from Kafka and hands them to an {@link EventHandler}, at least once.
 *
 * <p>The consumer group is {@link KafkaConfig#groupId()} (the service's name), so the instances of
 * a service share the partitions. One poll at a time: the records of one key (an order) are handled
 * one after another in offset order, different keys side by side, at most {@code maxInFlight} at
 * once, and the next poll only happens once they all are. Keys run side by side because a handler
 * may wait on the network (the card processor), and one slow order must not hold up the others of
 * its partition. A partition's offset is committed up to its first record not yet handled or
 * dead-lettered, at most every {@code commitInterval} and when stopping, so a restart or a
 * rebalance redelivers everything that was not finished (and some that was: later records of other
 * keys, and what was handled since the last commit, which the handlers' idempotence absorbs).
 * Committing less often than every poll spares the broker and the consumer a round trip per batch.
 *
 * <p>A failed handler is retried after {@code retryBase}, doubling up to {@code retryCap}, for
 * {@code maxAttempts} attempts in all; then the record goes to {@code <topic>.dlq} unchanged, with
 * the headers {@code storefront-error}, {@code storefront-consumer-group}, {@code
 * storefront-original-partition} and {@code storefront-original-offset}. A record that is not an
 * {@link EventEnvelope} (or a handler failing with {@link MalformedEventException}) is
 * dead-lettered at once. While the dead-letter topic cannot be written, the record is retried and
 * its partition waits: nothing is committed that was not dealt with.
 *
 * <p>A broker outage only slows the loop down: polls come back empty, commits are retried before
 * each poll, and the consumer picks up where it was when the broker returns. A commit waits at most
 * {@link KafkaConfig#apiTimeout()} and the clients' close {@link KafkaConfig#closeTimeout()}, so a
 * stop with the broker away takes seconds, not Kafka's default minute and a half.
 *
 * <p>The instances of a service rebalance cooperatively ({@link KafkaClients#consumerConfig}): a
 * crashed instance's partitions go to the others within {@link KafkaConfig#sessionTimeout()} plus a
 * heartbeat, and the others keep their own partitions, and their offsets to commit, meanwhile.
 */
public final class EventConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

  public static final String ERROR_HEADER = "storefront-error";
  public static final String GROUP_HEADER = "storefront-consumer-group";
  public static final String PARTITION_HEADER = "storefront-original-partition";
  public static final String OFFSET_HEADER = "storefront-original-offset";

  private static final int MAX_ERROR_LENGTH = 2_000;

  /**
   * Retry and polling settings. From the environment: EVENTS_MAX_ATTEMPTS (5), EVENTS_RETRY_BASE_MS
   * (200), EVENTS_RETRY_CAP_MS (5000), EVENTS_HANDLER_TIMEOUT_MS (30000: an attempt that has not
   * finished by then counts as failed), EVENTS_POLL_TIMEOUT_MS (500: how long one poll waits for
   * records, and so how long a stop may wait for the poll in flight), EVENTS_MAX_IN_FLIGHT (64: how
   * many records of different keys are handled at once).
   */
  public record Options(
      int maxAttempts,
      Duration retryBase,
      Duration retryCap,
      Duration handlerTimeout,
      Duration pollTimeout,
      int maxInFlight,
      Duration commitInterval) {

    public Options {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      if (retryBase.isNegative() || retryCap.compareTo(retryBase) < 0) {
        throw new IllegalArgumentException("retryBase must be between 0 and retryCap");
      }
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1");
      }
    }

    public static Options defaults() {
      return from(Env.of(Map.of()));
    }

    public static Options from(Env env) {
      return new Options(
          env.positive("EVENTS_MAX_ATTEMPTS", 5),
          env.millis("EVENTS_RETRY_BASE_MS", 200),
          env.millis("EVENTS_RETRY_CAP_MS", 5_000),
          env.millis("EVENTS_HANDLER_TIMEOUT_MS", 30_000),
          env.millis("EVENTS_POLL_TIMEOUT_MS", 500),
          env.positive("EVENTS_MAX_IN_FLIGHT", 64),
          env.millis("EVENTS_COMMIT_INTERVAL_MS", 1_000));
    }

    public Options withMaxAttempts(int value) {
      return new Options(
          value, retryBase, retryCap, handlerTimeout, pollTimeout, maxInFlight, commitInterval);
    }

    public Options withRetry(Duration base, Duration cap) {
      return new Options(
          maxAttempts, base, cap, handlerTimeout, pollTimeout, maxInFlight, commitInterval);
    }

    public Options withHandlerTimeout(Duration value) {
      return new Options(
          maxAttempts, retryBase, retryCap, value, pollTimeout, maxInFlight, commitInterval);
    }

    public Options withCommitInterval(Duration value) {
      return new Options(
          maxAttempts, retryBase, retryCap, handlerTimeout, pollTimeout, maxInFlight, value);
    }

    /** The wait before attempt {@code attempt + 1}: base, 2 base, 4 base ... capped. */
    public long retryDelayMillis(int attempt) {
      long base = retryBase.toMillis();
      long delay = base << Math.min(Math.max(attempt - 1, 0), 30);
      return delay < 0 ? retryCap.toMillis() : Math.min(delay, retryCap.toMillis());
    }
  }

  /** The loop is stopping; the record in hand is left uncommitted for the next owner. */
  private static final class Stopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super("stopping", null, false, false);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String group;
  private final List<String> topics;
  private final EventHandler handler;
  private final Options options;
  private final KafkaConsumer<Buffer, Buffer> consumer;
  private final KafkaProducer<Buffer, Buffer> deadLetters;
  private final MeterRegistry registry = Metrics.registry();
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private final Map<Long, Promise<Void>> sleeping = new HashMap<>();
  private final Duration closeTimeout;

  private boolean stopping;
  private Promise<Void> stopped;
  private long pollFailingSince = -1;
  private long commitFailingSince = -1;
  private long lastCommitNanos = System.nanoTime();

  private EventConsumer(
      Vertx vertx,
      Context context,
      KafkaConfig kafka,
      List<String> topics,
      EventHandler handler,
      Options options) {
    this.vertx = vertx;
    this.context = context;
    this.group = kafka.groupId();
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.options = options;
    this.consumer = KafkaClients.rawConsumer(vertx, kafka);
    this.deadLetters = KafkaClients.rawProducer(vertx, kafka);
    this.consumer.exceptionHandler(e -> LOG.debug("Event consumer: {}", e.toString()));
    this.deadLetters.exceptionHandler(e -> LOG.debug("Dead-letter producer: {}", e.toString()));
    this.closeTimeout = kafka.closeTimeout();
    // Rebalances are cooperative: these hear only of the partitions that move. Rebalance callbacks
    // run inside a poll, and so never while records are in hand.
    this.consumer.partitionsAssignedHandler(
        assigned -> {
          if (!assigned.isEmpty()) {
            LOG.info("Group {} assigned {}", group, assigned);
            partitions("assigned").increment(assigned.size());
          }
        });
    this.consumer.partitionsRevokedHandler(
        revoked -> {
          if (!revoked.isEmpty()) {
            LOG.info("Group {} revoked {}", group, revoked);
            partitions("revoked").increment(revoked.size());
          }
          // Offsets of partitions that went to another member are that member's to commit now.
          revoked.forEach(uncommitted::remove);
        });
  }

  /**
   * Creates whichever of {@code topics} the broker lacks ({@code settings}), then {@link #start}s.
   * A failure to create them is logged, not fatal: the consumer then waits for the broker (or for
   * the topics' producer to create them) like any other consumer.
   */
  public static Future<EventConsumer> startCreatingTopics(
      Vertx vertx,
      KafkaConfig kafka,
      List<String> topics,
      Topics.Settings settings,
      EventHandler handler,
      Options options) {
    return Topics.ensure(vertx, kafka, topics, settings)
        .recover(
            e -> {
              LOG.warn("Could not check the topics {}: {}", topics, e.getMessage());
              return Future.succeededFuture();
            })
        .compose(v -> start(vertx, kafka, topics, handler, options))
        .onFailure(e -> LOG.error("Events of {} are not consumed: {}", topics, e.toString()));
  }

  /**
   * Stops {@code starting}'s consumer; one still starting (waiting for the broker, say) is stopped
   * once it has started, without holding up the caller's stop.
   */
  public static Future<Void> stop(Future<EventConsumer> starting) {
    if (!starting.isComplete()) {
      starting.onSuccess(EventConsumer::stop);
      return Future.succeededFuture();
    }
    return starting.succeeded() ? starting.result().stop() : Future.succeededFuture();
  }

  /** Subscribes to {@code topics} and starts handling their events. */
  public static Future<EventConsumer> start(
      Vertx vertx, KafkaConfig kafka, List<String> topics, EventHandler handler, Options options) {
    if (topics.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("no topics to consume"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<EventConsumer> started = Promise.promise();
    context.runOnContext(
        v -> {
          EventConsumer events = new EventConsumer(vertx, context, kafka, topics, handler, options);
          events
              .consumer
              .subscribe(new LinkedHashSet<>(topics))
              .map(
                  subscribed -> {
                    LOG.info("Consuming {} as group {}", topics, events.group);
                    events.loop();
                    return events;
                  })
              .onComplete(started);
        });
    return started.future();
  }

  /**
   * Stops after the records in hand: the handler call in flight finishes, what was handled is
   * committed, the rest is left to the next owner of the partition.
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (stopped == null) {
            stopped = Promise.promise();
            stopping = true;
            // Wake the retries waiting out their backoff; they give up their record.
            List.copyOf(sleeping.keySet())
                .forEach(
                    id -> {
                      vertx.cancelTimer(id);
                      sleeping.remove(id).tryComplete();
                    });
          }
          stopped.future().onComplete(done);
        });
    return Bounded.stop(done.future(), "the consumer of " + topics);
  }

  public List<String> topics() {
    return topics;
  }

  private void loop() {
    if (stopping) {
      finish();
      return;
    }
    commitWhenDue()
        .transform(committed -> consumer.poll(options.pollTimeout()))
        .compose(this::handleAll)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                pollRecovered();
                loop();
              } else {
                pollFailed(ar.cause());
                vertx.setTimer(1_000, id -> loop());
              }
            });
  }

  private void finish() {
    commitHandled()
        .transform(
            committed -> Future.join(consumer.close(), deadLetters.close(closeTimeout.toMillis())))
        .onComplete(
            ar -> {
              LOG.info("Stopped consuming {} as group {}", topics, group);
              stopped.complete();
            });
  }

  private Future<Void> commitWhenDue() {
    if (System.nanoTime() - lastCommitNanos < options.commitInterval().toNanos()) {
      return Future.succeededFuture();
    }
    return commitHandled();
  }

  private Future<Void> commitHandled() {
    if (uncommitted.isEmpty()) {
      return Future.succeededFuture();
    }
    lastCommitNanos = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
    return consumer
        .commit(offsets)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                offsets.forEach(uncommitted::remove);
                if (commitFailingSince >= 0) {
                  LOG.info("Offsets of group {} committed again", group);
                  commitFailingSince = -1;
                }
              } else if (ar.cause() instanceof CommitFailedException) {
                // This member was put out of the group and its partitions moved; their new owner
                // starts from the last commit and the handlers' idempotence absorbs the repeats.
                LOG.info("Offsets of group {} not committed, partitions moved", group);
                offsets.forEach(uncommitted::remove);
              } else if (ar.cause() instanceof RebalanceInProgressException) {
                // A cooperative rebalance leaves most partitions where they are: their offsets
                // stay to be committed after it, the revoked ones' are dropped when revoked.
                LOG.debug("Offsets of group {} wait for the rebalance to end", group);
              } else if (commitFailingSince < 0) {
                commitFailingSince = System.nanoTime();
                LOG.warn(
                    "Offsets of group {} cannot be committed, retrying before each poll: {}",
                    group,
                    ar.cause().toString());
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> handleAll(KafkaConsumerRecords<Buffer, Buffer> polled) {
    if (polled.isEmpty()) {
      return Future.succeededFuture();
    }
    ConsumerRecords<Buffer, Buffer> records = polled.records();
    Deque<KeyRun> runs = new ArrayDeque<>();
    for (org.apache.kafka.common.TopicPartition partition : records.partitions()) {
      Progress progress = new Progress(partition, records.records(partition));
      Map<String, List<Integer>> byKey = new LinkedHashMap<>();
      for (int i = 0; i < progress.records.size(); i++) {
        Buffer key = progress.records.get(i).key();
        byKey.computeIfAbsent(key == null ? null : key.toString(), k -> new ArrayList<>()).add(i);
      }
      byKey.values().forEach(indexes -> runs.add(new KeyRun(progress, indexes)));
    }
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = Math.min(options.maxInFlight(), runs.size()); w > 0; w--) {
      workers.add(work(runs));
    }
    return Future.join(workers).mapEmpty();
  }

  /** Takes one key's records after another off {@code runs} until none are left. */
  private Future<Void> work(Deque<KeyRun> runs) {
    KeyRun run = runs.poll();
    if (run == null) {
      return Future.succeededFuture();
    }
    // A key left behind by a stop is not an error of the loop: its records stay uncommitted.
    return handleInOrder(run, 0).transform(ar -> work(runs));
  }

  private Future<Void> handleInOrder(KeyRun run, int n) {
    if (n == run.indexes().size()) {
      return Future.succeededFuture();
    }
    int index = run.indexes().get(n);
    return handleOne(run.progress().records.get(index))
        .compose(
            done -> {
              run.progress().handled(index);
              return handleInOrder(run, n + 1);
            });
  }

  /** The records of one key in one partition, by their index in the partition's polled list. */
  private record KeyRun(Progress progress, List<Integer> indexes) {}

  /** Which of a partition's polled records are done; commits the offset past the done prefix. */
  private final class Progress {
    private final TopicPartition partition;
    private final List<ConsumerRecord<Buffer, Buffer>> records;
    private final boolean[] done;
    private int firstNotDone;

    Progress(
        org.apache.kafka.common.TopicPartition partition,
        List<ConsumerRecord<Buffer, Buffer>> records) {
      this.partition = new TopicPartition(partition.topic(), partition.partition());
      this.records = records;
      this.done = new boolean[records.size()];
    }

    void handled(int index) {
      done[index] = true;
      int before = firstNotDone;
      while (firstNotDone < done.length && done[firstNotDone]) {
        firstNotDone++;
      }
      if (firstNotDone > before) {
        long next = records.get(firstNotDone - 1).offset() + 1;
        uncommitted.put(partition, new OffsetAndMetadata(next, ""));
      }
    }
  }

  private Future<Void> handleOne(ConsumerRecord<Buffer, Buffer> record) {
    if (stopping) {
      return Future.failedFuture(new Stopping());
    }
    EventEnvelope event;
    try {
      event = EventEnvelope.fromBuffer(record.value());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "Undecodable record {}-{}@{} dead-lettered: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return deadLetter(record, "undecodable: " + e.getMessage(), 1)
          .onSuccess(v -> consumed(record.topic(), "unknown", "undecodable"));
    }
    return attempt(record, event, 1);
  }

  private Future<Void> attempt(ConsumerRecord<Buffer, Buffer> record, EventEnvelope event, int n) {
    return invoke(event)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                consumed(record.topic(), event.type(), "handled");
                return Future.<Void>succeededFuture();
              }
              Throwable cause = ar.cause();
              Counter.builder("storefront.events.handler.failures")
                  .description("Failed attempts to handle an event")
                  .tags("topic", record.topic(), "type", event.type())
                  .register(registry)
                  .increment();
              boolean hopeless = cause instanceof MalformedEventException;
              if (hopeless || n >= options.maxAttempts()) {
                LOG.warn(
                    "{} {} ({}-{}@{}) failed {} time(s), dead-lettered: {}",
                    event.type(),
                    event.eventId(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    n,
                    cause.toString());
                return deadLetter(record, cause.toString(), 1)
                    .onSuccess(v -> consumed(record.topic(), event.type(), "dead_lettered"));
              }
              LOG.info(
                  "{} {} failed (attempt {} of {}), retrying: {}",
                  event.type(),
                  event.eventId(),
                  n,
                  options.maxAttempts(),
                  cause.toString());
              return sleep(options.retryDelayMillis(n))
                  .compose(
                      woke ->
                          stopping
                              ? Future.failedFuture(new Stopping())
                              : attempt(record, event, n + 1));
            });
  }

  private Future<Void> invoke(EventEnvelope event) {
    try {
      Future<Void> handled = handler.handle(event);
      if (handled == null) {
        return Future.failedFuture(new IllegalStateException("the handler returned no future"));
      }
      return handled.timeout(options.handlerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> deadLetter(ConsumerRecord<Buffer, Buffer> record, String error, int n) {
    KafkaProducerRecord<Buffer, Buffer> copy =
        KafkaProducerRecord.create(
            Topics.deadLetterTopic(record.topic()), record.key(), record.value());
    for (Header header : record.headers()) {
      copy.addHeader(header.key(), Buffer.buffer(header.value()));
    }
    copy.addHeader(ERROR_HEADER, truncate(error))
        .addHeader(GROUP_HEADER, group)
        .addHeader(PARTITION_HEADER, Integer.toString(record.partition()))
        .addHeader(OFFSET_HEADER, Long.toString(record.offset()));
    return deadLetters
        .send(copy)
        .<Void>mapEmpty()
        .onSuccess(
            v ->
                Counter.builder("storefront.events.dead.lettered")
                    .description("Records sent to a dead-letter topic")
                    .tags("topic", record.topic())
                    .register(registry)
                    .increment())
        .recover(
            e -> {
              if (stopping) {
                return Future.failedFuture(new Stopping());
              }
              if (n == 1) {
                LOG.warn(
                    "Cannot dead-letter {}-{}@{} yet, its partition waits: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
              }
              return sleep(options.retryDelayMillis(n))
                  .compose(woke -> deadLetter(record, error, n + 1));
            });
  }

  private Future<Void> sleep(long millis) {
    Promise<Void> woke = Promise.promise();
    long id =
        vertx.setTimer(
            Math.max(1, millis),
            timer -> {
              Promise<Void> sleeper = sleeping.remove(timer);
              if (sleeper != null) {
                sleeper.tryComplete();
              }
            });
    sleeping.put(id, woke);
    return woke.future();
  }

  private void consumed(String topic, String type, String outcome) {
    Counter.builder("storefront.events.consumed")
        .description("Events consumed, by outcome: handled, dead_lettered, undecodable")
        .tags("topic", topic, "type", type, "outcome", outcome)
        .register(registry)
        .increment();
  }

  private Counter partitions(String change) {
    return Counter.builder("storefront.events.partitions." + change)
        .description("Partitions this process's consumer of the group gained or gave up")
        .tags("group", group)
        .register(registry);
  }

  private void pollFailed(Throwable cause) {
    if (pollFailingSince < 0) {
      pollFailingSince = System.nanoTime();
      LOG.warn("Polling {} as group {} failed, retrying: {}", topics, group, cause.toString());
    }
  }

  private void pollRecovered() {
    if (pollFailingSince >= 0) {
      LOG.info("Polling {} as group {} again", topics, group);
      pollFailingSince = -1;
    }
  }

  private static String truncate(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }
}
