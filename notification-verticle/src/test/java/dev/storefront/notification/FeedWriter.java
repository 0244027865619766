package dev.storefront.notification;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Database;
import dev.storefront.notification.config.NotificationConfig;
import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.NotificationKind;
import dev.storefront.notification.repository.FeedRepository;
import dev.storefront.notification.stream.LiveFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Appends notifications the way the event consumer does: {@link FeedRepository#append} in a
 * transaction of the service's own role, then {@link LiveFeed#announce} once it has committed.
 */
public final class FeedWriter implements AutoCloseable {

  private final Vertx vertx;
  private final Pool pool;
  private final FeedRepository feed;

  /**
   * Writes through up to {@code connections} connections at once to the database of {@code env}.
   */
  public FeedWriter(Vertx vertx, Env env, int connections) {
    this.vertx = vertx;
    DatabaseConfig service =
        DatabaseConfig.from(env, NotificationConfig.SERVICE, NotificationConfig.SCHEMA);
    DatabaseConfig config =
        new DatabaseConfig(
            service.host(),
            service.port(),
            service.database(),
            service.user(),
            service.password(),
            service.schema(),
            connections);
    this.pool = Database.pool(vertx, config, 1);
    this.feed = new FeedRepository(pool);
  }

  public static NewNotification notification(String account, String title, String body) {
    return new NewNotification(
        account,
        UUID.randomUUID(),
        NotificationKind.ORDER_CONFIRMED,
        title,
        body,
        UUID.randomUUID(),
        new JsonObject().put("title", title));
  }

  /** Appends and announces; the number the feed gave it. */
  public Future<Long> append(NewNotification notification) {
    return appendQuietly(notification)
        .onSuccess(seq -> LiveFeed.announce(vertx, notification.accountId(), seq));
  }

  /** Appends without announcing it, as when the announcement is lost. */
  public Future<Long> appendQuietly(NewNotification notification) {
    return pool.withTransaction(tx -> feed.append(tx, notification));
  }

  /** {@code count} notifications in one transaction, one announcement of the last. */
  public Future<List<Long>> appendAll(List<NewNotification> notifications) {
    return pool.withTransaction(
            tx -> {
              List<Long> numbers = new ArrayList<>();
              Future<Void> chain = Future.succeededFuture();
              for (NewNotification n : notifications) {
                chain =
                    chain.compose(v -> feed.append(tx, n).map(seq -> numbers.add(seq)).mapEmpty());
              }
              return chain.map(v -> numbers);
            })
        .onSuccess(
            numbers -> {
              if (!numbers.isEmpty()) {
                LiveFeed.announce(
                    vertx, notifications.get(0).accountId(), numbers.get(numbers.size() - 1));
              }
            });
  }

  public FeedRepository repository() {
    return feed;
  }

  @Override
  public void close() {
    FeedCalls.await(pool.close());
  }
}
