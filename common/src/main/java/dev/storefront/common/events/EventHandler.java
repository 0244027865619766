package dev.storefront.common.events;

import io.vertx.core.Future;

/**
 * Applies one event. A failed future asks for the event again (after a backoff, a bounded number of
 * times, then it goes to the dead-letter topic); failing with {@link MalformedEventException}
 * dead-letters it at once. Handlers must be idempotent: an event may be delivered more than once.
 */
@FunctionalInterface
public interface EventHandler {

  Future<Void> handle(EventEnvelope event);
}
