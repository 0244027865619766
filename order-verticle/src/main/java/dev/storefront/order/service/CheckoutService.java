package dev.storefront.order.service;

import static dev.storefront.order.service.CheckoutProblems.problem;
import static dev.storefront.order.service.CheckoutProblems.retryLater;

import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.Outbox;
import dev.storefront.order.client.CartClient;
import dev.storefront.order.client.CartView;
import dev.storefront.order.client.CatalogClient;
import dev.storefront.order.client.PaymentClient;
import dev.storefront.order.client.Reservation;
import dev.storefront.order.client.ServiceUnavailableException;
import dev.storefront.order.config.OrderConfig;
import dev.storefront.order.events.OrderEvents;
import dev.storefront.order.model.Order;
import dev.storefront.order.model.OrderItem;
import dev.storefront.order.repository.IdempotencyRepository;
import dev.storefront.order.repository.IdempotencyRepository.Claimed;
import dev.storefront.order.repository.IdempotencyRepository.Existing;
import dev.storefront.order.repository.OrderRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkout, the synchronous part of the saga:
 *
 * <ol>
 *   <li>claim the idempotency key (a repeat of a finished checkout gets its answer again, a repeat
 *       of one still running gets 409, another request under the same key 422);
 *   <li>read the caller's cart and, at the same time, ask the payment service whether the payment
 *       token is the caller's and unexpired (unknown or another account's: 422 {@code
 *       payment-token-unknown}; expired: 422 {@code payment-token-expired}). When the payment
 *       service cannot answer, checkout goes on: the payment service checks the token again when it
 *       charges and declines one it cannot use, which cancels the order and releases its stock, so
 *       an outage there costs the shopper a late refusal instead of every checkout;
 *   <li>with the cart (empty: 422; prices the catalog could not confirm: 503; the same cart,
 *       unchanged, already ordered and not cancelled: 409 naming that order, so a second checkout
 *       under a new key cannot order it twice while the first is being paid for);
 *   <li>record on the claim what is about to be reserved, then reserve the stock at the catalog
 *       under the new order's id (not enough: 409; unknown products: 422);
 *   <li>in one transaction, holding the account's checkout lock: the same check of the cart once
 *       more, then the order (pending, with its payment deadline), its items, the claim completed
 *       with the response, and {@code OrderCreated} in the outbox.
 * </ol>
 *
 * A checkout that creates no order frees its key, so the same key may try again. When the order
 * transaction fails after the stock was reserved, the reservation is released. When the catalog's
 * answer never arrives (a timeout, a 5xx), the reservation is released too (the catalog's release
 * is idempotent and answers for an order it holds nothing for), but a reservation still on its way
 * could land after that release: the order id and its lines go to {@code unsettled_reservations},
 * and after the lease the sweeper publishes {@code OrderCancelled} for that order id, on which the
 * catalog releases whatever it holds. The same happens when a release fails. Should the process die
 * midway, the claim stays in flight with the lines it may have reserved, and the sweeper does the
 * same for it once the lease is over.
 */
public final class CheckoutService {

  private static final Logger LOG = LoggerFactory.getLogger(CheckoutService.class);

  /** What a checkout answers: the status and body, first-time or replayed. */
  public record Result(int status, JsonObject body, UUID orderId, boolean replayed) {}

  private final Pool pool;
  private final OrderRepository orders;
  private final IdempotencyRepository keys;
  private final CartClient cart;
  private final CatalogClient catalog;
  private final PaymentClient payments;
  private final OrderConfig.Checkout config;
  private final Clock clock;

  public CheckoutService(
      Pool pool,
      OrderRepository orders,
      IdempotencyRepository keys,
      CartClient cart,
      CatalogClient catalog,
      PaymentClient payments,
      OrderConfig.Checkout config,
      Clock clock) {
    this.payments = payments;
    this.pool = pool;
    this.orders = orders;
    this.keys = keys;
    this.cart = cart;
    this.catalog = catalog;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Checks out the cart of {@code accountId}; {@code identity} is the caller's internal token, to
   * act on their behalf at the cart and the catalog. {@code contactEmail} (null when the account
   * has none) travels with {@code OrderCreated} for whoever tells the shopper what happens next,
   * and {@code paymentToken} (a token the payment service issued, never a card number) for the
   * payment service to charge.
   */
  public Future<Result> checkout(
      String accountId,
      String contactEmail,
      String identity,
      String idempotencyKey,
      String requestHash,
      String paymentToken) {
    UUID orderId = UUID.randomUUID();
    return keys.claim(accountId, idempotencyKey, requestHash, orderId)
        .compose(
            claim -> {
              if (claim instanceof Existing existing) {
                return answerForExisting(existing.key(), requestHash);
              }
              Attempt attempt =
                  new Attempt(
                      accountId,
                      contactEmail,
                      identity,
                      idempotencyKey,
                      ((Claimed) claim).orderId(),
                      paymentToken);
              return run(attempt);
            });
  }

  private static Future<Result> answerForExisting(IdempotencyRepository.Key key, String hash) {
    if (!key.requestHash().equals(hash)) {
      return Future.failedFuture(
          problem(
              422,
              CheckoutProblems.KEY_REUSED,
              "This Idempotency-Key was used for a different request; use a new key for a new"
                  + " checkout"));
    }
    if (key.completed()) {
      return Future.succeededFuture(
          new Result(key.responseStatus(), key.responseBody(), key.orderId(), true));
    }
    return Future.failedFuture(
        retryLater(
            409,
            CheckoutProblems.IN_PROGRESS,
            "A checkout with this Idempotency-Key is still in progress",
            1));
  }

  /** One checkout that holds its key. */
  private record Attempt(
      String accountId,
      String contactEmail,
      String identity,
      String key,
      UUID orderId,
      String paymentToken) {}

  private Future<Result> run(Attempt attempt) {
    Future<CartView> read =
        cart.read(attempt.identity()).recover(e -> Future.failedFuture(unavailable(e)));
    return Future.all(read, checkToken(attempt))
        .compose(both -> itemsOf(read.result()))
        .compose(
            items ->
                refuseIfOrdered(
                        orders.orderOfCart(pool, attempt.accountId(), items.cartUpdatedAt()))
                    .map(items))
        // Nothing is reserved yet: a refusal only needs the key freed.
        .transform(
            ar ->
                ar.succeeded()
                    ? reserveAndCreate(attempt, ar.result())
                    : releaseKey(attempt).transform(v -> Future.<Result>failedFuture(ar.cause())));
  }

  /**
   * Fails with 422 when the payment service says the token is not the caller's or has expired;
   * succeeds when it is usable, and when the payment service gave no answer (see the class).
   */
  private Future<Void> checkToken(Attempt attempt) {
    return payments
        .check(attempt.paymentToken(), attempt.identity())
        .transform(
            ar -> {
              if (ar.failed()) {
                LOG.debug(
                    "Payment token of order {} not checked, the payment service checks it when"
                        + " charging: {}",
                    attempt.orderId(),
                    ar.cause().getMessage());
                return Future.succeededFuture();
              }
              return switch (ar.result()) {
                case VALID -> Future.succeededFuture();
                case UNKNOWN ->
                    Future.failedFuture(
                        problem(
                            422,
                            CheckoutProblems.PAYMENT_TOKEN_UNKNOWN,
                            "paymentToken is not a payment token of this account; get one with"
                                + " POST /api/payments/tokens"));
                case EXPIRED ->
                    Future.failedFuture(
                        problem(
                            422,
                            CheckoutProblems.PAYMENT_TOKEN_EXPIRED,
                            "The payment token has expired; get a new one with POST"
                                + " /api/payments/tokens"));
              };
            });
  }

  private record CartItems(List<OrderItem> items, Instant cartUpdatedAt) {}

  /**
   * Fails with 409 when {@code ordered} found an order for the cart as it stands. The cart is
   * emptied only once that order is paid for; until then (or until the shopper changes it) a
   * checkout would order the same goods again.
   */
  private static Future<Void> refuseIfOrdered(Future<Optional<UUID>> ordered) {
    return ordered.compose(
        order ->
            order.isEmpty()
                ? Future.succeededFuture()
                : Future.failedFuture(
                    problem(
                        409,
                        CheckoutProblems.CART_ALREADY_ORDERED,
                        "This cart was already ordered as order "
                            + order.get()
                            + "; change the cart to order again",
                        new JsonObject().put("orderId", order.get().toString()))));
  }

  private static Future<CartItems> itemsOf(CartView view) {
    if (view.lines().isEmpty()) {
      return Future.failedFuture(
          problem(
              422, CheckoutProblems.EMPTY_CART, "The cart is empty: there is nothing to order"));
    }
    if (!view.pricesVerified()) {
      return Future.failedFuture(
          retryLater(
              503,
              CheckoutProblems.PRICES_UNVERIFIED,
              "The catalog cannot confirm the cart's prices right now, so nothing was ordered",
              5));
    }
    List<String> currencies =
        view.lines().stream().map(l -> l.unitPrice().currency()).distinct().sorted().toList();
    if (currencies.size() > 1) {
      return Future.failedFuture(
          problem(
              422,
              CheckoutProblems.CURRENCY_MISMATCH,
              "The cart holds prices in "
                  + String.join(" and ", currencies)
                  + "; one order is paid"
                  + " in one currency"));
    }
    List<OrderItem> items =
        view.lines().stream()
            .map(l -> new OrderItem(l.productId(), l.name(), l.quantity(), l.unitPrice()))
            .toList();
    return Future.succeededFuture(new CartItems(items, view.updatedAt()));
  }

  private Future<Result> reserveAndCreate(Attempt attempt, CartItems cartItems) {
    List<OrderItem> items = cartItems.items();
    JsonObject reserved =
        new JsonObject()
            .put("items", OrderEvents.items(items))
            .put("total", Order.totalOf(items).toJson());
    List<Reservation.Item> wanted =
        items.stream().map(i -> new Reservation.Item(i.productId(), i.quantity())).toList();
    return keys.recordReservation(attempt.accountId(), attempt.key(), attempt.orderId(), reserved)
        .compose(
            v ->
                catalog
                    .reserve(attempt.orderId(), wanted, attempt.identity())
                    .transform(
                        ar -> {
                          if (ar.failed()) {
                            return unsettled(attempt, unavailable(ar.cause()));
                          }
                          Reservation reservation = ar.result();
                          if (reservation instanceof Reservation.InsufficientStock shortage) {
                            return releaseKey(attempt)
                                .transform(x -> Future.failedFuture(insufficient(shortage)));
                          }
                          if (reservation instanceof Reservation.UnknownProducts unknown) {
                            return releaseKey(attempt)
                                .transform(
                                    x ->
                                        Future.failedFuture(
                                            problem(
                                                422,
                                                CheckoutProblems.UNKNOWN_PRODUCT,
                                                "The cart holds products the catalog no longer"
                                                    + " has: "
                                                    + join(unknown.productIds()),
                                                new JsonObject()
                                                    .put("productIds", unknown.productIds()))));
                          }
                          return create(attempt, cartItems).recover(e -> undo(attempt, e));
                        }));
  }

  private Future<Result> create(Attempt attempt, CartItems cartItems) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Order order =
        Order.pending(
            attempt.orderId(),
            attempt.accountId(),
            cartItems.items(),
            cartItems.cartUpdatedAt(),
            now,
            now.plus(config.paymentDeadline()));
    JsonObject body = order.toJson();
    EventEnvelope created =
        OrderEvents.createdEvent(order, attempt.paymentToken(), attempt.contactEmail());
    return pool.withTransaction(
            tx ->
                orders
                    .lockAccount(tx, attempt.accountId())
                    .compose(
                        v ->
                            refuseIfOrdered(
                                orders.orderOfCart(
                                    tx, attempt.accountId(), cartItems.cartUpdatedAt())))
                    .compose(v -> orders.insert(tx, order))
                    .compose(
                        v ->
                            keys.complete(
                                tx, attempt.accountId(), attempt.key(), order.id(), 201, body))
                    .compose(
                        v -> Outbox.append(tx, OrderEvents.TOPIC, order.id().toString(), created)))
        .map(v -> new Result(201, body, order.id(), false));
  }

  /**
   * The catalog's answer never arrived: the reservation may have been made, or may still land after
   * a release sent now. Release anyway (the common case: it was made and is undone at once), and
   * leave the order id with its lines for the sweeper, which announces it cancelled once any late
   * reservation has surely landed; the key is free at once.
   */
  private Future<Result> unsettled(Attempt attempt, Throwable failure) {
    return catalog
        .release(attempt.orderId(), attempt.identity())
        .transform(ar -> settleLater(attempt))
        .transform(v -> Future.failedFuture(failure));
  }

  /**
   * The stock is reserved but the order could not be written: release it, then free the key. Should
   * the release fail, the sweeper takes over as for an unclear reservation.
   */
  private Future<Result> undo(Attempt attempt, Throwable failure) {
    return catalog
        .release(attempt.orderId(), attempt.identity())
        .transform(
            ar -> {
              if (ar.succeeded()) {
                return releaseKey(attempt);
              }
              LOG.warn(
                  "Checkout of order {} failed ({}) and its reservation could not be released"
                      + " ({}); it is announced cancelled after {}",
                  attempt.orderId(),
                  failure.getMessage(),
                  ar.cause().getMessage(),
                  config.lease());
              return settleLater(attempt);
            })
        .transform(v -> Future.failedFuture(failure));
  }

  private Future<Void> settleLater(Attempt attempt) {
    return keys.settleLater(attempt.accountId(), attempt.key(), attempt.orderId())
        .onFailure(
            e ->
                LOG.warn(
                    "Could not record the unsettled reservation of order {}; its claim is undone"
                        + " after {}: {}",
                    attempt.orderId(),
                    config.lease(),
                    e.getMessage()));
  }

  private Future<Void> releaseKey(Attempt attempt) {
    return keys.release(attempt.accountId(), attempt.key(), attempt.orderId())
        .onFailure(
            e ->
                LOG.warn(
                    "Could not free the idempotency key of order {}; it is freed after {}: {}",
                    attempt.orderId(),
                    config.lease(),
                    e.getMessage()));
  }

  private static Throwable unavailable(Throwable e) {
    if (e instanceof ServiceUnavailableException down) {
      String type =
          CartClient.SERVICE.equals(down.service())
              ? CheckoutProblems.CART_UNAVAILABLE
              : CheckoutProblems.CATALOG_UNAVAILABLE;
      return retryLater(
          503,
          type,
          "The " + down.service() + " service cannot be reached; nothing was ordered",
          down.retryAfterSeconds());
    }
    return e;
  }

  private static Throwable insufficient(Reservation.InsufficientStock shortage) {
    JsonArray ids = new JsonArray();
    shortage.shortages().forEach(s -> ids.add(((JsonObject) s).getString("productId")));
    return problem(
        409,
        CheckoutProblems.INSUFFICIENT_STOCK,
        "Not enough stock of product(s) " + join(ids) + "; nothing was ordered",
        new JsonObject().put("productIds", ids).put("shortages", shortage.shortages()));
  }

  private static String join(JsonArray values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
