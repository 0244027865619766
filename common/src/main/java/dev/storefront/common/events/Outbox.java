package dev.storefront.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

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
 */
public final class Outbox {

  static final String INSERT =
      "INSERT INTO outbox (event_id, topic, event_key, event_type, payload)"
          + " VALUES ($1, $2, $3, $4, $5)";

  private Outbox() {}

  /**
   * Appends {@code event} for {@code topic} under {@code key}; {@code tx} is a connection inside
   * the caller's transaction.
   */
  public static Future<Void> append(
      SqlConnection tx, String topic, String key, EventEnvelope event) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(event.eventId(), topic, key, event.type(), event.toJson()))
        .mapEmpty();
  }
}
