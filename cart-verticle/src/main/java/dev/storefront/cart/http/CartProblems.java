package dev.storefront.cart.http;

import dev.storefront.cart.client.CatalogUnavailableException;
import dev.storefront.cart.model.CartRuleException;
import dev.storefront.cart.repository.CartContentionException;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The cart's own kinds of failure as problem details. */
final class CartProblems {

  static final String CART_FULL = Problems.type("cart-full");
  static final String CURRENCY_MISMATCH = Problems.type("currency-mismatch");
  static final String CATALOG_UNAVAILABLE = Problems.type("catalog-unavailable");
  static final String CONTENTION = Problems.type("cart-contention");
  static final String CLUSTER_MINORITY = Problems.type("cart-cluster-minority");

  /**
   * When to try a write refused on a minority side again: about one failure-detection and merge
   * round of the cluster, by which time a short partition has healed or the load balancer has found
   * an instance on the majority side.
   */
  static final int MINORITY_RETRY_AFTER_S = 5;

  private CartProblems() {}

  /**
   * The problem {@code failure} stands for; failures that are not the cart's own pass unchanged.
   * Answers worth repeating later get a Retry-After header.
   */
  static Throwable toProblem(RoutingContext ctx, Throwable failure) {
    if (failure instanceof CatalogUnavailableException unavailable) {
      ctx.response().putHeader("Retry-After", Integer.toString(unavailable.retryAfterSeconds()));
      return problem(
          503,
          CATALOG_UNAVAILABLE,
          "The catalog cannot confirm the product now, so the cart was left unchanged",
          new JsonObject());
    }
    if (failure instanceof CartContentionException contention) {
      ctx.response().putHeader("Retry-After", "1");
      return problem(503, CONTENTION, contention.getMessage(), new JsonObject());
    }
    if (CartRepository.refusedOnMinority(failure)) {
      ctx.response().putHeader("Retry-After", Integer.toString(MINORITY_RETRY_AFTER_S));
      return problem(
          503,
          CLUSTER_MINORITY,
          "This cart instance is cut off from most of the cluster and accepts no changes until it"
              + " is back; the cart was left unchanged",
          new JsonObject());
    }
    if (failure instanceof CartRuleException rule) {
      return switch (rule.rule()) {
        case TOO_MANY_LINES -> problem(422, CART_FULL, rule.getMessage(), new JsonObject());
        case CURRENCY_MISMATCH ->
            problem(422, CURRENCY_MISMATCH, rule.getMessage(), new JsonObject());
      };
    }
    return failure;
  }

  private static ProblemException problem(
      int status, String type, String detail, JsonObject extensions) {
    return new ProblemException(status, type, Problems.reason(status), detail, extensions);
  }
}
