package dev.storefront.catalog.events;

import dev.storefront.catalog.cache.ProductCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every catalog process that products changed, so none serves them from its cache any longer.
 * Published on the clustered event bus at {@value #ADDRESS} as {@code {"ids": [uuid, ...]}} after
 * the change is committed; every catalog process listens.
 */
public final class ProductChanges {

  public static final String ADDRESS = "catalog.product.changed";

  private static final Logger LOG = LoggerFactory.getLogger(ProductChanges.class);

  private final Vertx vertx;
  private final ProductCache cache;

  public ProductChanges(Vertx vertx, ProductCache cache) {
    this.vertx = vertx;
    this.cache = cache;
  }

  /**
   * Call once a change to {@code ids} is committed. This process forgets them at once, so its own
   * next read is fresh; the others when the message reaches them.
   */
  public void changed(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return;
    }
    ids.forEach(cache::invalidate);
    JsonArray array = new JsonArray();
    ids.forEach(id -> array.add(id.toString()));
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("ids", array));
  }

  /** Starts invalidating this process's cache on changes made anywhere in the cluster. */
  public Future<MessageConsumer<JsonObject>> listen() {
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .<JsonObject>consumer(
                ADDRESS,
                message -> {
                  try {
                    message
                        .body()
                        .getJsonArray("ids")
                        .forEach(id -> cache.invalidate(UUID.fromString((String) id)));
                  } catch (RuntimeException e) {
                    LOG.warn("Ignoring a malformed product change notice: {}", e.getMessage());
                  }
                });
    // Completes once the registration has reached the cluster, so no change is missed after start.
    return consumer.completion().map(consumer);
  }
}
