package dev.storefront.payment.repository;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.events.ProcessedEvents;
import dev.storefront.payment.events.OrderCancelled;
import dev.storefront.payment.events.OrderCreated;
import dev.storefront.payment.events.PaymentEvents;
import dev.storefront.payment.model.FailureReason;
import dev.storefront.payment.model.Money;
import dev.storefront.payment.model.Payment;
import dev.storefront.payment.model.PaymentStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Payments, one per order. Every change that others must hear of is a conditional status change
 * (only from {@code pending}, or only while a reversal is owed) made in the same transaction as its
 * event in the outbox: two processes driving one payment at once may both ask the processor, but
 * only one of them records the outcome, and only one event leaves.
 */
public class PaymentRepository {

  private static final String COLUMNS =
      "id, order_id, account_id, amount_minor, currency, status, failure_reason, failure_detail,"
          + " card_last4, processor_ref, attempts, order_cancelled, reversal_pending, created_at,"
          + " updated_at";

  private static final String FIND = "SELECT " + COLUMNS + " FROM payments WHERE order_id = $1";
  private static final String LOCK =
      "SELECT " + COLUMNS + " FROM payments WHERE order_id = $1 FOR UPDATE";
  private static final String INSERT_PENDING =
      "INSERT INTO payments (id, order_id, account_id, amount_minor, currency, status, card_last4)"
          + " VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (order_id) DO NOTHING";
  private static final String INSERT_VOIDED =
      "INSERT INTO payments (id, order_id, account_id, amount_minor, currency, status,"
          + " order_cancelled) VALUES ($1, $2, $3, $4, $5, 'voided', true)"
          + " ON CONFLICT (order_id) DO NOTHING RETURNING "
          + COLUMNS;
  private static final String CANCEL =
      "UPDATE payments SET order_cancelled = true, status = $2, reversal_pending = $3,"
          + " updated_at = now() WHERE order_id = $1 RETURNING "
          + COLUMNS;
  private static final String START_ATTEMPT =
      "UPDATE payments SET attempts = attempts + 1, updated_at = now()"
          + " WHERE order_id = $1 AND status = 'pending' RETURNING attempts";
  private static final String DECIDE =
      "UPDATE payments SET status = $2, failure_reason = $3, failure_detail = $4,"
          + " processor_ref = $5, reversal_pending = reversal_pending OR $6, updated_at = now()"
          + " WHERE order_id = $1 AND status = 'pending' RETURNING "
          + COLUMNS;
  private static final String REVERSED =
      "UPDATE payments SET reversal_pending = false, updated_at = now(),"
          + " status = CASE WHEN $2 AND status IN ('succeeded', 'voided') THEN 'refunded'"
          + " ELSE status END"
          + " WHERE order_id = $1 AND reversal_pending RETURNING "
          + COLUMNS;
  private static final String UNFINISHED =
      "SELECT order_id FROM payments WHERE (status = 'pending' OR reversal_pending)"
          + " AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2";

  private final Pool pool;

  public PaymentRepository(Pool pool) {
    this.pool = pool;
  }

  /** What the processor decided (or that we gave up), to be recorded on a pending payment. */
  public record Decision(
      PaymentStatus status,
      FailureReason reason,
      String detail,
      String processorReference,
      boolean reversalPending) {}

  public Future<Optional<Payment>> find(UUID orderId) {
    return find(pool, orderId);
  }

  /**
   * Records an order's payment as pending, once: a redelivered {@code OrderCreated}, or one for an
   * order that already has a payment (voided by an earlier cancellation), inserts nothing. Answers
   * the payment as it is now.
   */
  public Future<Payment> open(EventEnvelope event, OrderCreated order, String cardLast4) {
    return pool.withTransaction(
        tx ->
            ProcessedEvents.firstTime(tx, event)
                .compose(
                    first ->
                        first
                            ? tx.preparedQuery(INSERT_PENDING)
                                .execute(
                                    Tuple.of(
                                        UUID.randomUUID(),
                                        order.orderId(),
                                        order.accountId(),
                                        order.total().amountMinor(),
                                        order.total().currency(),
                                        cardLast4))
                                .mapEmpty()
                            : Future.succeededFuture())
                .compose(v -> find(tx, order.orderId()))
                .map(Optional::orElseThrow));
  }

  /** What a cancellation did: the payment now, and whether this call changed it. */
  public record Cancellation(Payment payment, boolean voided, boolean changed) {}

  /**
   * Records that the order was cancelled, once: a payment not yet decided (or not yet there, so
   * that a later {@code OrderCreated} never charges) becomes voided; a succeeded one owes a refund.
   * Either may have money at the processor, so both owe a reversal. A failed, refunded or voided
   * payment stays as it is.
   */
  public Future<Cancellation> cancel(EventEnvelope event, OrderCancelled order) {
    return pool.withTransaction(
        tx ->
            ProcessedEvents.firstTime(tx, event)
                .compose(
                    first -> {
                      if (!first) {
                        return find(tx, order.orderId())
                            .map(p -> new Cancellation(p.orElseThrow(), false, false));
                      }
                      return tx.preparedQuery(INSERT_VOIDED)
                          .execute(
                              Tuple.of(
                                  UUID.randomUUID(),
                                  order.orderId(),
                                  order.accountId(),
                                  order.total().amountMinor(),
                                  order.total().currency()))
                          .compose(
                              inserted ->
                                  inserted.size() > 0
                                      ? Future.succeededFuture(
                                          new Cancellation(one(inserted), true, true))
                                      : cancelExisting(tx, order.orderId()));
                    }));
  }

  private Future<Cancellation> cancelExisting(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(LOCK)
        .execute(Tuple.of(orderId))
        .compose(
            rows -> {
              Payment payment = one(rows);
              if (payment.orderCancelled()) {
                return Future.succeededFuture(new Cancellation(payment, false, false));
              }
              boolean voiding = payment.status() == PaymentStatus.PENDING;
              PaymentStatus status = voiding ? PaymentStatus.VOIDED : payment.status();
              boolean reversal =
                  payment.reversalPending()
                      || voiding
                      || payment.status() == PaymentStatus.SUCCEEDED;
              return tx.preparedQuery(CANCEL)
                  .execute(Tuple.of(orderId, status.dbValue(), reversal))
                  .map(updated -> new Cancellation(one(updated), voiding, true));
            });
  }

  /**
   * Marks one more charge request on a pending payment (so that recovery leaves a payment being
   * worked on alone); false when the payment is no longer pending.
   */
  public Future<Boolean> startAttempt(UUID orderId) {
    return pool.preparedQuery(START_ATTEMPT)
        .execute(Tuple.of(orderId))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Records the decision on a pending payment together with its {@code PaymentSucceeded} or {@code
   * PaymentFailed}. Empty when the payment was no longer pending: someone else recorded it first,
   * or the order was cancelled meanwhile.
   */
  public Future<Optional<Payment>> decide(UUID orderId, Decision decision) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(DECIDE)
                .execute(
                    Tuple.of(
                        orderId,
                        decision.status().dbValue(),
                        decision.reason() == null ? null : decision.reason().code(),
                        decision.detail(),
                        decision.processorReference(),
                        decision.reversalPending()))
                .compose(rows -> published(tx, rows)));
  }

  /**
   * Records that the processor reversed the payment's charge: when money went back from a payment
   * that had it (succeeded, or voided while a charge was under way), the payment becomes refunded
   * and {@code PaymentRefunded} is published. Empty when no reversal was owed (any more).
   */
  public Future<Optional<Payment>> reversed(UUID orderId, boolean moneyReturned) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(REVERSED)
                .execute(Tuple.of(orderId, moneyReturned))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.empty());
                      }
                      Payment payment = one(rows);
                      return payment.status() == PaymentStatus.REFUNDED
                          ? published(tx, rows)
                          : Future.succeededFuture(Optional.of(payment));
                    }));
  }

  /**
   * Orders whose payment is unfinished (pending, or owing a reversal) and untouched for {@code
   * age}.
   */
  public Future<List<UUID>> unfinished(Duration age, int limit) {
    return pool.preparedQuery(UNFINISHED)
        .execute(Tuple.of(age.toMillis() / 1000.0, limit))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getUUID("order_id")));
              return ids;
            });
  }

  private static Future<Optional<Payment>> published(SqlConnection tx, RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Future.succeededFuture(Optional.empty());
    }
    Payment payment = one(rows);
    return Outbox.append(
            tx, PaymentEvents.TOPIC, payment.orderId().toString(), PaymentEvents.of(payment))
        .map(Optional.of(payment));
  }

  private static Future<Optional<Payment>> find(SqlClient client, UUID orderId) {
    return client
        .preparedQuery(FIND)
        .execute(Tuple.of(orderId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(one(rows)));
  }

  private static Payment one(RowSet<Row> rows) {
    Row r = rows.iterator().next();
    String reason = r.getString("failure_reason");
    return new Payment(
        r.getUUID("id"),
        r.getUUID("order_id"),
        r.getString("account_id"),
        new Money(r.getLong("amount_minor"), r.getString("currency")),
        PaymentStatus.ofDb(r.getString("status")),
        reason == null ? null : FailureReason.ofCode(reason),
        r.getString("failure_detail"),
        r.getString("card_last4"),
        r.getString("processor_ref"),
        r.getInteger("attempts"),
        r.getBoolean("order_cancelled"),
        r.getBoolean("reversal_pending"),
        r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("updated_at"));
  }
}
