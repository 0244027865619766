package dev.storefront.order.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Checkout idempotency keys, per account, and the reservations checkouts left unsettled. A checkout
 * first {@linkplain #claim claims} its key (in flight, with the order id it will use); the claim
 * records what it is about to reserve before the catalog is asked ({@link #recordReservation}); the
 * transaction that writes the order {@linkplain #complete completes} it with the response to
 * replay. A refused checkout {@linkplain #release releases} its key; one whose reservation may be
 * held at the catalog without an order {@linkplain #settleLater settles it later}. A claim still in
 * flight after the lease is abandoned: the sweeper takes it over ({@link #lockNextAbandoned}), as
 * it takes over unsettled reservations ({@link #lockNextUnsettled}).
 */
public final class IdempotencyRepository {

  static final String CLAIM =
      "INSERT INTO idempotency_keys (account_id, idempotency_key, request_hash, state, order_id)"
          + " VALUES ($1, $2, $3, 'in_flight', $4) ON CONFLICT DO NOTHING";
  static final String FIND =
      "SELECT account_id, idempotency_key, request_hash, state, order_id, reserved,"
          + " response_status, response_body FROM idempotency_keys"
          + " WHERE account_id = $1 AND idempotency_key = $2";
  static final String RECORD_RESERVATION =
      "UPDATE idempotency_keys SET reserved = $4 WHERE account_id = $1 AND idempotency_key = $2"
          + " AND order_id = $3 AND state = 'in_flight'";
  static final String COMPLETE =
      "UPDATE idempotency_keys SET state = 'completed', response_status = $4,"
          + " response_body = $5, completed_at = now()"
          + " WHERE account_id = $1 AND idempotency_key = $2 AND order_id = $3"
          + " AND state = 'in_flight'";
  static final String RELEASE =
      "DELETE FROM idempotency_keys WHERE account_id = $1 AND idempotency_key = $2"
          + " AND order_id = $3 AND state = 'in_flight'";
  static final String SETTLE_LATER =
      "WITH claim AS (DELETE FROM idempotency_keys WHERE account_id = $1"
          + " AND idempotency_key = $2 AND order_id = $3 AND state = 'in_flight'"
          + " RETURNING order_id, account_id, reserved)"
          + " INSERT INTO unsettled_reservations (order_id, account_id, reserved)"
          + " SELECT order_id, account_id, reserved FROM claim WHERE reserved IS NOT NULL"
          + " ON CONFLICT DO NOTHING";
  static final String LOCK_NEXT_UNSETTLED =
      "SELECT order_id, account_id, reserved FROM unsettled_reservations"
          + " WHERE created_at < now() - make_interval(secs => $1)"
          + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED";
  static final String DELETE_UNSETTLED = "DELETE FROM unsettled_reservations WHERE order_id = $1";
  static final String LOCK_NEXT_ABANDONED =
      "SELECT account_id, idempotency_key, request_hash, state, order_id, reserved,"
          + " response_status, response_body FROM idempotency_keys"
          + " WHERE state = 'in_flight' AND created_at < now() - make_interval(secs => $1)"
          + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED";
  static final String DELETE_EXPIRED =
      "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
          + " WHERE state = 'completed' AND completed_at < now() - make_interval(secs => $1)"
          + " LIMIT $2)";

  /** Stock that may be held at the catalog for {@code orderId} although no order exists. */
  public record Unsettled(UUID orderId, String accountId, JsonObject reserved) {}

  /** A key as stored. */
  public record Key(
      String accountId,
      String key,
      String requestHash,
      boolean completed,
      UUID orderId,
      JsonObject reserved,
      Integer responseStatus,
      JsonObject responseBody) {}

  /** What claiming a key found: the claim is ours, or the key was there already. */
  public sealed interface Claim {}

  /** The key is now ours, for order {@code orderId}. */
  public record Claimed(UUID orderId) implements Claim {}

  /** An earlier request holds the key. */
  public record Existing(Key key) implements Claim {}

  private final Pool pool;

  public IdempotencyRepository(Pool pool) {
    this.pool = pool;
  }

  /** Claims {@code key} of {@code accountId} for a new order {@code orderId}. */
  public Future<Claim> claim(String accountId, String key, String requestHash, UUID orderId) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(accountId, key, requestHash, orderId))
        .compose(
            rows -> {
              if (rows.rowCount() == 1) {
                return Future.succeededFuture(new Claimed(orderId));
              }
              return find(accountId, key)
                  .compose(
                      found ->
                          found.isPresent()
                              ? Future.succeededFuture(new Existing(found.get()))
                              // Released between the insert and the read: claim again.
                              : claim(accountId, key, requestHash, orderId));
            });
  }

  public Future<Optional<Key>> find(String accountId, String key) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(accountId, key))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next())));
  }

  /**
   * Records what the claim is about to reserve, so that an abandoned claim can be undone. Fails
   * when the claim is no longer in flight (the sweeper took it over).
   */
  public Future<Void> recordReservation(
      String accountId, String key, UUID orderId, JsonObject reserved) {
    return pool.preparedQuery(RECORD_RESERVATION)
        .execute(Tuple.of(accountId, key, orderId, reserved))
        .compose(rows -> exactlyOne(rows.rowCount(), orderId));
  }

  /**
   * Completes the claim with the response to replay, in {@code tx}; fails when the claim is no
   * longer in flight, which rolls the order back.
   */
  public Future<Void> complete(
      SqlConnection tx, String accountId, String key, UUID orderId, int status, JsonObject body) {
    return tx.preparedQuery(COMPLETE)
        .execute(Tuple.of(accountId, key, orderId, status, body))
        .compose(rows -> exactlyOne(rows.rowCount(), orderId));
  }

  /** Frees the key of a checkout that created nothing. */
  public Future<Void> release(String accountId, String key, UUID orderId) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(accountId, key, orderId)).mapEmpty();
  }

  /** Frees the key in {@code tx}: the sweeper's side of {@link #release}. */
  public Future<Void> release(SqlConnection tx, Key key) {
    return tx.preparedQuery(RELEASE)
        .execute(Tuple.of(key.accountId(), key.key(), key.orderId()))
        .mapEmpty();
  }

  /**
   * Frees the key of a checkout whose reservation is unsettled (it may be held at the catalog
   * although no order was written), keeping its order id and lines for the sweeper.
   */
  public Future<Void> settleLater(String accountId, String key, UUID orderId) {
    return pool.preparedQuery(SETTLE_LATER).execute(Tuple.of(accountId, key, orderId)).mapEmpty();
  }

  /** The oldest unsettled reservation older than {@code lease} that nobody else holds, locked. */
  public Future<Optional<Unsettled>> lockNextUnsettled(SqlConnection tx, Duration lease) {
    return tx.preparedQuery(LOCK_NEXT_UNSETTLED)
        .execute(Tuple.of(lease.toMillis() / 1000.0))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Unsettled(
                      r.getUUID("order_id"),
                      r.getString("account_id"),
                      (JsonObject) r.getValue("reserved")));
            });
  }

  public Future<Void> deleteUnsettled(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(DELETE_UNSETTLED).execute(Tuple.of(orderId)).mapEmpty();
  }

  /** The oldest claim in flight for longer than {@code lease} that nobody else holds, locked. */
  public Future<Optional<Key>> lockNextAbandoned(SqlConnection tx, Duration lease) {
    return tx.preparedQuery(LOCK_NEXT_ABANDONED)
        .execute(Tuple.of(lease.toMillis() / 1000.0))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next())));
  }

  /** Forgets up to {@code limit} completed keys older than {@code retention}; how many. */
  public Future<Integer> deleteExpired(Duration retention, int limit) {
    return pool.preparedQuery(DELETE_EXPIRED)
        .execute(Tuple.of(retention.toMillis() / 1000.0, limit))
        .map(rows -> rows.rowCount());
  }

  private static Future<Void> exactlyOne(int rowCount, UUID orderId) {
    return rowCount == 1
        ? Future.succeededFuture()
        : Future.failedFuture(
            new IllegalStateException(
                "the checkout of order " + orderId + " no longer holds its idempotency key"));
  }

  private static Key key(Row r) {
    return new Key(
        r.getString("account_id"),
        r.getString("idempotency_key"),
        r.getString("request_hash"),
        "completed".equals(r.getString("state")),
        r.getUUID("order_id"),
        (JsonObject) r.getValue("reserved"),
        r.getInteger("response_status"),
        (JsonObject) r.getValue("response_body"));
  }
}
