package dev.storefront.notification.metrics;

import dev.storefront.notification.model.Channel;
import dev.storefront.notification.model.NotificationKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification service's own meters:
 *
 * <ul>
 *   <li>{@code storefront_notifications_created_total{kind}}: notifications recorded, once per
 *       event
 *   <li>{@code storefront_notification_deliveries_total{channel, outcome}}: delivery attempts by
 *       outcome: {@code sent}, {@code retried} (failed, will be tried again), {@code failed} (given
 *       up), {@code skipped} (nothing to send it to)
 *   <li>{@code storefront_notification_deliveries_postponed_total{channel}}: deliveries put off
 *       without an attempt because their destination's circuit breaker was open
 *   <li>{@code storefront_notification_delivery_seconds{channel}}: from the event's occurrence to
 *       its notification being sent on the channel (the Kafka lag, the wait for a contact and the
 *       retries included)
 *   <li>{@code storefront_notification_deliveries_pending{channel}}: deliveries not yet done in the
 *       whole log (every process reports the same number: take the max, not the sum)
 * </ul>
 */
public final class NotificationMetrics {

  public static final String SENT = "sent";
  public static final String RETRIED = "retried";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Channel, Timer> timers = new EnumMap<>(Channel.class);
  // Gauges hold their state weakly; these fields keep it alive as long as the service.
  private final Map<Channel, AtomicLong> pending = new EnumMap<>(Channel.class);

  public NotificationMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Channel channel : Channel.values()) {
      AtomicLong count = new AtomicLong();
      pending.put(channel, count);
      Gauge.builder("storefront_notification_deliveries_pending", count, AtomicLong::get)
          .description("Deliveries not yet sent, failed or skipped, in the whole delivery log")
          .tag("channel", channel.dbValue())
          .register(registry);
      timers.put(
          channel,
          Timer.builder("storefront_notification_delivery")
              .description("From the event's occurrence to its notification sent on the channel")
              .tag("channel", channel.dbValue())
              .register(registry));
    }
  }

  public void created(NotificationKind kind) {
    counter(
            "storefront_notifications_created",
            "Notifications recorded, once per event",
            "kind",
            kind.wireName())
        .increment();
  }

  /** An event that would have notified, consumed past the maximum age: nobody is told. */
  public void tooOld(NotificationKind kind) {
    counter(
            "storefront_notifications_too_old",
            "Events consumed too long after they occurred to tell anyone (NOTIFICATION_MAX_EVENT_AGE_H)",
            "kind",
            kind.wireName())
        .increment();
  }

  /** One delivery attempt's outcome: {@link #SENT}, {@link #RETRIED}, {@link #FAILED}… */
  public void delivery(Channel channel, String outcome) {
    counters
        .computeIfAbsent(
            "deliveries|" + channel.dbValue() + "|" + outcome,
            k ->
                Counter.builder("storefront_notification_deliveries")
                    .description("Delivery attempts by channel and outcome")
                    .tag("channel", channel.dbValue())
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  public void postponed(Channel channel) {
    counter(
            "storefront_notification_deliveries_postponed",
            "Deliveries put off without an attempt while their destination's breaker was open",
            "channel",
            channel.dbValue())
        .increment();
  }

  /** A delivery sent {@code sinceOccurred} after its event occurred. */
  public void sentAfter(Channel channel, Duration sinceOccurred) {
    timers.get(channel).record(sinceOccurred.isNegative() ? Duration.ZERO : sinceOccurred);
  }

  public void pending(Map<Channel, Long> counts) {
    counts.forEach((channel, count) -> pending.get(channel).set(count));
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(
        name + "|" + value,
        k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }
}
