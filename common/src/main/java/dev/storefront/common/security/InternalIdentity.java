package dev.storefront.common.security;

import dev.storefront.common.config.Env;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's route handler that turns the gateway's {@value InternalTokens#HEADER} into a {@link
 * Caller} in the routing context. A request without the header, or with one that does not verify,
 * goes on as anonymous: what needs a caller says so with {@link #required()} or {@link
 * #requireCaller}. Mount it on every route, before the service's own handlers:
 *
 * <pre>
 *   router.route().handler(InternalIdentity.create(vertx, env));
 *   router.route("/api/cart*").handler(InternalIdentity.required());
 * </pre>
 */
public final class InternalIdentity implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(InternalIdentity.class);

  private final InternalTokens.Verifier verifier;

  public InternalIdentity(InternalTokens.Verifier verifier) {
    this.verifier = verifier;
  }

  /** Keys from {@code INTERNAL_TOKEN_PUBLIC_KEY_PEM}, else from the cluster (development). */
  public static InternalIdentity create(Vertx vertx, Env env) {
    return new InternalIdentity(InternalTokens.Verifier.create(vertx, env));
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Only the gateway's word counts: whatever identity a client claims is dropped first.
    ctx.remove(Caller.CONTEXT_KEY);
    String token = ctx.request().getHeader(InternalTokens.HEADER);
    if (token == null) {
      ctx.next();
      return;
    }
    var verification = verifier.verify(token);
    if (!verification.isComplete()) {
      // Reading keys from the cluster: keep the body until a later handler is ready for it.
      ctx.request().pause();
    }
    verification.onComplete(
        ar -> {
          if (ar.succeeded()) {
            ar.result().putIn(ctx);
          } else {
            LOG.debug("Ignoring an internal identity token: {}", ar.cause().getMessage());
          }
          ctx.next();
        });
  }

  /** Fails the request with 401 unless {@link #handle} found a valid caller. */
  public static Handler<RoutingContext> required() {
    return ctx -> {
      if (Caller.of(ctx).isEmpty()) {
        ctx.fail(unauthenticated());
        return;
      }
      ctx.next();
    };
  }

  /** The request's caller, or a 401 problem to fail with. */
  public static Caller requireCaller(RoutingContext ctx) {
    return Caller.of(ctx).orElseThrow(InternalIdentity::unauthenticated);
  }

  static ProblemException unauthenticated() {
    return Problems.of(401, "This resource needs an authenticated caller");
  }
}
