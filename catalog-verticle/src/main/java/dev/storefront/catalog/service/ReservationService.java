package dev.storefront.catalog.service;

import dev.storefront.catalog.events.ProductChanges;
import dev.storefront.catalog.model.Reservation;
import dev.storefront.catalog.model.Reservation.Item;
import dev.storefront.catalog.repository.ReservationRepository;
import dev.storefront.catalog.repository.ReservationRepository.Outcome;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stock reservations for orders, for the internal HTTP API and for consumers of order events alike.
 * Every operation is idempotent per order id. A failure is a {@link ProblemException} whose {@code
 * type()} tells the outcome apart ({@link ReservationRepository#INSUFFICIENT_STOCK}, {@link
 * ReservationRepository#UNKNOWN_PRODUCT}, {@link ReservationRepository#RESERVATION_CONFLICT}) and
 * whose {@code status()} is 404 for an unknown order.
 */
public class ReservationService {

  /** Most items one reservation may hold; an order with more is not a shopper's. */
  public static final int MAX_ITEMS = 500;

  private final ReservationRepository reservations;
  private final ProductChanges changes;
  private final MeterRegistry registry;

  public ReservationService(
      ReservationRepository reservations, ProductChanges changes, MeterRegistry registry) {
    this.reservations = reservations;
    this.changes = changes;
    this.registry = registry;
  }

  public Future<Optional<Reservation>> find(UUID orderId) {
    return reservations.find(orderId);
  }

  /** Reserves all items or none; {@link Outcome#changed()} is false for a repeated call. */
  public Future<Outcome> reserve(UUID orderId, List<Item> items) {
    if (items.isEmpty() || items.size() > MAX_ITEMS) {
      return Future.failedFuture(
          Problems.of(400, "A reservation holds between 1 and " + MAX_ITEMS + " items"));
    }
    Set<UUID> seen = new HashSet<>();
    for (Item item : items) {
      if (item.quantity() < 1) {
        return Future.failedFuture(Problems.of(400, "Every quantity must be at least 1"));
      }
      if (!seen.add(item.productId())) {
        return Future.failedFuture(
            Problems.of(400, "Product " + item.productId() + " appears more than once"));
      }
    }
    return counted("reserve", "reserved", reservations.reserve(orderId, items));
  }

  public Future<Outcome> commit(UUID orderId) {
    return counted("commit", "committed", reservations.commit(orderId));
  }

  public Future<Outcome> release(UUID orderId) {
    return counted("release", "released", reservations.release(orderId));
  }

  /**
   * Commits the order's reservation once per event: {@code firstTime} (which records the event) and
   * the commit share one transaction. Empty when {@code firstTime} said the event was applied
   * before; then nothing changes.
   */
  public Future<Optional<Outcome>> commitOnce(
      UUID orderId, Function<SqlConnection, Future<Boolean>> firstTime) {
    return once("commit", "committed", firstTime, tx -> reservations.commit(tx, orderId));
  }

  /** Releases the order's reservation once per event, as {@link #commitOnce} commits it. */
  public Future<Optional<Outcome>> releaseOnce(
      UUID orderId, Function<SqlConnection, Future<Boolean>> firstTime) {
    return once("release", "released", firstTime, tx -> reservations.release(tx, orderId));
  }

  private Future<Optional<Outcome>> once(
      String operation,
      String done,
      Function<SqlConnection, Future<Boolean>> firstTime,
      Function<SqlConnection, Future<Outcome>> change) {
    Future<Optional<Outcome>> result =
        reservations.inTransaction(
            tx ->
                firstTime
                    .apply(tx)
                    .compose(
                        first ->
                            first
                                ? change.apply(tx).map(Optional::of)
                                : Future.succeededFuture(Optional.<Outcome>empty())));
    // Counted and announced once the transaction committed, so no other process re-reads the
    // old stock after the announcement.
    return result
        .onSuccess(
            outcome -> {
              if (outcome.isEmpty()) {
                count(operation, "repeated");
              } else {
                announce(operation, done, outcome.get());
              }
            })
        .onFailure(e -> count(operation, outcomeOf(e)));
  }

  private Future<Outcome> counted(String operation, String done, Future<Outcome> result) {
    return result
        .onSuccess(outcome -> announce(operation, done, outcome))
        .onFailure(e -> count(operation, outcomeOf(e)));
  }

  private void announce(String operation, String done, Outcome outcome) {
    count(operation, outcome.changed() ? done : "repeated");
    // Committing moves no stock: the units left it when they were reserved.
    if (outcome.changed() && !"commit".equals(operation)) {
      changes.changed(outcome.reservation().items().stream().map(Item::productId).toList());
    }
  }

  private static String outcomeOf(Throwable e) {
    if (e instanceof ProblemException problem) {
      if (ReservationRepository.INSUFFICIENT_STOCK.equals(problem.type())) {
        return "insufficient_stock";
      }
      if (ReservationRepository.UNKNOWN_PRODUCT.equals(problem.type())) {
        return "unknown_product";
      }
      if (ReservationRepository.RESERVATION_CONFLICT.equals(problem.type())) {
        return "conflict";
      }
      if (problem.status() == 404) {
        return "not_found";
      }
      if (problem.status() == 400) {
        return "invalid";
      }
    }
    return "error";
  }

  private void count(String operation, String outcome) {
    Counter.builder("storefront_catalog_reservations")
        .description("Reservation operations by outcome")
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
