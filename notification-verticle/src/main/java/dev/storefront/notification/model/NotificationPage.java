package dev.storefront.notification.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of an account's feed, newest first. {@code total} counts what the page was drawn from
 * (the filtered feed, for paging); {@code unread} counts every unread notification of the account,
 * whatever the filter, for a badge.
 */
public record NotificationPage(
    List<Notification> items, int page, int size, long total, long unread) {

  public NotificationPage {
    items = List.copyOf(items);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    items.forEach(n -> array.add(n.toJson()));
    return new JsonObject()
        .put("items", array)
        .put("page", page)
        .put("size", size)
        .put("total", total)
        .put("unread", unread);
  }
}
