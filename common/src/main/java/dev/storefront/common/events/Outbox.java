package dev.storefront.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transactional outbox: an event is written to the service's own {@code outbox} table in the
 * same transaction as the change it reports, so the two commit or roll back together. {@link
 * OutboxRelay} later publishes it to Kafka.
 *
 * <p>Every publishing service creates the table in a migration of its own schema:
 *
 * <pre>
 * CREATE TABLE outbox (
 *   id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
 *   event_id     uuid NOT NULL UNIQUE,
 *   topic        text NOT NULL,
 *   event_key    text NOT NULL,
 *   event_type   text NOT NULL,
 *   payload      jsonb NOT NULL,
 *   created_at   timestamptz NOT NULL DEFAULT now(),
 *   published_at timestamptz
 * );
 * CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
 * </pre>
 *
 * <p>When a transaction that appended commits, the relays running in this process are woken, so the
 * event leaves at once instead of at the relay's next poll; the poll remains for rows other
 * processes wrote.
 */
public final class Outbox {

  static final String INSERT =
      "INSERT INTO outbox (event_id, topic, event_key, event_type, payload)"
          + " VALUES ($1, $2, $3, $4, $5)";

  private static final Set<Runnable> WAKE_ON_COMMIT = ConcurrentHashMap.newKeySet();

  private Outbox() {}

  /**
   * Appends {@code event} for {@code topic} under {@code key}; {@code tx} is a connection inside
   * the caller's transaction.
   */
  public static Future<Void> append(
      SqlConnection tx, String topic, String key, EventEnvelope event) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(event.eventId(), topic, key, event.type(), event.toJson()))
        .onSuccess(
            rows -> {
              Transaction transaction = tx.transaction();
              if (transaction != null) {
                transaction.completion().onSuccess(v -> WAKE_ON_COMMIT.forEach(Runnable::run));
              }
            })
        .mapEmpty();
  }

  /** Runs {@code wake} whenever a transaction that appended commits, until the result is run. */
  static Runnable wakeOnCommit(Runnable wake) {
    WAKE_ON_COMMIT.add(wake);
    return () -> WAKE_ON_COMMIT.remove(wake);
  }
}
