package dev.storefront.notification.events;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.events.ProcessedEvents;
import dev.storefront.notification.delivery.WebhookSender;
import dev.storefront.notification.events.ConsumedEvent.ContactLearned;
import dev.storefront.notification.events.ConsumedEvent.NotificationDue;
import dev.storefront.notification.metrics.NotificationMetrics;
import dev.storefront.notification.model.Channel;
import dev.storefront.notification.model.DeliveryPayload;
import dev.storefront.notification.model.DeliveryStatus;
import dev.storefront.notification.model.NewDelivery;
import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.NotificationKind;
import dev.storefront.notification.repository.ContactRepository;
import dev.storefront.notification.repository.DeliveryRepository;
import dev.storefront.notification.repository.FeedRepository;
import dev.storefront.notification.repository.WebhookRepository;
import dev.storefront.notification.stream.LiveFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The notification service's reading of {@code orders.events} and {@code payments.events}.
 *
 * <p>An {@code OrderCreated} records the order's contact, and makes the order's e-mails that were
 * waiting for it due now. An event that notifies is recorded in one transaction with its id in
 * {@code processed_events}: the feed entry (with an {@code in_app} delivery, sent), an {@code
 * email} delivery and one {@code webhook} delivery per active webhook of the account and for the
 * shop's webhook, all {@code pending}. A repeat of the event finds its id and changes nothing; and
 * should two processes race with it, the delivery log's unique key keeps one row per channel and
 * destination. Once committed, the feed's live streams and the dispatcher are told.
 */
public final class NotificationEventsHandler implements EventHandler {

  private final Vertx vertx;
  private final Pool pool;
  private final FeedRepository feed;
  private final ContactRepository contacts;
  private final DeliveryRepository deliveries;
  private final WebhookRepository webhooks;
  private final boolean shopWebhook;
  private final NotificationMetrics metrics;
  private final Duration maxEventAge;
  private final Runnable nudge;

  /** What a notifying event left once committed: its feed number (0 if it was there already). */
  private record Recorded(NewNotification notification, long seq, Instant occurredAt) {}

  public NotificationEventsHandler(
      Vertx vertx,
      Pool pool,
      FeedRepository feed,
      ContactRepository contacts,
      DeliveryRepository deliveries,
      WebhookRepository webhooks,
      boolean shopWebhook,
      NotificationMetrics metrics,
      Duration maxEventAge,
      Runnable nudge) {
    this.vertx = vertx;
    this.pool = pool;
    this.feed = feed;
    this.contacts = contacts;
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.shopWebhook = shopWebhook;
    this.metrics = metrics;
    this.maxEventAge = maxEventAge;
    this.nudge = nudge;
  }

  @Override
  public Future<Void> handle(EventEnvelope event) {
    ConsumedEvent consumed;
    try {
      consumed = NotificationEvents.decode(event);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (consumed instanceof ContactLearned learned) {
      return contactLearned(event, learned);
    }
    if (consumed instanceof NotificationDue due) {
      return notificationDue(event, due);
    }
    return Future.succeededFuture();
  }

  private Future<Void> contactLearned(EventEnvelope event, ContactLearned learned) {
    return pool.<Integer>withTransaction(
            tx ->
                ProcessedEvents.firstTime(tx, event)
                    .compose(
                        first ->
                            first
                                ? contacts
                                    .record(tx, learned.contact())
                                    .compose(
                                        v -> deliveries.wakeEmails(tx, learned.contact().orderId()))
                                : Future.succeededFuture(0)))
        .map(
            woken -> {
              if (woken > 0) {
                nudge.run();
              }
              return null;
            });
  }

  private Future<Void> notificationDue(EventEnvelope event, NotificationDue due) {
    return pool.<Recorded>withTransaction(
            tx ->
                ProcessedEvents.firstTime(tx, event)
                    .compose(
                        first -> first ? record(tx, due) : Future.<Recorded>succeededFuture(null)))
        .map(
            recorded -> {
              if (recorded != null) {
                committed(recorded);
              }
              return null;
            });
  }

  private Future<Recorded> record(SqlConnection tx, NotificationDue due) {
    NewNotification notification = due.notification();
    if (due.occurredAt().isBefore(Instant.now().minus(maxEventAge))) {
      metrics.tooOld(notification.kind());
      return Future.succeededFuture(null);
    }
    if (notification.kind() == NotificationKind.ORDER_CANCELLED && notification.orderId() != null) {
      // The order service also cancels checkouts that never became orders (their reservation's
      // answer was lost), with no OrderCreated before: the shopper never saw such an order, so
      // there is nothing to tell them. OrderCreated precedes an order's other events on its
      // partition, so a real order's contact is always known by now.
      return contacts
          .known(tx, notification.orderId())
          .compose(known -> known ? append(tx, due) : Future.succeededFuture(null));
    }
    return append(tx, due);
  }

  private Future<Recorded> append(SqlConnection tx, NotificationDue due) {
    NewNotification notification = due.notification();
    return feed.append(tx, notification)
        .compose(
            seq ->
                webhooks
                    .activeIds(tx, notification.accountId())
                    .compose(
                        hooks ->
                            deliveries.insert(tx, rows(notification, due.occurredAt(), seq, hooks)))
                    .map(v -> new Recorded(notification, seq, due.occurredAt())));
  }

  private List<NewDelivery> rows(
      NewNotification notification, Instant occurredAt, long seq, List<UUID> hooks) {
    List<NewDelivery> rows = new ArrayList<>();
    NewDelivery inApp =
        row(
            notification,
            occurredAt,
            Channel.IN_APP,
            notification.accountId(),
            DeliveryStatus.SENT);
    inApp.payload().put("seq", seq);
    rows.add(inApp);
    rows.add(
        row(
            notification,
            occurredAt,
            Channel.EMAIL,
            notification.accountId(),
            DeliveryStatus.PENDING));
    for (UUID hook : hooks) {
      rows.add(
          row(notification, occurredAt, Channel.WEBHOOK, hook.toString(), DeliveryStatus.PENDING));
    }
    if (shopWebhook) {
      rows.add(
          row(
              notification,
              occurredAt,
              Channel.WEBHOOK,
              WebhookSender.SHOP,
              DeliveryStatus.PENDING));
    }
    return rows;
  }

  private static NewDelivery row(
      NewNotification notification,
      Instant occurredAt,
      Channel channel,
      String destination,
      DeliveryStatus status) {
    UUID id = UUID.randomUUID();
    return new NewDelivery(
        id,
        notification.eventId(),
        channel,
        destination,
        notification.kind().wireName(),
        notification.accountId(),
        notification.orderId(),
        DeliveryPayload.of(id, notification, occurredAt),
        status);
  }

  private void committed(Recorded recorded) {
    metrics.created(recorded.notification().kind());
    if (recorded.seq() > 0) {
      LiveFeed.announce(vertx, recorded.notification().accountId(), recorded.seq());
      metrics.delivery(Channel.IN_APP, NotificationMetrics.SENT);
      metrics.sentAfter(Channel.IN_APP, Duration.between(recorded.occurredAt(), Instant.now()));
    }
    nudge.run();
  }
}
