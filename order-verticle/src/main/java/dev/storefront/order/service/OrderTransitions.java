package dev.storefront.order.service;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.MalformedEventException;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.events.ProcessedEvents;
import dev.storefront.order.events.OrderEvents;
import dev.storefront.order.events.PaymentEvent;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderStateMachine;
import dev.storefront.order.model.OrderStatus;
import dev.storefront.order.repository.IdempotencyRepository;
import dev.storefront.order.repository.OrderRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that moves an order after checkout, each in one transaction with the event it causes:
 * payment outcomes (idempotently: the event is recorded in {@code processed_events} in the same
 * transaction), the payment deadline, and the undoing of abandoned checkouts.
 */
public final class OrderTransitions {

  private static final Logger LOG = LoggerFactory.getLogger(OrderTransitions.class);

  private final Pool pool;
  private final OrderRepository orders;
  private final IdempotencyRepository keys;
  private final OrderMetrics metrics;
  private final Clock clock;

  public OrderTransitions(
      Pool pool,
      OrderRepository orders,
      IdempotencyRepository keys,
      OrderMetrics metrics,
      Clock clock) {
    this.pool = pool;
    this.orders = orders;
    this.keys = keys;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Applies an event of {@code payments.events}. A payment outcome moves its pending order and
   * emits {@code OrderConfirmed} or {@code OrderCancelled}; an event seen before, an order already
   * final, and other event types change nothing.
   */
  public Future<Void> onPaymentEvent(EventEnvelope event) {
    Optional<PaymentEvent> payment;
    try {
      payment = PaymentEvent.decode(event.type(), event.data());
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new MalformedEventException(
              event.type() + " " + event.eventId() + ": " + e.getMessage(), e));
    }
    if (payment.isEmpty()) {
      return Future.succeededFuture();
    }
    PaymentEvent outcome = payment.get();
    return pool.withTransaction(
            tx ->
                ProcessedEvents.firstTime(tx, event)
                    .compose(
                        first ->
                            first
                                ? apply(tx, event, outcome)
                                : Future.succeededFuture(Optional.<Order>empty())))
        .onSuccess(moved -> moved.ifPresent(this::count))
        .mapEmpty();
  }

  private Future<Optional<Order>> apply(
      SqlConnection tx, EventEnvelope event, PaymentEvent outcome) {
    return orders
        .lock(tx, event.orderId())
        .compose(
            found -> {
              if (found.isEmpty()) {
                // Orders exist before their OrderCreated leaves, so no payment can precede one.
                LOG.warn(
                    "{} {} names order {}, which does not exist; ignored",
                    event.type(),
                    event.eventId(),
                    event.orderId());
                return Future.succeededFuture(Optional.empty());
              }
              Order order = found.get();
              return OrderStateMachine.next(order.status(), outcome.trigger())
                  .map(t -> move(tx, order, t).map(Optional::of))
                  .orElseGet(
                      () -> {
                        LOG.info(
                            "{} {} for order {} that is {} already; nothing changes",
                            event.type(),
                            event.eventId(),
                            order.id(),
                            order.status().value());
                        return Future.succeededFuture(Optional.empty());
                      });
            });
  }

  /**
   * Cancels the pending order longest past its payment deadline, if any; true when one was
   * cancelled.
   */
  public Future<Boolean> cancelNextOverdue() {
    return pool.withTransaction(
            tx ->
                orders
                    .lockNextOverdue(tx)
                    .compose(
                        found -> {
                          if (found.isEmpty()) {
                            return Future.succeededFuture(Optional.<Order>empty());
                          }
                          Order order = found.get();
                          return OrderStateMachine.next(
                                  order.status(), new OrderStateMachine.DeadlinePassed())
                              .map(t -> move(tx, order, t).map(Optional::of))
                              .orElseGet(() -> Future.succeededFuture(Optional.empty()));
                        }))
        .map(
            moved -> {
              moved.ifPresent(
                  order -> {
                    LOG.info("Order {} not paid by its deadline; cancelled", order.id());
                    count(order);
                  });
              return moved.isPresent();
            });
  }

  /**
   * Undoes the oldest checkout left in flight past {@code lease}, if any: when it may have reserved
   * stock, {@code OrderCancelled} for its order id makes the catalog release it; then its key is
   * freed. True when there was one.
   */
  public Future<Boolean> abandonNext(Duration lease) {
    return pool.withTransaction(
            tx ->
                keys.lockNextAbandoned(tx, lease)
                    .compose(
                        found -> {
                          if (found.isEmpty()) {
                            return Future.succeededFuture(false);
                          }
                          IdempotencyRepository.Key key = found.get();
                          Future<Void> announced =
                              key.reserved() == null
                                  ? Future.succeededFuture()
                                  : announceCancelled(
                                      tx, key.orderId(), key.accountId(), key.reserved());
                          return announced
                              .compose(v -> keys.release(tx, key))
                              .map(
                                  v -> {
                                    LOG.warn(
                                        "Checkout of order {} abandoned in flight; {}",
                                        key.orderId(),
                                        key.reserved() == null
                                            ? "it reserved nothing, its key is freed"
                                            : "OrderCancelled releases its stock");
                                    return true;
                                  });
                        }))
        .onSuccess(
            any -> {
              if (any) {
                metrics.abandoned();
              }
            });
  }

  /**
   * Announces the oldest unsettled reservation older than {@code lease}, if any, as a cancelled
   * order, so that the catalog releases it. True when there was one.
   */
  public Future<Boolean> settleNext(Duration lease) {
    return pool.withTransaction(
            tx ->
                keys.lockNextUnsettled(tx, lease)
                    .compose(
                        found -> {
                          if (found.isEmpty()) {
                            return Future.succeededFuture(false);
                          }
                          IdempotencyRepository.Unsettled unsettled = found.get();
                          return announceCancelled(
                                  tx,
                                  unsettled.orderId(),
                                  unsettled.accountId(),
                                  unsettled.reserved())
                              .compose(v -> keys.deleteUnsettled(tx, unsettled.orderId()))
                              .map(
                                  v -> {
                                    LOG.info(
                                        "Unsettled reservation of order {} announced cancelled",
                                        unsettled.orderId());
                                    return true;
                                  });
                        }))
        .onSuccess(
            any -> {
              if (any) {
                metrics.abandoned();
              }
            });
  }

  private static Future<Void> announceCancelled(
      SqlConnection tx, UUID orderId, String accountId, JsonObject reserved) {
    return Outbox.append(
        tx,
        OrderEvents.TOPIC,
        orderId.toString(),
        EventEnvelope.create(
            OrderEvents.ORDER_CANCELLED,
            orderId,
            OrderEvents.abandoned(
                accountId,
                reserved.getJsonArray("items", new JsonArray()),
                reserved.getJsonObject("total"))));
  }

  private Future<Order> move(SqlConnection tx, Order order, OrderStateMachine.Transition t) {
    Order moved = order.after(t, clock.instant().truncatedTo(ChronoUnit.MICROS));
    EventEnvelope event =
        moved.status() == OrderStatus.CONFIRMED
            ? EventEnvelope.create(
                OrderEvents.ORDER_CONFIRMED, moved.id(), OrderEvents.confirmed(moved))
            : EventEnvelope.create(
                OrderEvents.ORDER_CANCELLED, moved.id(), OrderEvents.cancelled(moved));
    return orders
        .saveTransition(tx, order, moved)
        .compose(v -> Outbox.append(tx, OrderEvents.TOPIC, moved.id().toString(), event))
        .map(moved);
  }

  private void count(Order order) {
    metrics.transition(
        order.status().value(),
        order.cancelReason() == null ? "none" : order.cancelReason().value());
  }
}
