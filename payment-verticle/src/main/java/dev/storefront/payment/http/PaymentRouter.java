package dev.storefront.payment.http;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalIdentity;
import dev.storefront.payment.model.PaymentToken;
import dev.storefront.payment.repository.PaymentRepository;
import dev.storefront.payment.service.PaymentTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Locale;
import java.util.UUID;

/**
 * The payment service's HTTP side, every route for a caller the gateway vouched for:
 *
 * <ul>
 *   <li>{@code POST /api/payments/tokens} (public, through the gateway): a card in, a token out;
 *       201 with the token id, brand, last four digits and expiry.
 *   <li>{@code GET /api/payments/tokens/{token}}: one of the caller's tokens; 404 for a token that
 *       is not theirs, as for one that does not exist. The order service asks it at checkout.
 *   <li>{@code GET /internal/payments/{orderId}}: an order's payment, for an admin or the account
 *       that pays.
 * </ul>
 *
 * <p>Health and metrics are on the management port.
 */
public final class PaymentRouter {

  /** Far above any honest card body. */
  static final int MAX_BODY_BYTES = 4 * 1024;

  private PaymentRouter() {}

  public static Router create(
      Vertx vertx, Env env, PaymentRepository payments, PaymentTokens tokens, Clock clock) {
    Router router = ServiceRouter.withIdentity(vertx, env, "/internal/*", "/api/*");
    router
        .post("/api/payments/tokens")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .respond(ctx -> issue(ctx, tokens, clock));
    router.get("/api/payments/tokens/:token").respond(ctx -> view(ctx, tokens, clock));
    router.get("/internal/payments/:orderId").respond(ctx -> find(ctx, payments));
    return ServiceRouter.complete(router);
  }

  private static Future<JsonObject> issue(RoutingContext ctx, PaymentTokens tokens, Clock clock) {
    Caller caller = InternalIdentity.requireCaller(ctx);
    String contentType = ctx.request().getHeader("Content-Type");
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      return Problems.fail(415, "The request body must be application/json");
    }
    return Future.succeededFuture()
        .map(v -> TokenRequest.parse(ctx.body().buffer(), YearMonth.now(clock)))
        .compose(card -> tokens.issue(caller.accountId(), card))
        .map(
            token -> {
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/api/payments/tokens/" + token.id());
              return token.toJson();
            });
  }

  private static Future<JsonObject> view(RoutingContext ctx, PaymentTokens tokens, Clock clock) {
    Caller caller = InternalIdentity.requireCaller(ctx);
    String id = ctx.pathParam("token");
    return tokens
        .view(id, caller.accountId())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Problems.fail(404, "No payment token " + safe(id));
              }
              PaymentToken token = found.get();
              return Future.succeededFuture(
                  token.toJson().put("expired", token.expiredAt(clock.instant())));
            });
  }

  /** A path segment echoed back only when it looks like a token, never when it is a card number. */
  private static String safe(String id) {
    return id != null && PaymentTokens.ID.matcher(id).matches() ? id : "with that id";
  }

  private static Future<JsonObject> find(RoutingContext ctx, PaymentRepository payments) {
    Caller caller = InternalIdentity.requireCaller(ctx);
    UUID orderId;
    try {
      orderId = UUID.fromString(ctx.pathParam("orderId"));
    } catch (IllegalArgumentException e) {
      return Problems.fail(400, "orderId must be a UUID");
    }
    return payments
        .find(orderId)
        .compose(
            found -> {
              // Someone else's payment is as absent as a missing one.
              if (found.isEmpty()
                  || !(caller.hasRole(Caller.ADMIN)
                      || caller.accountId().equals(found.get().accountId()))) {
                return Problems.fail(404, "No payment for order " + orderId);
              }
              return Future.succeededFuture(found.get().toJson());
            });
  }
}
