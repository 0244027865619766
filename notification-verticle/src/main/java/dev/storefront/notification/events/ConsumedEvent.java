package dev.storefront.notification.events;

import dev.storefront.notification.model.NewNotification;
import dev.storefront.notification.model.OrderContact;
import java.time.Instant;

/** What a consumed event means to the notification service. */
public sealed interface ConsumedEvent {

  /** An order's contact ({@code OrderCreated}); no notification. */
  record ContactLearned(OrderContact contact) implements ConsumedEvent {}

  /** A notification for the account, on every channel. */
  record NotificationDue(NewNotification notification, Instant occurredAt)
      implements ConsumedEvent {}

  /** Not the notification service's business; passes without a trace. */
  record Ignored(String why) implements ConsumedEvent {}
}
