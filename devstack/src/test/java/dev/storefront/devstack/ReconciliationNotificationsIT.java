package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit's notification checks (and its search for card numbers in the order outbox) against a
 * throwaway database holding just the columns they read: an order, a payment, the order outbox and
 * the notification service's feed and delivery log.
 */
class ReconciliationNotificationsIT {

  private ThrowawayDatabase database;
  private Connection db;

  @BeforeEach
  void schemas() throws SQLException {
    database = ThrowawayDatabase.create("recon");
    db = database.adminConnection();
    execute(
        "CREATE SCHEMA IF NOT EXISTS orders",
        "CREATE SCHEMA IF NOT EXISTS payments",
        "CREATE SCHEMA IF NOT EXISTS notifications",
        "CREATE TABLE orders.orders (id uuid PRIMARY KEY, status text, created_at timestamptz,"
            + " updated_at timestamptz, payment_deadline timestamptz, total_minor bigint,"
            + " currency text)",
        "CREATE TABLE payments.payments (id uuid PRIMARY KEY, order_id uuid, status text,"
            + " amount_minor bigint, currency text, created_at timestamptz, updated_at timestamptz)",
        "CREATE TABLE notifications.feed (account_id text, seq bigint, order_id uuid, kind text)",
        "CREATE TABLE notifications.deliveries (id uuid, channel text, kind text,"
            + " destination text, status text, attempts int, next_attempt_at timestamptz,"
            + " lease_until timestamptz)",
        "CREATE TABLE orders.outbox (event_id uuid, event_type text, event_key text,"
            + " payload jsonb, published_at timestamptz, created_at timestamptz DEFAULT now())");
  }

  @Test
  void anEventHoldingACardNumberIsAFindingAndATokenIsNot() throws SQLException {
    execute(
        "INSERT INTO orders.outbox (event_id, event_type, event_key, payload, published_at)"
            + " VALUES (gen_random_uuid(), 'OrderCreated', 'o-1', '{\"version\": 2, \"data\":"
            + " {\"paymentToken\": \"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\", \"total\":"
            + " {\"amountMinor\": 123456789012345}}}', now())");
    assertThat(findings(Duration.ZERO, "card-number-in-order-events")).isZero();

    execute(
        "INSERT INTO orders.outbox (event_id, event_type, event_key, payload, published_at)"
            + " VALUES (gen_random_uuid(), 'OrderCreated', 'o-2', '{\"version\": 1, \"data\":"
            + " {\"paymentToken\": \"4242424242424242\"}}', now())");
    assertThat(findings(Duration.ofHours(1), "card-number-in-order-events")).isEqualTo(1);
  }

  @AfterEach
  void drop() throws SQLException {
    db.close();
    database.close();
  }

  @Test
  void aConfirmedOrderNobodyWasToldOfIsAFindingOnceItIsPastTheGrace() throws SQLException {
    UUID order = UUID.randomUUID();
    execute(
        "INSERT INTO orders.orders VALUES ('"
            + order
            + "', 'confirmed', now() - interval '5 minutes', now() - interval '2 minutes',"
            + " now() + interval '1 hour', 100, 'EUR')");

    assertThat(findings(Duration.ofMinutes(5), "notification-confirmed-order-untold")).isZero();
    assertThat(findings(Duration.ZERO, "notification-confirmed-order-untold")).isEqualTo(1);

    execute("INSERT INTO notifications.feed VALUES ('a', 1, '" + order + "', 'order.confirmed')");
    assertThat(findings(Duration.ZERO, "notification-confirmed-order-untold")).isZero();
  }

  @Test
  void aFailedPaymentNobodyWasToldOfIsAFinding() throws SQLException {
    UUID order = UUID.randomUUID();
    execute(
        "INSERT INTO payments.payments VALUES (gen_random_uuid(), '"
            + order
            + "', 'failed', 100, 'EUR', now(), now() - interval '1 minute')");

    assertThat(findings(Duration.ZERO, "notification-failed-payment-untold")).isEqualTo(1);

    execute("INSERT INTO notifications.feed VALUES ('a', 1, '" + order + "', 'payment.failed')");
    assertThat(findings(Duration.ZERO, "notification-failed-payment-untold")).isZero();
  }

  @Test
  void anOrderToldTheSameThingTwiceIsAFindingWhateverTheGrace() throws SQLException {
    UUID order = UUID.randomUUID();
    execute(
        "INSERT INTO notifications.feed VALUES ('a', 1, '" + order + "', 'order.confirmed')",
        "INSERT INTO notifications.feed VALUES ('a', 2, '" + order + "', 'order.confirmed')");

    assertThat(findings(Duration.ofHours(1), "notification-doubled")).isEqualTo(1);
  }

  @Test
  void aDeliveryLeftPendingOrSendingPastItsTimeIsOverdueButOneGivenUpOnIsNot() throws SQLException {
    execute(
        "INSERT INTO notifications.deliveries VALUES (gen_random_uuid(), 'email', 'order.confirmed',"
            + " 'a', 'pending', 1, now() - interval '2 minutes', null)",
        "INSERT INTO notifications.deliveries VALUES (gen_random_uuid(), 'webhook',"
            + " 'order.confirmed', 'w', 'sending', 1, now() - interval '3 minutes',"
            + " now() - interval '2 minutes')",
        "INSERT INTO notifications.deliveries VALUES (gen_random_uuid(), 'webhook',"
            + " 'order.confirmed', 'w', 'failed', 8, now() - interval '1 hour', null)",
        "INSERT INTO notifications.deliveries VALUES (gen_random_uuid(), 'webhook',"
            + " 'order.confirmed', 'w', 'pending', 3, now() + interval '1 minute', null)");

    assertThat(findings(Duration.ofMinutes(1), "notification-delivery-overdue")).isEqualTo(2);
    assertThat(findings(Duration.ofMinutes(5), "notification-delivery-overdue")).isZero();
    Reconciliation.Report report = Reconciliation.audit(db, Duration.ofMinutes(5));
    assertThat(report.figures())
        .containsEntry("notification deliveries: webhook failed", 1L)
        .containsEntry("notification deliveries: email pending", 1L);
  }

  private long findings(Duration grace, String check) throws SQLException {
    return Reconciliation.audit(db, grace).findings().stream()
        .filter(f -> f.check().equals(check))
        .count();
  }

  private void execute(String... statements) throws SQLException {
    try (Statement statement = db.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
