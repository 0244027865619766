package dev.storefront.common.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Liveness and readiness. Live: the event loop answers. Ready: every dependency the service
 * registered answers within its time limit, and the process is not draining.
 */
public final class Health {

  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final HealthChecks readiness;
  private volatile boolean accepting = true;

  public Health(Vertx vertx) {
    this.readiness = HealthChecks.create(vertx);
  }

  /** Registers a readiness check: the future succeeds when {@code name} answers. */
  public Health check(String name, Supplier<Future<?>> probe) {
    readiness.register(
        name,
        CHECK_TIMEOUT_MS,
        promise ->
            probe
                .get()
                .onSuccess(v -> promise.tryComplete(Status.OK()))
                .onFailure(
                    e ->
                        promise.tryComplete(
                            Status.KO(
                                new JsonObject().put("error", String.valueOf(e.getMessage()))))));
    return this;
  }

  /**
   * Registers a readiness entry that never fails the check but says what is degraded: {@code
   * details} is shown under {@code name} (an empty object when all is well).
   */
  public Health report(String name, Supplier<JsonObject> details) {
    readiness.register(name, promise -> promise.tryComplete(Status.OK(details.get())));
    return this;
  }

  /** From now on the process reports not ready, so balancers stop sending it work. */
  public void stopAccepting() {
    accepting = false;
  }

  public boolean accepting() {
    return accepting;
  }

  public Future<CheckResult> checkReadiness() {
    return readiness.checkStatus();
  }

  public void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    if (!accepting) {
      respond(ctx, false, new JsonObject().put("status", "DOWN").put("reason", "draining"));
      return;
    }
    checkReadiness()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                respond(ctx, false, new JsonObject().put("status", "DOWN"));
                return;
              }
              CheckResult result = ar.result();
              JsonObject body = result.toJson();
              boolean up = result.getUp();
              body.put("status", up ? "UP" : "DOWN");
              respond(ctx, up, body);
            });
  }

  private static void respond(RoutingContext ctx, boolean up, JsonObject body) {
    ctx.response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
