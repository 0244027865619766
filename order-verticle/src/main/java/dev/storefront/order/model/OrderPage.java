package dev.storefront.order.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One page of a caller's orders, newest first, with the total so clients can paginate. */
public record OrderPage(List<Order> items, int page, int size, long total) {

  public OrderPage {
    items = List.copyOf(items);
  }

  /** The API's {@code OrderPage}: {@code items, page, size, total}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("items", new JsonArray(items.stream().map(Order::toJson).toList()))
        .put("page", page)
        .put("size", size)
        .put("total", total);
  }
}
