package dev.storefront.notification.repository;

import static dev.storefront.notification.FeedCalls.await;
import static dev.storefront.notification.FeedWriter.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Migrations;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.notification.FeedWriter;
import dev.storefront.notification.config.NotificationConfig;
import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.Notification;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The feed's reads for the stream and its numbering, on the local PostgreSQL server. */
class FeedRepositoryIT {

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static FeedWriter writer;
  private static FeedRepository feed;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("feed_repository");
    vertx = Vertx.vertx();
    Env env = Env.of(db.env());
    await(
        Migrations.migrate(
            vertx,
            DatabaseConfig.from(env, NotificationConfig.SERVICE, NotificationConfig.SCHEMA)));
    writer = new FeedWriter(vertx, env, 2);
    feed = writer.repository();
  }

  @AfterAll
  static void stop() {
    try {
      if (writer != null) {
        writer.close();
      }
      if (vertx != null) {
        await(vertx.close());
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  private static String account() {
    return "acc-" + UUID.randomUUID();
  }

  @Test
  void aRepeatedEventGetsNoNumberAndLeavesNoHole() {
    String account = account();
    NewNotification first = notification(account, "first", "b");

    assertThat(await(writer.appendQuietly(first))).isEqualTo(1);
    assertThat(await(writer.appendQuietly(first))).isZero();
    assertThat(await(feed.head(account))).isEqualTo(1);
    assertThat(await(writer.appendQuietly(notification(account, "second", "b")))).isEqualTo(2);
    assertThat(await(feed.after(account, 0, 10)).stream().map(Notification::id))
        .containsExactly(1L, 2L);
  }

  @Test
  void readingAfterANumberIsAscendingAndBounded() {
    String account = account();
    IntStream.rangeClosed(1, 12)
        .forEach(i -> await(writer.appendQuietly(notification(account, "n" + i, "b"))));
    await(writer.appendQuietly(notification(account(), "someone else's", "b")));

    List<Notification> batch = await(feed.after(account, 4, 5));
    assertThat(batch.stream().map(Notification::id)).containsExactly(5L, 6L, 7L, 8L, 9L);
    assertThat(batch.get(0).title()).isEqualTo("n5");
    assertThat(await(feed.after(account, 9, 5)).stream().map(Notification::id))
        .containsExactly(10L, 11L, 12L);
    assertThat(await(feed.after(account, 12, 5))).isEmpty();
    assertThat(await(feed.head(account))).isEqualTo(12);
  }

  @Test
  void anEmptyFeedHasHeadZero() {
    assertThat(await(feed.head(account()))).isZero();
  }
}
