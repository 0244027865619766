package dev.storefront.order.events;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The events the order service publishes on {@value #TOPIC}, keyed by order id; {@code
 * OrderCreated} is version 2, the others version 1. Their {@code data}:
 *
 * <pre>
 *   OrderCreated   {accountId, items, total, paymentToken, cartUpdatedAt, contactEmail}
 *   OrderConfirmed {accountId, items, total, paymentId, cartUpdatedAt}
 *   OrderCancelled {accountId, items, total, reason, paymentId}
 * </pre>
 *
 * Items are {@code [{productId, quantity, unitPrice: Money}]}, money {@code {amountMinor,
 * currency}}, instants ISO-8601 in UTC or null. {@code paymentToken} is the id of a payment token
 * the payment service issued ({@code tok_...}); version 1 of {@code OrderCreated} carried the card
 * number there, and the migration {@code V3__no_card_numbers} replaced it by {@value #CARD_REMOVED}
 * in the outbox. The contract tests pin these shapes.
 */
public final class OrderEvents {

  public static final String TOPIC = "orders.events";
  public static final String ORDER_CREATED = "OrderCreated";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";
  public static final String ORDER_CANCELLED = "OrderCancelled";

  /** The version of {@code OrderCreated} whose {@code paymentToken} is a token id. */
  public static final int ORDER_CREATED_VERSION = 2;

  /** What stands in a version 1 event where its card number was. */
  public static final String CARD_REMOVED = "removed";

  private OrderEvents() {}

  /**
   * A new order, for the payment service to charge {@code paymentToken} with, and for the
   * notification service to know where to write to ({@code contactEmail}, null when the account has
   * no address).
   */
  public static JsonObject created(Order order, String paymentToken, String contactEmail) {
    return new JsonObject()
        .put("accountId", order.accountId())
        .put("items", items(order.items()))
        .put("total", order.total().toJson())
        .put("paymentToken", paymentToken)
        .put("cartUpdatedAt", instant(order.cartUpdatedAt()))
        .put("contactEmail", contactEmail);
  }

  /** The {@code OrderCreated} event of a new order, in its current version. */
  public static EventEnvelope createdEvent(Order order, String paymentToken, String contactEmail) {
    return new EventEnvelope(
        UUID.randomUUID(),
        ORDER_CREATED,
        ORDER_CREATED_VERSION,
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        order.id(),
        created(order, paymentToken, contactEmail));
  }

  public static JsonObject confirmed(Order order) {
    return new JsonObject()
        .put("accountId", order.accountId())
        .put("items", items(order.items()))
        .put("total", order.total().toJson())
        .put("paymentId", uuid(order.paymentId()))
        .put("cartUpdatedAt", instant(order.cartUpdatedAt()));
  }

  public static JsonObject cancelled(Order order) {
    return new JsonObject()
        .put("accountId", order.accountId())
        .put("items", items(order.items()))
        .put("total", order.total().toJson())
        .put("reason", order.cancelReason().value())
        .put("paymentId", uuid(order.paymentId()));
  }

  /**
   * The cancellation of a checkout that never became an order (see the sweeper): what the stock may
   * have been reserved for, so that the catalog releases it.
   */
  public static JsonObject abandoned(String accountId, JsonArray items, JsonObject total) {
    return new JsonObject()
        .put("accountId", accountId)
        .put("items", items.copy())
        .put("total", total.copy())
        .put("reason", "payment_timeout")
        .putNull("paymentId");
  }

  public static JsonArray items(List<OrderItem> items) {
    return new JsonArray(items.stream().map(OrderItem::toEventJson).toList());
  }

  private static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String uuid(UUID id) {
    return id == null ? null : id.toString();
  }
}
