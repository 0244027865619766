package dev.storefront.catalog.events;

import dev.storefront.catalog.repository.ReservationRepository.Outcome;
import dev.storefront.catalog.service.ReservationService;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.events.ProcessedEvents;
import dev.storefront.common.http.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the catalog does with the order service's events on {@value #TOPIC}: an {@code
 * OrderConfirmed} commits the order's stock reservation (the units are sold), an {@code
 * OrderCancelled} releases it (the units go back on sale). Other types are none of the catalog's
 * business. Each event is applied once: it is recorded in {@code processed_events} in the
 * transaction that changes the reservation.
 *
 * <p>An event for an order without a reservation, or one the reservation cannot follow (a cancel
 * after a commit), is logged and counted, not retried: asking again would get the same answer.
 */
public final class OrderEvents implements EventHandler {

  public static final String TOPIC = "orders.events";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";
  public static final String ORDER_CANCELLED = "OrderCancelled";

  private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);

  private final ReservationService reservations;
  private final MeterRegistry registry;

  public OrderEvents(ReservationService reservations, MeterRegistry registry) {
    this.reservations = reservations;
    this.registry = registry;
  }

  @Override
  public Future<Void> handle(EventEnvelope event) {
    return switch (event.type()) {
      case ORDER_CONFIRMED -> apply(event, reservations::commitOnce);
      case ORDER_CANCELLED -> apply(event, reservations::releaseOnce);
      default -> {
        count(event, "ignored");
        yield Future.succeededFuture();
      }
    };
  }

  /** A reservation change applied at most once, guarded by {@code firstTime} in its transaction. */
  @FunctionalInterface
  private interface Change {
    Future<Optional<Outcome>> apply(
        UUID orderId, Function<SqlConnection, Future<Boolean>> firstTime);
  }

  private Future<Void> apply(EventEnvelope event, Change change) {
    return change
        .apply(event.orderId(), tx -> ProcessedEvents.firstTime(tx, event))
        .map(
            outcome -> {
              if (outcome.isEmpty()) {
                count(event, "duplicate");
              } else {
                count(event, outcome.get().changed() ? "applied" : "repeated");
              }
              return (Void) null;
            })
        .recover(
            e -> {
              if (e instanceof ProblemException problem
                  && (problem.status() == 404 || problem.status() == 409)) {
                String outcome = problem.status() == 404 ? "unknown_reservation" : "conflict";
                LOG.warn(
                    "{} {} for order {} not applied ({}): {}",
                    event.type(),
                    event.eventId(),
                    event.orderId(),
                    outcome,
                    problem.getMessage());
                count(event, outcome);
                return Future.succeededFuture();
              }
              return Future.failedFuture(e);
            });
  }

  private void count(EventEnvelope event, String outcome) {
    Counter.builder("storefront_catalog_order_events")
        .description("Order events the catalog consumed, by outcome")
        .tag("type", event.type())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
