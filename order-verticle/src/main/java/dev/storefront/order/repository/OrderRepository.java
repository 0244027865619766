package dev.storefront.order.repository;

import dev.storefront.order.model.CancelReason;
import dev.storefront.order.model.Money;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderItem;
import dev.storefront.order.model.OrderPage;
import dev.storefront.order.model.OrderStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders and their items. Writes take the connection of a transaction the caller runs, because an
 * order never changes without an event in the outbox and often not without an idempotency record.
 */
public final class OrderRepository {

  private static final String COLUMNS =
      "id, account_id, status, cancel_reason, total_minor, currency, payment_id, cart_updated_at,"
          + " created_at, updated_at, payment_deadline, version";

  static final String INSERT_ORDER =
      "INSERT INTO orders (id, account_id, status, cancel_reason, total_minor, currency,"
          + " payment_id, cart_updated_at, created_at, updated_at, payment_deadline, version)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
  static final String INSERT_ITEM =
      "INSERT INTO order_items (order_id, line, product_id, name, quantity, unit_price_minor,"
          + " currency) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  static final String FIND_OWN =
      "SELECT " + COLUMNS + " FROM orders WHERE id = $1 AND account_id = $2";
  static final String LOCK = "SELECT " + COLUMNS + " FROM orders WHERE id = $1 FOR UPDATE";
  // SKIP LOCKED: instances sweeping at the same moment each take other orders, and an order a
  // payment event is moving right now is left to that event.
  static final String LOCK_NEXT_OVERDUE =
      "SELECT "
          + COLUMNS
          + " FROM orders WHERE status = 'pending' AND payment_deadline < now()"
          + " ORDER BY payment_deadline LIMIT 1 FOR UPDATE SKIP LOCKED";
  static final String LIST_OWN =
      "SELECT "
          + COLUMNS
          + " FROM orders WHERE account_id = $1 ORDER BY created_at DESC, id DESC"
          + " LIMIT $2 OFFSET $3";
  static final String COUNT_OWN = "SELECT count(*) FROM orders WHERE account_id = $1";
  // One account's checkouts take turns at writing an order (the lock lasts the transaction).
  static final String LOCK_ACCOUNT = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
  static final String ORDER_OF_CART =
      "SELECT id FROM orders WHERE account_id = $1 AND cart_updated_at = $2"
          + " AND status <> 'cancelled' LIMIT 1";
  static final String ITEMS =
      "SELECT order_id, product_id, name, quantity, unit_price_minor, currency FROM order_items"
          + " WHERE order_id = ANY($1) ORDER BY order_id, line";
  static final String UPDATE_STATUS =
      "UPDATE orders SET status = $2, cancel_reason = $3, payment_id = $4, updated_at = $5,"
          + " version = $6 WHERE id = $1 AND version = $7";

  private final Pool pool;

  public OrderRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * The order, pending or confirmed, that an account already placed for its cart as it stood at
   * {@code cartUpdatedAt}; empty when there is none (a cancelled one does not count: that cart may
   * be checked out again). On {@code client}: the pool, or a transaction that holds {@link
   * #lockAccount}.
   */
  public Future<Optional<UUID>> orderOfCart(
      SqlClient client, String accountId, Instant cartUpdatedAt) {
    if (cartUpdatedAt == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return client
        .preparedQuery(ORDER_OF_CART)
        .execute(Tuple.of(accountId, offset(cartUpdatedAt)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /** Holds the account's checkout lock until {@code tx} ends. */
  public Future<Void> lockAccount(SqlConnection tx, String accountId) {
    return tx.preparedQuery(LOCK_ACCOUNT).execute(Tuple.of(accountId)).mapEmpty();
  }

  /** Writes a new order and its items. */
  public Future<Void> insert(SqlConnection tx, Order order) {
    Tuple head =
        Tuple.tuple()
            .addUUID(order.id())
            .addString(order.accountId())
            .addString(order.status().value())
            .addString(order.cancelReason() == null ? null : order.cancelReason().value())
            .addLong(order.total().amountMinor())
            .addString(order.total().currency())
            .addUUID(order.paymentId())
            .addOffsetDateTime(offset(order.cartUpdatedAt()))
            .addOffsetDateTime(offset(order.createdAt()))
            .addOffsetDateTime(offset(order.updatedAt()))
            .addOffsetDateTime(offset(order.paymentDeadline()))
            .addInteger(order.version());
    List<Tuple> items = new ArrayList<>();
    for (int i = 0; i < order.items().size(); i++) {
      OrderItem item = order.items().get(i);
      items.add(
          Tuple.of(
              order.id(),
              i,
              item.productId(),
              item.name(),
              item.quantity(),
              item.unitPrice().amountMinor(),
              item.unitPrice().currency()));
    }
    return tx.preparedQuery(INSERT_ORDER)
        .execute(head)
        .compose(v -> tx.preparedQuery(INSERT_ITEM).executeBatch(items))
        .mapEmpty();
  }

  /** The order {@code id} if it belongs to {@code accountId}; empty otherwise. */
  public Future<Optional<Order>> findOwn(UUID id, String accountId) {
    return pool.withConnection(
        conn ->
            conn.preparedQuery(FIND_OWN)
                .execute(Tuple.of(id, accountId))
                .compose(rows -> withItems(conn, rows))
                .map(orders -> orders.stream().findFirst()));
  }

  /** Page {@code page} (from 1) of {@code accountId}'s orders, newest first. */
  public Future<OrderPage> listOwn(String accountId, int page, int size) {
    long offset = (long) (page - 1) * size;
    return pool.withConnection(
        conn ->
            conn.preparedQuery(COUNT_OWN)
                .execute(Tuple.of(accountId))
                .compose(
                    count ->
                        conn.preparedQuery(LIST_OWN)
                            .execute(Tuple.of(accountId, size, offset))
                            .compose(rows -> withItems(conn, rows))
                            .map(
                                orders ->
                                    new OrderPage(
                                        orders, page, size, count.iterator().next().getLong(0)))));
  }

  /** The order {@code id}, locked until {@code tx} ends; empty when there is none. */
  public Future<Optional<Order>> lock(SqlConnection tx, UUID id) {
    return tx.preparedQuery(LOCK)
        .execute(Tuple.of(id))
        .compose(rows -> withItems(tx, rows))
        .map(orders -> orders.stream().findFirst());
  }

  /** The pending order longest past its payment deadline that nobody else holds, locked. */
  public Future<Optional<Order>> lockNextOverdue(SqlConnection tx) {
    return tx.preparedQuery(LOCK_NEXT_OVERDUE)
        .execute()
        .compose(rows -> withItems(tx, rows))
        .map(orders -> orders.stream().findFirst());
  }

  /**
   * Saves {@code updated}, a transition of {@code previous}; fails should the order have changed
   * since it was read (it is read locked, so that would be a bug).
   */
  public Future<Void> saveTransition(SqlConnection tx, Order previous, Order updated) {
    Tuple args =
        Tuple.tuple()
            .addUUID(updated.id())
            .addString(updated.status().value())
            .addString(updated.cancelReason() == null ? null : updated.cancelReason().value())
            .addUUID(updated.paymentId())
            .addOffsetDateTime(offset(updated.updatedAt()))
            .addInteger(updated.version())
            .addInteger(previous.version());
    return tx.preparedQuery(UPDATE_STATUS)
        .execute(args)
        .compose(
            rows ->
                rows.rowCount() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "order " + updated.id() + " changed while it was being moved")));
  }

  private static Future<List<Order>> withItems(
      SqlClient client, io.vertx.sqlclient.RowSet<Row> heads) {
    List<Row> rows = new ArrayList<>();
    heads.forEach(rows::add);
    if (rows.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = rows.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
    return client
        .preparedQuery(ITEMS)
        .execute(Tuple.tuple().addArrayOfUUID(ids))
        .map(
            itemRows -> {
              Map<UUID, List<OrderItem>> byOrder = new HashMap<>();
              for (Row r : itemRows) {
                byOrder
                    .computeIfAbsent(r.getUUID("order_id"), k -> new ArrayList<>())
                    .add(
                        new OrderItem(
                            r.getUUID("product_id"),
                            r.getString("name"),
                            r.getInteger("quantity"),
                            new Money(r.getLong("unit_price_minor"), r.getString("currency"))));
              }
              return rows.stream()
                  .map(r -> order(r, byOrder.getOrDefault(r.getUUID("id"), List.of())))
                  .toList();
            });
  }

  private static Order order(Row r, List<OrderItem> items) {
    String reason = r.getString("cancel_reason");
    return new Order(
        r.getUUID("id"),
        r.getString("account_id"),
        OrderStatus.of(r.getString("status")),
        reason == null ? null : CancelReason.of(reason),
        items,
        new Money(r.getLong("total_minor"), r.getString("currency")),
        r.getUUID("payment_id"),
        instant(r.getOffsetDateTime("cart_updated_at")),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")),
        instant(r.getOffsetDateTime("payment_deadline")),
        r.getInteger("version"));
  }

  private static OffsetDateTime offset(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
