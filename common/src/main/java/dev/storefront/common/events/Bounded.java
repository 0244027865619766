package dev.storefront.common.events;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stop within a supervisor's grace period. The Kafka clients' own waits are bounded ({@code
 * KAFKA_API_TIMEOUT_MS}, {@code KAFKA_CLOSE_TIMEOUT_MS}), but what a stop waits for first is not
 * always Kafka's (a handler in flight, a send waiting out its delivery timeout while the broker is
 * away), and a service must stop well inside the 30 s that the local stack and Kubernetes allow.
 * Nothing is lost by not waiting: offsets not committed mean redelivery, which consumers absorb,
 * and outbox rows not marked published are sent again.
 */
final class Bounded {

  private static final Logger LOG = LoggerFactory.getLogger(Bounded.class);

  /** How long a stop may wait for Kafka's clients to close. */
  static final long STOP_TIMEOUT_MS = 5_000;

  private Bounded() {}

  static Future<Void> stop(Future<Void> stopping, String what) {
    return stopping
        .timeout(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              LOG.warn(
                  "Stopping {} took over {} ms; it finishes closing in the background",
                  what,
                  STOP_TIMEOUT_MS);
              return Future.succeededFuture();
            });
  }
}
