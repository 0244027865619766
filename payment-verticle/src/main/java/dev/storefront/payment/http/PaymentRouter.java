package dev.storefront.payment.http;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.Problems;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalIdentity;
import dev.storefront.payment.repository.PaymentRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * The payment service's HTTP side. The gateway routes nothing public here; the service port has one
 * internal read for operators and tests: {@code GET /internal/payments/{orderId}}, for an admin or
 * the account that pays (health and metrics are on the management port).
 */
public final class PaymentRouter {

  private PaymentRouter() {}

  public static Router create(Vertx vertx, Env env, PaymentRepository payments) {
    Router router = ServiceRouter.withIdentity(vertx, env, "/internal/*");
    router.get("/internal/payments/:orderId").respond(ctx -> find(ctx, payments));
    return ServiceRouter.complete(router);
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
