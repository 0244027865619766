package dev.storefront.order.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order: what the caller bought at checkout, at which prices, and where it is in the saga.
 * {@code cartUpdatedAt} is when the cart it came from last changed, so the cart can tell whether it
 * changed since; {@code paymentDeadline} is when a pending order is cancelled for want of a payment
 * outcome.
 */
public record Order(
    UUID id,
    String accountId,
    OrderStatus status,
    CancelReason cancelReason,
    List<OrderItem> items,
    Money total,
    UUID paymentId,
    Instant cartUpdatedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant paymentDeadline,
    int version) {

  public Order {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an order has at least one item");
    }
    if ((status == OrderStatus.CANCELLED) != (cancelReason != null)) {
      throw new IllegalArgumentException("a cancelled order, and only one, has a reason");
    }
  }

  /** The total of {@code items}, all in one currency. */
  public static Money totalOf(List<OrderItem> items) {
    Money total = new Money(0, items.get(0).unitPrice().currency());
    for (OrderItem item : items) {
      total = total.plus(item.lineTotal());
    }
    return total;
  }

  /** A new pending order, created at {@code now}. */
  public static Order pending(
      UUID id,
      String accountId,
      List<OrderItem> items,
      Instant cartUpdatedAt,
      Instant now,
      Instant paymentDeadline) {
    return new Order(
        id,
        accountId,
        OrderStatus.PENDING,
        null,
        items,
        totalOf(items),
        null,
        cartUpdatedAt,
        now,
        now,
        paymentDeadline,
        0);
  }

  /** This order after {@code transition}, at {@code now}. */
  public Order after(OrderStateMachine.Transition transition, Instant now) {
    return new Order(
        id,
        accountId,
        transition.to(),
        transition.reason(),
        items,
        total,
        transition.paymentId() != null ? transition.paymentId() : paymentId,
        cartUpdatedAt,
        createdAt,
        now,
        paymentDeadline,
        version + 1);
  }

  /**
   * The API's {@code Order}: {@code id, status, items, total, createdAt, updatedAt}, and {@code
   * cancelReason} when cancelled.
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("status", status.value())
            .put("items", new JsonArray(items.stream().map(OrderItem::toJson).toList()))
            .put("total", total.toJson())
            .put("createdAt", createdAt.toString())
            .put("updatedAt", updatedAt.toString());
    if (cancelReason != null) {
      json.put("cancelReason", cancelReason.value());
    }
    return json;
  }
}
