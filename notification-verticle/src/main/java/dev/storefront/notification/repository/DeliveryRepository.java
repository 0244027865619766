package dev.storefront.notification.repository;

import dev.storefront.notification.model.Channel;
import dev.storefront.notification.model.Delivery;
import dev.storefront.notification.model.DeliveryStatus;
import dev.storefront.notification.model.NewDelivery;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery log, {@code deliveries}. Rows are written in the consumer's transaction; dispatchers
 * claim due ones ({@code FOR UPDATE SKIP LOCKED}, so processes never claim the same row), hold them
 * under a lease while sending, and record the outcome only if they still hold that lease: a claim
 * that expired (its process was taken for dead) and went to another process is the other's now.
 */
public class DeliveryRepository {

  /** The prefix of {@code last_error} while an e-mail waits for its order's contact. */
  public static final String NO_CONTACT = "no contact known yet for order";

  private static final String COLUMNS =
      "id, event_id, channel, destination, kind, account_id, order_id, payload, status, attempts,"
          + " lease_until, last_error, created_at, updated_at, sent_at";

  static final String INSERT =
      "INSERT INTO deliveries (id, event_id, channel, destination, kind, account_id, order_id,"
          + " payload, status, attempts, sent_at)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
          + " CASE WHEN $9 = 'sent' THEN 1 ELSE 0 END,"
          + " CASE WHEN $9 = 'sent' THEN now() END)"
          + " ON CONFLICT (event_id, channel, destination) DO NOTHING";

  static final String CLAIM =
      "UPDATE deliveries d SET status = 'sending', updated_at = now(),"
          + " lease_until = now() + $2::float8 * interval '1 millisecond'"
          + " FROM (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()"
          + " ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due"
          + " WHERE d.id = due.id RETURNING "
          + prefixed("d.");

  static final String RELEASE_EXPIRED =
      "UPDATE deliveries SET status = 'pending', lease_until = NULL, updated_at = now()"
          + " WHERE status = 'sending' AND lease_until < now()";

  private static final String HELD = " WHERE id = $1 AND status = 'sending' AND lease_until = $2";

  static final String SENT =
      "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = now(),"
          + " lease_until = NULL, updated_at = now()"
          + HELD;
  static final String RETRY =
      "UPDATE deliveries SET status = 'pending', attempts = attempts + 1, last_error = $4,"
          + " next_attempt_at = now() + $3::float8 * interval '1 millisecond',"
          + " lease_until = NULL, updated_at = now()"
          + HELD;
  static final String POSTPONE =
      "UPDATE deliveries SET status = 'pending', last_error = $4,"
          + " next_attempt_at = now() + $3::float8 * interval '1 millisecond',"
          + " lease_until = NULL, updated_at = now()"
          + HELD;
  static final String FAIL =
      "UPDATE deliveries SET status = 'failed', attempts = attempts + $3, last_error = $4,"
          + " lease_until = NULL, updated_at = now()"
          + HELD;
  static final String SKIP =
      "UPDATE deliveries SET status = 'skipped', last_error = $3, lease_until = NULL,"
          + " updated_at = now()"
          + HELD;

  // An order's e-mails waiting for its contact go now; those that gave up waiting start over.
  static final String WAKE_EMAILS =
      "UPDATE deliveries SET next_attempt_at = now(), updated_at = now(),"
          + " attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,"
          + " status = 'pending'"
          + " WHERE channel = 'email' AND order_id = $1"
          + " AND (status = 'pending' OR (status = 'failed' AND starts_with(last_error, $2)))";

  static final String PENDING_BY_CHANNEL =
      "SELECT channel, count(*) FROM deliveries WHERE status IN ('pending', 'sending')"
          + " GROUP BY channel";

  static final String WEBHOOK_PAGE =
      "SELECT "
          + COLUMNS
          + " FROM deliveries WHERE channel = 'webhook' AND destination = $1"
          + " ORDER BY created_at DESC, id LIMIT $2 OFFSET $3";
  static final String WEBHOOK_COUNT =
      "SELECT count(*) FROM deliveries WHERE channel = 'webhook' AND destination = $1";

  private final Pool pool;

  public DeliveryRepository(Pool pool) {
    this.pool = pool;
  }

  /** A page of a webhook's delivery log and the log's length. */
  public record Page(List<Delivery> items, long total) {}

  /** Adds {@code rows} in the caller's transaction; a row already there (same key) stays as is. */
  public Future<Void> insert(SqlConnection tx, List<NewDelivery> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (NewDelivery row : rows) {
      batch.add(
          Tuple.from(
              new Object[] {
                row.id(),
                row.eventId(),
                row.channel().dbValue(),
                row.destination(),
                row.kind(),
                row.accountId(),
                row.orderId(),
                row.payload(),
                row.status().dbValue()
              }));
    }
    return tx.preparedQuery(INSERT).executeBatch(batch).mapEmpty();
  }

  /** Claims up to {@code limit} due deliveries for {@code lease}; they are {@code sending} now. */
  public Future<List<Delivery>> claim(int limit, Duration lease) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(limit, (double) lease.toMillis()))
        .map(
            rows -> {
              List<Delivery> claimed = new ArrayList<>();
              rows.forEach(row -> claimed.add(toDelivery(row)));
              return claimed;
            });
  }

  /** Puts deliveries whose claim expired back to {@code pending}; gives how many. */
  public Future<Integer> releaseExpired() {
    return pool.preparedQuery(RELEASE_EXPIRED).execute().map(rows -> rows.rowCount());
  }

  /** Each of these is true when recorded, false when the claim was no longer this process's. */
  public Future<Boolean> sent(Delivery held) {
    return held(SENT, Tuple.of(held.id(), held.leaseUntil()));
  }

  /** Counts an attempt and makes the delivery due again in {@code delayMillis}. */
  public Future<Boolean> retry(Delivery held, long delayMillis, String error) {
    return held(RETRY, Tuple.of(held.id(), held.leaseUntil(), (double) delayMillis, error));
  }

  /** Makes the delivery due again in {@code delayMillis} without counting an attempt. */
  public Future<Boolean> postpone(Delivery held, long delayMillis, String reason) {
    return held(POSTPONE, Tuple.of(held.id(), held.leaseUntil(), (double) delayMillis, reason));
  }

  /** Gives up; {@code attempted} says whether this was an attempt to count. */
  public Future<Boolean> fail(Delivery held, boolean attempted, String error) {
    return held(FAIL, Tuple.of(held.id(), held.leaseUntil(), attempted ? 1 : 0, error));
  }

  /** Nothing to send it to. */
  public Future<Boolean> skip(Delivery held, String reason) {
    return held(SKIP, Tuple.of(held.id(), held.leaseUntil(), reason));
  }

  private Future<Boolean> held(String sql, Tuple tuple) {
    return pool.preparedQuery(sql).execute(tuple).map(rows -> rows.rowCount() == 1);
  }

  /**
   * In the caller's transaction that recorded the contact of {@code orderId}: its e-mails waiting
   * for it are due now. Gives how many.
   */
  public Future<Integer> wakeEmails(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(WAKE_EMAILS)
        .execute(Tuple.of(orderId, NO_CONTACT))
        .map(rows -> rows.rowCount());
  }

  /** Deliveries not yet done (pending or being sent), by channel; every channel is present. */
  public Future<Map<Channel, Long>> pendingByChannel() {
    return pool.preparedQuery(PENDING_BY_CHANNEL)
        .execute()
        .map(
            rows -> {
              Map<Channel, Long> counts = new EnumMap<>(Channel.class);
              for (Channel channel : Channel.values()) {
                counts.put(channel, 0L);
              }
              rows.forEach(row -> counts.put(Channel.fromDb(row.getString(0)), row.getLong(1)));
              return counts;
            });
  }

  /** The delivery log of webhook {@code webhookId}, newest first. */
  public Future<Page> webhookLog(UUID webhookId, int page, int size) {
    String destination = webhookId.toString();
    return pool.preparedQuery(WEBHOOK_COUNT)
        .execute(Tuple.of(destination))
        .compose(
            counted -> {
              long total = counted.iterator().next().getLong(0);
              return pool.preparedQuery(WEBHOOK_PAGE)
                  .execute(Tuple.of(destination, size, (long) (page - 1) * size))
                  .map(
                      rows -> {
                        List<Delivery> items = new ArrayList<>();
                        rows.forEach(row -> items.add(toDelivery(row)));
                        return new Page(items, total);
                      });
            });
  }

  private static String prefixed(String prefix) {
    StringBuilder columns = new StringBuilder();
    for (String column : COLUMNS.split(",\\s*")) {
      if (columns.length() > 0) {
        columns.append(", ");
      }
      columns.append(prefix).append(column);
    }
    return columns.toString();
  }

  static Delivery toDelivery(Row row) {
    return new Delivery(
        row.getUUID("id"),
        row.getUUID("event_id"),
        Channel.fromDb(row.getString("channel")),
        row.getString("destination"),
        row.getString("kind"),
        row.getString("account_id"),
        row.getUUID("order_id"),
        row.getJsonObject("payload"),
        DeliveryStatus.fromDb(row.getString("status")),
        row.getInteger("attempts"),
        row.getOffsetDateTime("lease_until"),
        row.getString("last_error"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("sent_at"));
  }
}
