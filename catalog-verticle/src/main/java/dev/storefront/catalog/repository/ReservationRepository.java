package dev.storefront.catalog.repository;

import dev.storefront.catalog.model.Reservation;
import dev.storefront.catalog.model.Reservation.Item;
import dev.storefront.catalog.model.Reservation.Status;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stock reservations, one per order. Every change runs in one transaction that takes its locks in
 * one order: the reservation's row first, then product rows by ascending id. Two transactions thus
 * never wait for each other in a circle, and no unit of stock is sold twice: a product's row stays
 * locked from the moment its stock is read until the transaction ends.
 */
public class ReservationRepository {

  /** Problem types a caller (HTTP or a consumer of order events) can tell outcomes apart by. */
  public static final String INSUFFICIENT_STOCK = Problems.type("insufficient-stock");

  public static final String UNKNOWN_PRODUCT = Problems.type("unknown-product");
  public static final String RESERVATION_CONFLICT = Problems.type("reservation-conflict");
  public static final String NOT_FOUND = "about:blank";

  private static final String INSERT =
      "INSERT INTO stock_reservations (order_id, status) VALUES ($1, 'reserved')"
          + " ON CONFLICT (order_id) DO NOTHING RETURNING status, created_at, updated_at";
  private static final String LOCK_PRODUCTS =
      "SELECT id, stock FROM products WHERE id = ANY($1) ORDER BY id FOR UPDATE";
  private static final String TAKE_STOCK =
      "UPDATE products p SET stock = p.stock - v.quantity, version = p.version + 1,"
          + " updated_at = now() FROM unnest($1::uuid[], $2::int[]) AS v(id, quantity)"
          + " WHERE p.id = v.id AND p.stock >= v.quantity";
  private static final String INSERT_ITEMS =
      "INSERT INTO stock_reservation_items (order_id, product_id, quantity)"
          + " SELECT $1, v.id, v.quantity FROM unnest($2::uuid[], $3::int[]) AS v(id, quantity)";
  private static final String FIND =
      "SELECT status, created_at, updated_at FROM stock_reservations WHERE order_id = $1";
  private static final String FIND_ITEMS =
      "SELECT product_id, quantity FROM stock_reservation_items WHERE order_id = $1"
          + " ORDER BY product_id";
  private static final String COMMIT =
      "UPDATE stock_reservations SET status = 'committed', updated_at = now()"
          + " WHERE order_id = $1 AND status = 'reserved' RETURNING status, created_at, updated_at";
  private static final String RELEASE =
      "UPDATE stock_reservations SET status = 'released', updated_at = now()"
          + " WHERE order_id = $1 AND status = 'reserved' RETURNING status, created_at, updated_at";
  private static final String LOCK_RESERVED_PRODUCTS =
      "SELECT p.id FROM products p JOIN stock_reservation_items i ON i.product_id = p.id"
          + " WHERE i.order_id = $1 ORDER BY p.id FOR UPDATE OF p";
  private static final String RETURN_STOCK =
      "UPDATE products p SET stock = p.stock + i.quantity, version = p.version + 1,"
          + " updated_at = now() FROM stock_reservation_items i"
          + " WHERE i.order_id = $1 AND p.id = i.product_id";

  private final Pool pool;

  public ReservationRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * What a reserve or a transition did: the reservation as it is now, and whether this call changed
   * it (false when it repeated one already done).
   */
  public record Outcome(Reservation reservation, boolean changed) {}

  public Future<Optional<Reservation>> find(UUID orderId) {
    return find(pool, orderId);
  }

  /**
   * Reserves every item for the order, or nothing. The same order id again with the same items
   * answers the reservation made before and reserves nothing more; with other items it is a 409.
   */
  public Future<Outcome> reserve(UUID orderId, List<Item> items) {
    // In the database's order of ids (that of their text), as a read of the reservation gives them.
    List<Item> sorted =
        items.stream().sorted(Comparator.comparing(item -> item.productId().toString())).toList();
    UUID[] ids = sorted.stream().map(Item::productId).toArray(UUID[]::new);
    Integer[] quantities = sorted.stream().map(Item::quantity).toArray(Integer[]::new);
    return pool.withTransaction(
        conn ->
            // A concurrent call for the same order waits here until the first one ends.
            conn.preparedQuery(INSERT)
                .execute(Tuple.of(orderId))
                .compose(
                    inserted -> {
                      if (inserted.size() == 0) {
                        return find(conn, orderId).map(existing -> replay(existing.get(), sorted));
                      }
                      return conn.preparedQuery(LOCK_PRODUCTS)
                          .execute(Tuple.tuple().addArrayOfUUID(ids))
                          .compose(
                              rows -> {
                                Map<UUID, Integer> stock = new HashMap<>();
                                rows.forEach(
                                    r -> stock.put(r.getUUID("id"), r.getInteger("stock")));
                                checkAvailable(orderId, sorted, stock);
                                return conn.preparedQuery(TAKE_STOCK)
                                    .execute(
                                        Tuple.tuple()
                                            .addArrayOfUUID(ids)
                                            .addArrayOfInteger(quantities));
                              })
                          .compose(
                              taken -> {
                                if (taken.rowCount() != sorted.size()) {
                                  // Cannot happen while the rows are locked; never commit if it
                                  // somehow does.
                                  return Future.failedFuture(
                                      new IllegalStateException(
                                          "stock changed under a lock for order " + orderId));
                                }
                                return conn.preparedQuery(INSERT_ITEMS)
                                    .execute(
                                        Tuple.tuple()
                                            .addUUID(orderId)
                                            .addArrayOfUUID(ids)
                                            .addArrayOfInteger(quantities));
                              })
                          // What was just written, without reading it back.
                          .map(v -> new Outcome(reservation(orderId, inserted, sorted), true));
                    }));
  }

  /** Makes the reserved units sold. Repeating it is harmless; a released reservation is a 409. */
  public Future<Outcome> commit(UUID orderId) {
    return pool.withTransaction(conn -> commit(conn, orderId));
  }

  /** {@link #commit(UUID)} inside the caller's transaction {@code conn}. */
  public Future<Outcome> commit(SqlConnection conn, UUID orderId) {
    return conn.preparedQuery(COMMIT)
        .execute(Tuple.of(orderId))
        .compose(
            rows ->
                rows.size() == 0
                    ? alreadyIn(conn, orderId, Status.COMMITTED)
                    : items(conn, orderId)
                        .map(items -> new Outcome(reservation(orderId, rows, items), true)));
  }

  /** Puts the reserved units back in stock. Repeating it is harmless; a committed one is a 409. */
  public Future<Outcome> release(UUID orderId) {
    return pool.withTransaction(conn -> release(conn, orderId));
  }

  /** {@link #release(UUID)} inside the caller's transaction {@code conn}. */
  public Future<Outcome> release(SqlConnection conn, UUID orderId) {
    return conn.preparedQuery(RELEASE)
        .execute(Tuple.of(orderId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return alreadyIn(conn, orderId, Status.RELEASED);
              }
              return conn.preparedQuery(LOCK_RESERVED_PRODUCTS)
                  .execute(Tuple.of(orderId))
                  .compose(locked -> conn.preparedQuery(RETURN_STOCK).execute(Tuple.of(orderId)))
                  .compose(v -> items(conn, orderId))
                  .map(items -> new Outcome(reservation(orderId, rows, items), true));
            });
  }

  /**
   * Runs {@code work} in one transaction, for callers that add their own statements (a consumer
   * recording the event it applies) to a reservation change.
   */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply);
  }

  /** The answer to a transition that changed nothing: done before (200), impossible, or unknown. */
  private Future<Outcome> alreadyIn(SqlClient conn, UUID orderId, Status wanted) {
    return find(conn, orderId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Problems.fail(404, "No reservation for order " + orderId);
              }
              Reservation reservation = found.get();
              if (reservation.status() == wanted) {
                return Future.succeededFuture(new Outcome(reservation, false));
              }
              return Future.failedFuture(
                  new ProblemException(
                      409,
                      RESERVATION_CONFLICT,
                      Problems.reason(409),
                      "The reservation for order "
                          + orderId
                          + " is "
                          + reservation.status().dbValue()
                          + "; it cannot become "
                          + wanted.dbValue(),
                      new JsonObject().put("status", reservation.status().dbValue())));
            });
  }

  private static Outcome replay(Reservation existing, List<Item> sortedItems) {
    if (!quantities(existing.items()).equals(quantities(sortedItems))) {
      throw new ProblemException(
          409,
          RESERVATION_CONFLICT,
          Problems.reason(409),
          "Order "
              + existing.orderId()
              + " already has a reservation with other items; an order's reservation cannot"
              + " change",
          new JsonObject().put("reservation", existing.toJson()));
    }
    return new Outcome(existing, false);
  }

  private static Map<UUID, Integer> quantities(List<Item> items) {
    Map<UUID, Integer> map = new HashMap<>();
    items.forEach(i -> map.put(i.productId(), i.quantity()));
    return map;
  }

  private static void checkAvailable(UUID orderId, List<Item> items, Map<UUID, Integer> stock) {
    List<String> unknown = new ArrayList<>();
    JsonArray shortages = new JsonArray();
    for (Item item : items) {
      Integer available = stock.get(item.productId());
      if (available == null) {
        unknown.add(item.productId().toString());
      } else if (available < item.quantity()) {
        shortages.add(
            new JsonObject()
                .put("productId", item.productId().toString())
                .put("requested", item.quantity())
                .put("available", available));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ProblemException(
          422,
          UNKNOWN_PRODUCT,
          Problems.reason(422),
          "No product with id " + String.join(", ", unknown),
          new JsonObject().put("productIds", new JsonArray(unknown)));
    }
    if (!shortages.isEmpty()) {
      List<String> names = new ArrayList<>();
      shortages.forEach(s -> names.add(((JsonObject) s).getString("productId")));
      throw new ProblemException(
          409,
          INSUFFICIENT_STOCK,
          Problems.reason(409),
          "Not enough stock for order "
              + orderId
              + " of product(s) "
              + String.join(", ", names)
              + "; nothing was reserved",
          new JsonObject().put("shortages", shortages));
    }
  }

  private static Future<Optional<Reservation>> find(SqlClient client, UUID orderId) {
    Future<RowSet<Row>> head = client.preparedQuery(FIND).execute(Tuple.of(orderId));
    Future<List<Item>> items = items(client, orderId);
    return Future.all(head, items)
        .map(
            all ->
                head.result().size() == 0
                    ? Optional.empty()
                    : Optional.of(reservation(orderId, head.result(), items.result())));
  }

  private static Future<List<Item>> items(SqlClient client, UUID orderId) {
    return client
        .preparedQuery(FIND_ITEMS)
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              List<Item> list = new ArrayList<>();
              rows.forEach(
                  r -> list.add(new Item(r.getUUID("product_id"), r.getInteger("quantity"))));
              return list;
            });
  }

  /** The reservation from a row of its head (status, created_at, updated_at) and its items. */
  private static Reservation reservation(UUID orderId, RowSet<Row> head, List<Item> items) {
    Row row = head.iterator().next();
    return new Reservation(
        orderId,
        Status.ofDb(row.getString("status")),
        items,
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
