package dev.storefront.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * What makes a consumer idempotent: the ids of the events it has applied, recorded in its {@code
 * processed_events} table in the same transaction as the effect.
 *
 * <pre>
 * pool.withTransaction(tx -&gt; ProcessedEvents.firstTime(tx, event)
 *     .compose(first -&gt; first ? applyEffect(tx, event) : Future.succeededFuture()));
 * </pre>
 *
 * A redelivered event finds its id already there and changes nothing; two deliveries racing each
 * other are serialised by the primary key, and the loser's transaction sees the winner's row.
 */
public final class ProcessedEvents {

  static final String INSERT =
      "INSERT INTO processed_events (event_id, event_type) VALUES ($1, $2) ON CONFLICT DO NOTHING";

  private ProcessedEvents() {}

  /** True when {@code event} had not been recorded before (and now is, if {@code tx} commits). */
  public static Future<Boolean> firstTime(SqlConnection tx, EventEnvelope event) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(event.eventId(), event.type()))
        .map(rows -> rows.rowCount() == 1);
  }
}
