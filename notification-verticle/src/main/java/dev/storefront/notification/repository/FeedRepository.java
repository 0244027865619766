package dev.storefront.notification.repository;

import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.Notification;
import dev.storefront.notification.model.NotificationKind;
import dev.storefront.notification.model.NotificationPage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The in-app feed in the {@code feed} and {@code feed_heads} tables (see migration V2). */
public class FeedRepository {

  static final String NEXT_SEQ =
      "INSERT INTO feed_heads (account_id, last_seq) VALUES ($1, 1) "
          + "ON CONFLICT (account_id) DO UPDATE SET last_seq = feed_heads.last_seq + 1 "
          + "RETURNING last_seq";

  static final String INSERT =
      "INSERT INTO feed (account_id, seq, event_id, kind, title, body, order_id, data) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (account_id, event_id) DO NOTHING";

  /** Gives back a number drawn for an event already in the feed; the head row is still ours. */
  static final String RETURN_SEQ =
      "UPDATE feed_heads SET last_seq = last_seq - 1 WHERE account_id = $1 AND last_seq = $2";

  static final String HEAD = "SELECT last_seq FROM feed_heads WHERE account_id = $1";

  private static final String COLUMNS =
      "seq, kind, title, body, order_id, data, read_at IS NOT NULL AS read, created_at";

  /** {@code $2} null: every notification; true: the unread ones; false: the read ones. */
  private static final String FILTER =
      "account_id = $1 AND ($2::boolean IS NULL OR (read_at IS NULL) = $2)";

  static final String PAGE =
      "SELECT " + COLUMNS + " FROM feed WHERE " + FILTER + " ORDER BY seq DESC LIMIT $3 OFFSET $4";

  static final String COUNTS =
      "SELECT count(*) FILTER (WHERE $2::boolean IS NULL OR (read_at IS NULL) = $2) AS total, "
          + "count(*) FILTER (WHERE read_at IS NULL) AS unread FROM feed WHERE account_id = $1";

  static final String AFTER =
      "SELECT " + COLUMNS + " FROM feed WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

  /** The first time it was read stays; reading again changes nothing. */
  static final String MARK_READ =
      "UPDATE feed SET read_at = coalesce(read_at, now()) WHERE account_id = $1 AND seq = $2";

  static final String MARK_UNREAD =
      "UPDATE feed SET read_at = NULL WHERE account_id = $1 AND seq = $2";

  protected final Pool pool;

  public FeedRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Appends {@code notification} to its account's feed inside the caller's transaction {@code tx}
   * and gives its number in the feed, or 0 when the event was already there. The account's head row
   * stays locked until {@code tx} ends, so keep the transaction short; announce the number with
   * {@link dev.storefront.notification.stream.LiveFeed#announce} once it has committed.
   */
  public Future<Long> append(SqlConnection tx, NewNotification notification) {
    return tx.preparedQuery(NEXT_SEQ)
        .execute(Tuple.of(notification.accountId()))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(
            seq ->
                tx.preparedQuery(INSERT)
                    .execute(
                        Tuple.from(
                            new Object[] {
                              notification.accountId(),
                              seq,
                              notification.eventId(),
                              notification.kind().wireName(),
                              notification.title(),
                              notification.body(),
                              notification.orderId(),
                              notification.data()
                            }))
                    .compose(
                        rows ->
                            rows.rowCount() == 1
                                ? Future.succeededFuture(seq)
                                // A repeat: the number goes back, so the feed stays 1, 2, 3…
                                // without holes (the head row is still locked by tx).
                                : tx.preparedQuery(RETURN_SEQ)
                                    .execute(Tuple.of(notification.accountId(), seq))
                                    .map(0L)));
  }

  /**
   * Page {@code page} (from 1) of {@code size} of the account's notifications, newest first; {@code
   * unread} null for all of them, true for the unread ones only, false for the read ones only.
   */
  public Future<NotificationPage> page(String accountId, int page, int size, Boolean unread) {
    long offset = (long) (page - 1) * size;
    return pool.withConnection(
        conn ->
            conn.preparedQuery(COUNTS)
                .execute(Tuple.of(accountId, unread))
                .compose(
                    counts ->
                        conn.preparedQuery(PAGE)
                            .execute(Tuple.of(accountId, unread, size, offset))
                            .map(
                                rows -> {
                                  Row count = counts.iterator().next();
                                  return new NotificationPage(
                                      notifications(rows),
                                      page,
                                      size,
                                      count.getLong("total"),
                                      count.getLong("unread"));
                                })));
  }

  /**
   * Marks the account's notification {@code id} read ({@code read} true) or unread; true when the
   * account has such a notification. Marking twice is the same as once.
   */
  public Future<Boolean> mark(String accountId, long id, boolean read) {
    return pool.preparedQuery(read ? MARK_READ : MARK_UNREAD)
        .execute(Tuple.of(accountId, id))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * At most {@code limit} of the account's notifications numbered above {@code after}, in number
   * order. Numbers commit in order (see migration V2), so nothing below the last one returned can
   * still appear later.
   */
  public Future<List<Notification>> after(String accountId, long after, int limit) {
    return pool.preparedQuery(AFTER)
        .execute(Tuple.of(accountId, after, limit))
        .map(FeedRepository::notifications);
  }

  /** The number of the account's latest committed notification; 0 for an empty feed. */
  public Future<Long> head(String accountId) {
    return pool.preparedQuery(HEAD)
        .execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  private static List<Notification> notifications(RowSet<Row> rows) {
    List<Notification> list = new ArrayList<>(rows.size());
    for (Row row : rows) {
      list.add(
          new Notification(
              row.getLong("seq"),
              NotificationKind.fromWireName(row.getString("kind")),
              row.getString("title"),
              row.getString("body"),
              row.getUUID("order_id"),
              row.getJsonObject("data"),
              row.getBoolean("read"),
              row.getOffsetDateTime("created_at").toInstant()));
    }
    return list;
  }
}
