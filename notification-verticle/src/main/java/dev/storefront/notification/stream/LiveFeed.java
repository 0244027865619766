package dev.storefront.notification.stream;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Tells every notification process, through the clustered event bus, that an account's feed has
 * grown. The message only says "look again": a stream reads the feed itself from the last number it
 * sent, so a lost or late announcement delays a notification but never loses or reorders one.
 */
public final class LiveFeed {

  /** Published to with {@code {"accountId": …, "seq": …}}. */
  public static final String ADDRESS = "notifications.feed.appended";

  private LiveFeed() {}

  /** Call after the transaction that appended {@code seq} has committed. */
  public static void announce(Vertx vertx, String accountId, long seq) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("accountId", accountId).put("seq", seq));
  }
}
