package dev.storefront.notification.repository;

import dev.storefront.notification.model.OrderContact;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** Each order's contact, from its {@code OrderCreated}, in {@code order_contacts}. */
public class ContactRepository {

  static final String INSERT =
      "INSERT INTO order_contacts (order_id, account_id, email) VALUES ($1, $2, $3)"
          + " ON CONFLICT (order_id) DO NOTHING";
  static final String KNOWN = "SELECT 1 FROM order_contacts WHERE order_id = $1";
  static final String FIND =
      "SELECT order_id, account_id, email FROM order_contacts WHERE order_id = $1";

  private final Pool pool;

  public ContactRepository(Pool pool) {
    this.pool = pool;
  }

  /** Records {@code contact} in the caller's transaction; the first one of an order stays. */
  public Future<Void> record(SqlConnection tx, OrderContact contact) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(contact.orderId(), contact.accountId(), contact.email()))
        .mapEmpty();
  }

  /** Whether the order's {@code OrderCreated} has been recorded, in the caller's transaction. */
  public Future<Boolean> known(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(KNOWN).execute(Tuple.of(orderId)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<OrderContact>> find(UUID orderId) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(orderId))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.<OrderContact>empty()
                    : Optional.of(toContact(rows.iterator().next())));
  }

  private static OrderContact toContact(Row row) {
    return new OrderContact(
        row.getUUID("order_id"), row.getString("account_id"), row.getString("email"));
  }
}
