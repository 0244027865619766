package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;

/**
 * The dispatcher that works off the delivery log.
 *
 * <table>
 *   <caption>Dispatcher settings</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>DELIVERY_POLL_MS</td><td>250</td><td>how often due deliveries are looked for (a
 *   consumed event also wakes the dispatcher at once)</td></tr>
 *   <tr><td>DELIVERY_BATCH_SIZE</td><td>32</td><td>deliveries one process has in flight at
 *   most</td></tr>
 *   <tr><td>DELIVERY_LEASE_MS</td><td>120000</td><td>how long a claimed delivery stays with its
 *   process; past it (the process died) another one takes it. Must exceed MAIL_TIMEOUT_MS and
 *   WEBHOOK_TIMEOUT_MS</td></tr>
 *   <tr><td>NOTIFICATION_MAX_EVENT_AGE_H</td><td>72</td><td>an event older than this when it is
 *   consumed tells nobody (it is recorded as processed, and counted): a service deployed against
 *   topics full of past orders, or back after a long outage, does not mail shoppers about old
 *   news</td></tr>
 * </table>
 */
public record DeliveryConfig(
    Duration pollInterval, int batchSize, Duration lease, Duration maxEventAge) {

  public static DeliveryConfig from(Env env) {
    Duration poll = env.millis("DELIVERY_POLL_MS", 250);
    if (poll.isZero()) {
      throw new ConfigException("DELIVERY_POLL_MS must be at least 1, got 0");
    }
    return new DeliveryConfig(
        poll,
        env.positive("DELIVERY_BATCH_SIZE", 32),
        env.millis("DELIVERY_LEASE_MS", 120_000),
        Duration.ofHours(env.positive("NOTIFICATION_MAX_EVENT_AGE_H", 72)));
  }
}
