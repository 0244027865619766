package dev.storefront.cart.events;

import dev.storefront.cart.model.Cart;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.events.MalformedEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cart does with the order service's events on {@value #TOPIC}: an {@code OrderConfirmed}
 * empties the account's cart (see {@link Cart#checkedOut} for a cart changed since checkout). The
 * change is a compare-and-set on the cart like any other, and applying it again finds nothing more
 * to remove, so a redelivered event changes nothing without a record of processed events.
 */
public final class OrderEvents implements EventHandler {

  public static final String TOPIC = "orders.events";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";

  private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);

  private final CartRepository carts;
  private final MeterRegistry registry;
  private final Duration minorityPatience;

  public OrderEvents(CartRepository carts, MeterRegistry registry) {
    this(carts, registry, Duration.ZERO);
  }

  /**
   * @param minorityPatience how long one attempt waits while this instance is on the minority side
   *     of a network partition, which refuses cart writes: the confirmation must still empty the
   *     cart, so it waits for the partition to heal rather than use up the consumer's retries in
   *     seconds and be dead-lettered
   */
  public OrderEvents(CartRepository carts, MeterRegistry registry, Duration minorityPatience) {
    this.carts = carts;
    this.registry = registry;
    this.minorityPatience = minorityPatience;
  }

  /** The part of an {@code OrderConfirmed} the cart reads. */
  record Confirmation(String accountId, Map<String, Integer> items, Instant cartUpdatedAt) {

    static Confirmation of(EventEnvelope event) {
      JsonObject data = event.data();
      Object account = data.getValue("accountId");
      if (!(account instanceof String accountId) || accountId.isBlank()) {
        throw new MalformedEventException("OrderConfirmed without an accountId");
      }
      Object rawItems = data.getValue("items");
      if (!(rawItems instanceof JsonArray items)) {
        throw new MalformedEventException("OrderConfirmed without items");
      }
      Map<String, Integer> quantities = new HashMap<>();
      for (Object raw : items) {
        if (!(raw instanceof JsonObject item)
            || !(item.getValue("productId") instanceof String productId)
            || !(item.getValue("quantity") instanceof Integer quantity)) {
          throw new MalformedEventException("OrderConfirmed with an unreadable item: " + raw);
        }
        quantities.merge(productId, quantity, Integer::sum);
      }
      Object updated = data.getValue("cartUpdatedAt");
      Instant cartUpdatedAt = null;
      if (updated instanceof String text) {
        try {
          cartUpdatedAt = Instant.parse(text);
        } catch (DateTimeParseException e) {
          throw new MalformedEventException("OrderConfirmed with cartUpdatedAt '" + text + "'");
        }
      } else if (updated != null) {
        throw new MalformedEventException("OrderConfirmed with a cartUpdatedAt not a string");
      }
      return new Confirmation(accountId, quantities, cartUpdatedAt);
    }
  }

  @Override
  public Future<Void> handle(EventEnvelope event) {
    if (!ORDER_CONFIRMED.equals(event.type())) {
      count(event.type(), "ignored");
      return Future.succeededFuture();
    }
    Confirmation confirmation = Confirmation.of(event);
    Cart[] before = new Cart[1];
    return carts
        .updateOnceWritable(
            confirmation.accountId(),
            cart -> {
              before[0] = cart;
              return cart.checkedOut(confirmation.items(), confirmation.cartUpdatedAt());
            },
            minorityPatience)
        .map(
            after -> {
              String outcome;
              if (after == before[0]) {
                outcome = "unchanged";
              } else if (after.isEmpty()) {
                outcome = "cleared";
              } else {
                outcome = "lines_removed";
              }
              count(event.type(), outcome);
              LOG.debug(
                  "Cart of {} after order {}: {}",
                  confirmation.accountId(),
                  event.orderId(),
                  outcome);
              return (Void) null;
            });
  }

  private void count(String type, String outcome) {
    Counter.builder("storefront_cart_order_events")
        .description("Order events the cart consumed, by outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
