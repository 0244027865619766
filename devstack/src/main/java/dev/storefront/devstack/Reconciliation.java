package dev.storefront.devstack;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audits the whole system's data after the fact, across the services' schemas, the way an operator
 * (or a test after a chaos run) checks that checkout lost and doubled nothing:
 *
 * <ul>
 *   <li>every order is in exactly one final state: none still pending past its payment deadline;
 *   <li>every confirmed order has exactly one successful payment, for the order's total;
 *   <li>no cancelled order keeps money: its payment is failed, voided or refunded;
 *   <li>no payment exists without an order;
 *   <li>stock is conserved: for every product, units ever put on sale = on sale + reserved + sold;
 *   <li>every order's stock reservation matches its state (pending: reserved, confirmed: committed,
 *       cancelled: released), and no reservation is left without an order;
 *   <li>no outbox event waits unpublished;
 *   <li>no outbox event holds a card number (a string of 12 to 19 digits): cards are named by
 *       payment tokens everywhere outside the payment service's sealed store;
 *   <li>every confirmed order and every failed payment was told to its shopper (in the in-app feed,
 *       which every notification enters), no order was told the same thing twice, and no e-mail or
 *       webhook delivery is overdue (one that gave up is a figure, not a finding: the receiver may
 *       be gone).
 * </ul>
 *
 * <p>The saga settles asynchronously, so anything younger than {@code grace} is not yet a finding.
 * It reads only, as the database administrator (it is an operator's tool: services never read each
 * other's tables). A check whose tables do not exist yet is reported as skipped.
 */
public final class Reconciliation {

  /** One thing that is wrong: which check found it, about what, and what exactly. */
  public record Finding(String check, String subject, String detail) {}

  /** What the audit saw and what it found; clean when nothing was found. */
  public record Report(Map<String, Long> figures, List<Finding> findings, List<String> skipped) {

    public boolean clean() {
      return findings.isEmpty();
    }

    public void print(PrintStream out) {
      out.println("Figures:");
      figures.forEach((name, value) -> out.printf("  %-28s %d%n", name, value));
      skipped.forEach(check -> out.println("Skipped (tables missing): " + check));
      if (findings.isEmpty()) {
        out.println("Clean: no findings.");
        return;
      }
      out.println("Findings: " + findings.size());
      findings.forEach(f -> out.printf("  [%s] %s: %s%n", f.check(), f.subject(), f.detail()));
    }
  }

  /**
   * A check's query yields (subject, detail) rows; every parameter of a graced one is the grace in
   * seconds.
   */
  private record Check(String name, List<String> tables, String sql, boolean graced) {

    Check(String name, List<String> tables, String sql) {
      this(name, tables, sql, true);
    }
  }

  /** Events of an outbox with a JSON string of 12 to 19 digits anywhere: a card number. */
  private static final String CARD_NUMBER_IN =
      "SELECT event_id::text, event_type || ' for ' || event_key || ' holds a card number'"
          + " FROM %s WHERE payload::text ~ '\"[0-9]{12,19}\"'";

  private static final List<Check> CHECKS =
      List.of(
          new Check(
              "order-pending-past-deadline",
              List.of("orders.orders"),
              "SELECT id::text, 'pending since ' || created_at || ', deadline ' || payment_deadline"
                  + " FROM orders.orders WHERE status = 'pending'"
                  + " AND payment_deadline < now() - make_interval(secs => ?)"),
          new Check(
              "confirmed-order-without-one-payment",
              List.of("orders.orders", "payments.payments"),
              "SELECT o.id::text, count(p.id) || ' successful payments'"
                  + " FROM orders.orders o LEFT JOIN payments.payments p"
                  + " ON p.order_id = o.id AND p.status = 'succeeded'"
                  + " WHERE o.status = 'confirmed' AND o.updated_at < now() - make_interval(secs => ?)"
                  + " GROUP BY o.id HAVING count(p.id) <> 1"),
          new Check(
              "payment-amount-differs-from-order",
              List.of("orders.orders", "payments.payments"),
              "SELECT o.id::text, 'order ' || o.total_minor || ' ' || o.currency"
                  + " || ', payment ' || p.amount_minor || ' ' || p.currency"
                  + " FROM orders.orders o JOIN payments.payments p ON p.order_id = o.id"
                  + " WHERE p.status = 'succeeded' AND p.updated_at < now() - make_interval(secs => ?)"
                  + " AND (p.amount_minor <> o.total_minor OR p.currency <> o.currency)"),
          new Check(
              "cancelled-order-still-charged",
              List.of("orders.orders", "payments.payments"),
              "SELECT o.id::text, 'payment ' || p.id || ' is ' || p.status"
                  + " FROM orders.orders o JOIN payments.payments p ON p.order_id = o.id"
                  + " WHERE o.status = 'cancelled' AND p.status IN ('succeeded', 'pending')"
                  + " AND o.updated_at < now() - make_interval(secs => ?)"),
          new Check(
              "payment-without-order",
              List.of("orders.orders", "payments.payments"),
              "SELECT p.id::text, 'for unknown order ' || p.order_id || ', ' || p.status"
                  + " FROM payments.payments p"
                  // A voided payment never charged anything: it only marks an order id, perhaps
                  // of a checkout abandoned before its order was written, as never to be charged.
                  + " WHERE p.status <> 'voided'"
                  + " AND p.created_at < now() - make_interval(secs => ?)"
                  + " AND NOT EXISTS (SELECT 1 FROM orders.orders o WHERE o.id = p.order_id)"),
          new Check(
              "stock-not-conserved",
              List.of("catalog.products.stock_received", "catalog.stock_reservations"),
              "SELECT p.id::text, 'received ' || p.stock_received || ' <> on sale ' || p.stock"
                  + " || ' + reserved ' || coalesce(r.reserved, 0) || ' + sold ' || coalesce(r.sold, 0)"
                  + " FROM catalog.products p LEFT JOIN ("
                  + "   SELECT i.product_id,"
                  + "     sum(i.quantity) FILTER (WHERE s.status = 'reserved') AS reserved,"
                  + "     sum(i.quantity) FILTER (WHERE s.status = 'committed') AS sold"
                  + "   FROM catalog.stock_reservation_items i"
                  + "   JOIN catalog.stock_reservations s ON s.order_id = i.order_id"
                  + "   GROUP BY i.product_id) r ON r.product_id = p.id"
                  + " WHERE p.stock_received <> p.stock + coalesce(r.reserved, 0) + coalesce(r.sold, 0)",
              // Stock and reservations change in one transaction: this holds at every commit.
              false),
          new Check(
              "reservation-differs-from-order",
              List.of("orders.orders", "catalog.stock_reservations"),
              "SELECT o.id::text, 'order ' || o.status || ', reservation '"
                  + " || coalesce(s.status, 'missing')"
                  + " FROM orders.orders o"
                  + " LEFT JOIN catalog.stock_reservations s ON s.order_id = o.id"
                  + " WHERE o.updated_at < now() - make_interval(secs => ?)"
                  + " AND coalesce(s.status, 'missing') <> CASE o.status"
                  + "   WHEN 'pending' THEN 'reserved' WHEN 'confirmed' THEN 'committed'"
                  + "   ELSE 'released' END"),
          new Check(
              "reservation-without-order",
              List.of("orders.orders", "catalog.stock_reservations"),
              "SELECT s.order_id::text, 'reservation ' || s.status || ' since ' || s.created_at"
                  + " FROM catalog.stock_reservations s"
                  + " WHERE s.status <> 'released'"
                  + " AND s.created_at < now() - make_interval(secs => ?)"
                  + " AND NOT EXISTS (SELECT 1 FROM orders.orders o WHERE o.id = s.order_id)"),
          new Check(
              "order-event-unpublished",
              List.of("orders.outbox"),
              "SELECT event_id::text, event_type || ' for ' || event_key || ' waiting since '"
                  + " || created_at FROM orders.outbox WHERE published_at IS NULL"
                  + " AND created_at < now() - make_interval(secs => ?)"),
          new Check(
              "payment-event-unpublished",
              List.of("payments.outbox"),
              "SELECT event_id::text, event_type || ' for ' || event_key || ' waiting since '"
                  + " || created_at FROM payments.outbox WHERE published_at IS NULL"
                  + " AND created_at < now() - make_interval(secs => ?)"),
          new Check(
              "card-number-in-order-events",
              List.of("orders.outbox"),
              CARD_NUMBER_IN.formatted("orders.outbox"),
              false),
          new Check(
              "card-number-in-payment-events",
              List.of("payments.outbox"),
              CARD_NUMBER_IN.formatted("payments.outbox"),
              false),
          new Check(
              "notification-confirmed-order-untold",
              List.of("orders.orders", "notifications.feed"),
              "SELECT o.id::text, 'confirmed at ' || o.updated_at || ', no order.confirmed"
                  + " notification' FROM orders.orders o WHERE o.status = 'confirmed'"
                  + " AND o.updated_at < now() - make_interval(secs => ?)"
                  + " AND NOT EXISTS (SELECT 1 FROM notifications.feed f"
                  + "   WHERE f.order_id = o.id AND f.kind = 'order.confirmed')"),
          new Check(
              "notification-failed-payment-untold",
              List.of("payments.payments", "notifications.feed"),
              "SELECT p.order_id::text, 'payment ' || p.id || ' failed at ' || p.updated_at"
                  + " || ', no payment.failed notification' FROM payments.payments p"
                  + " WHERE p.status = 'failed' AND p.updated_at < now() - make_interval(secs => ?)"
                  + " AND NOT EXISTS (SELECT 1 FROM notifications.feed f"
                  + "   WHERE f.order_id = p.order_id AND f.kind = 'payment.failed')"),
          new Check(
              "notification-doubled",
              List.of("notifications.feed"),
              "SELECT order_id::text, count(*) || ' ' || kind || ' notifications'"
                  + " FROM notifications.feed WHERE order_id IS NOT NULL"
                  + " GROUP BY order_id, kind HAVING count(*) > 1",
              // One order changes state once per kind: a second notification is never right.
              false),
          new Check(
              "notification-delivery-overdue",
              List.of("notifications.deliveries"),
              "SELECT id::text, channel || ' ' || kind || ' to ' || destination || ', ' || status"
                  + " || ' after ' || attempts || ' attempt(s), due since ' || next_attempt_at"
                  + " FROM notifications.deliveries"
                  + " WHERE (status = 'pending' AND next_attempt_at < now() - make_interval(secs => ?))"
                  + " OR (status = 'sending' AND lease_until < now() - make_interval(secs => ?))"));

  private static final Map<String, List<String>> FIGURES = new LinkedHashMap<>();

  static {
    FIGURES.put(
        "orders by status",
        List.of("orders.orders", "SELECT status, count(*) FROM orders.orders GROUP BY status"));
    FIGURES.put(
        "payments by status",
        List.of(
            "payments.payments", "SELECT status, count(*) FROM payments.payments GROUP BY status"));
    FIGURES.put(
        "notification deliveries",
        List.of(
            "notifications.deliveries",
            "SELECT channel || ' ' || status, count(*) FROM notifications.deliveries"
                + " GROUP BY channel, status"));
    FIGURES.put(
        "units",
        List.of(
            "catalog.products.stock_received",
            "SELECT 'on sale', coalesce(sum(stock), 0) FROM catalog.products UNION ALL"
                + " SELECT 'ever received', coalesce(sum(stock_received), 0) FROM catalog.products"));
  }

  private Reconciliation() {}

  /** Runs every check; findings younger than {@code grace} are left for the saga to settle. */
  public static Report audit(Connection db, Duration grace) throws SQLException {
    Map<String, Long> figures = new LinkedHashMap<>();
    List<Finding> findings = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (var figure : FIGURES.entrySet()) {
      if (!exist(db, List.of(figure.getValue().get(0)))) {
        continue;
      }
      try (PreparedStatement query = db.prepareStatement(figure.getValue().get(1));
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          figures.put(figure.getKey() + ": " + rows.getString(1), rows.getLong(2));
        }
      }
    }
    for (Check check : CHECKS) {
      if (!exist(db, check.tables())) {
        skipped.add(check.name());
        continue;
      }
      try (PreparedStatement query = db.prepareStatement(check.sql())) {
        if (check.graced()) {
          // Every parameter of a graced check is the grace.
          int parameters = query.getParameterMetaData().getParameterCount();
          for (int i = 1; i <= parameters; i++) {
            query.setDouble(i, grace.toMillis() / 1000.0);
          }
        }
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            findings.add(new Finding(check.name(), rows.getString(1), rows.getString(2)));
          }
        }
      }
    }
    return new Report(figures, findings, skipped);
  }

  /** Whether every {@code schema.table} (or {@code schema.table.column}) exists. */
  private static boolean exist(Connection db, List<String> names) throws SQLException {
    for (String name : names) {
      String[] parts = name.split("\\.");
      String sql =
          parts.length == 3
              ? "SELECT EXISTS (SELECT 1 FROM information_schema.columns"
                  + " WHERE table_schema = ? AND table_name = ? AND column_name = ?)"
              : "SELECT to_regclass(? || '.' || ?) IS NOT NULL";
      try (PreparedStatement query = db.prepareStatement(sql)) {
        for (int i = 0; i < parts.length; i++) {
          query.setString(i + 1, parts[i]);
        }
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          if (!rows.getBoolean(1)) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
