package dev.storefront.order;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.security.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cart, a catalog and the payment service's tokens as their contracts describe them, published in
 * discovery as services "cart", "catalog" and "payment" like real instances, and recording what
 * they were asked and with which identity.
 */
final class StandIns {

  private StandIns() {}

  /** The subject of an internal identity token, read without checking its signature. */
  static String subject(String token) {
    if (token == null) {
      return null;
    }
    String[] parts = token.split("\\.");
    return new JsonObject(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
        .getString("sub");
  }

  private abstract static class Published {
    private HttpServer server;
    private ServiceDiscovery discovery;

    Future<Void> publish(Vertx vertx, String service, Router router) {
      server = vertx.createHttpServer().requestHandler(router);
      discovery = ServiceDiscovery.create(vertx);
      return server
          .listen(0, "127.0.0.1")
          .compose(
              s ->
                  discovery.publish(
                      Endpoint.record(
                          new ServiceIdentity(service, "test", "stand-in"),
                          "127.0.0.1",
                          s.actualPort(),
                          ClusterMembership.of(vertx).nodeId())))
          .mapEmpty();
    }

    Future<Void> stop() {
      discovery.close();
      return server.close();
    }
  }

  /** {@code GET /api/cart}: the cart set for the caller, empty otherwise. */
  static final class Cart extends Published {

    private final Map<String, JsonObject> carts = new ConcurrentHashMap<>();
    final List<String> identities = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    Future<Cart> start(Vertx vertx) {
      Router router = Router.router(vertx);
      router.get("/api/cart").handler(this::answer);
      return publish(vertx, "cart", router).map(this);
    }

    /** Sets {@code account}'s cart: lines of {productId, name, quantity, amountMinor}. */
    void set(String account, boolean pricesVerified, Object[]... lines) {
      JsonArray items = new JsonArray();
      long total = 0;
      for (Object[] line : lines) {
        long price = ((Number) line[3]).longValue();
        int quantity = (Integer) line[2];
        total += price * quantity;
        items.add(
            new JsonObject()
                .put("productId", line[0])
                .put("name", line[1])
                .put("quantity", quantity)
                .put("unitPrice", money(price))
                .put("lineTotal", money(price * quantity)));
      }
      JsonObject cart =
          new JsonObject()
              .put("items", items)
              .put("itemCount", lines.length)
              .put("totals", items.isEmpty() ? new JsonArray() : new JsonArray().add(money(total)))
              .put("pricesVerified", pricesVerified);
      if (!items.isEmpty()) {
        cart.put("subtotal", money(total)).put("updatedAt", Instant.now().toString());
      }
      carts.put(account, cart);
    }

    JsonObject get(String account) {
      return carts.get(account);
    }

    private void answer(RoutingContext ctx) {
      String token = ctx.request().getHeader(InternalTokens.HEADER);
      identities.add(String.valueOf(token));
      if (failing) {
        ctx.response().setStatusCode(500).end();
        return;
      }
      JsonObject cart = carts.get(subject(token));
      if (cart == null) {
        cart =
            new JsonObject()
                .put("items", new JsonArray())
                .put("itemCount", 0)
                .put("totals", new JsonArray())
                .put("pricesVerified", true);
      }
      ctx.response().putHeader("Content-Type", "application/json").end(cart.encode());
    }
  }

  /**
   * {@code PUT /internal/reservations/{orderId}} and {@code POST .../release}, over stock it holds
   * per product, all or nothing, idempotent per order like the catalog's.
   */
  static final class Catalog extends Published {

    final Map<String, Integer> stock = new ConcurrentHashMap<>();
    final Map<String, JsonArray> reserved = new ConcurrentHashMap<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    final List<String> reserveRequests = new CopyOnWriteArrayList<>();
    final List<String> identities = new CopyOnWriteArrayList<>();
    volatile long reserveDelayMs;
    volatile boolean releaseFailing;

    Future<Catalog> start(Vertx vertx) {
      Router router = Router.router(vertx);
      router
          .put("/internal/reservations/:orderId")
          .handler(BodyHandler.create())
          .handler(this::reserve);
      router.post("/internal/reservations/:orderId/release").handler(this::release);
      return publish(vertx, "catalog", router).map(this);
    }

    private void reserve(RoutingContext ctx) {
      String orderId = ctx.pathParam("orderId");
      reserveRequests.add(orderId);
      identities.add(String.valueOf(ctx.request().getHeader(InternalTokens.HEADER)));
      JsonArray items = ctx.body().asJsonObject().getJsonArray("items");
      Runnable answer =
          () -> {
            synchronized (this) {
              if (reserved.containsKey(orderId)) {
                ctx.response().setStatusCode(200).end(reservation(orderId).encode());
                return;
              }
              List<String> unknown = new ArrayList<>();
              JsonArray shortages = new JsonArray();
              for (Object o : items) {
                JsonObject item = (JsonObject) o;
                Integer available = stock.get(item.getString("productId"));
                if (available == null) {
                  unknown.add(item.getString("productId"));
                } else if (available < item.getInteger("quantity")) {
                  shortages.add(
                      new JsonObject()
                          .put("productId", item.getString("productId"))
                          .put("requested", item.getInteger("quantity"))
                          .put("available", available));
                }
              }
              if (!unknown.isEmpty()) {
                problem(ctx, 422, "unknown-product", new JsonObject().put("productIds", unknown));
                return;
              }
              if (!shortages.isEmpty()) {
                problem(
                    ctx, 409, "insufficient-stock", new JsonObject().put("shortages", shortages));
                return;
              }
              for (Object o : items) {
                JsonObject item = (JsonObject) o;
                stock.merge(
                    item.getString("productId"), -item.getInteger("quantity"), Integer::sum);
              }
              reserved.put(orderId, items.copy());
              ctx.response().setStatusCode(201).end(reservation(orderId).encode());
            }
          };
      if (reserveDelayMs > 0) {
        ctx.vertx().setTimer(reserveDelayMs, t -> answer.run());
      } else {
        answer.run();
      }
    }

    private void release(RoutingContext ctx) {
      String orderId = ctx.pathParam("orderId");
      if (releaseFailing) {
        ctx.response().setStatusCode(503).end();
        return;
      }
      synchronized (this) {
        JsonArray items = reserved.remove(orderId);
        if (items == null) {
          problem(ctx, 404, "not-found", new JsonObject());
          return;
        }
        released.add(orderId);
        for (Object o : items) {
          JsonObject item = (JsonObject) o;
          stock.merge(item.getString("productId"), item.getInteger("quantity"), Integer::sum);
        }
      }
      ctx.response().setStatusCode(200).end(new JsonObject().put("status", "released").encode());
    }

    private JsonObject reservation(String orderId) {
      return new JsonObject()
          .put("orderId", orderId)
          .put("status", "reserved")
          .put("items", reserved.get(orderId));
    }

    private static void problem(RoutingContext ctx, int status, String slug, JsonObject extra) {
      JsonObject body =
          new JsonObject()
              .put("type", "urn:storefront:problem:" + slug)
              .put("title", "Problem")
              .put("status", status)
              .put("detail", slug);
      extra.forEach(e -> body.put(e.getKey(), e.getValue()));
      ctx.response()
          .setStatusCode(status)
          .putHeader("Content-Type", "application/problem+json")
          .end(body.encode());
    }
  }

  /**
   * {@code GET /api/payments/tokens/{token}}: 200 for a token of the caller (or one any caller may
   * use), with {@code expired}; 404 for a token unknown or another account's, like the payment
   * service.
   */
  static final class Payment extends Published {

    final Map<String, String> owners = new ConcurrentHashMap<>();
    final Set<String> anyone = ConcurrentHashMap.newKeySet();
    final Set<String> expired = ConcurrentHashMap.newKeySet();
    final List<String> asked = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    Future<Payment> start(Vertx vertx) {
      Router router = Router.router(vertx);
      router.get("/api/payments/tokens/:token").handler(this::answer);
      return publish(vertx, "payment", router).map(this);
    }

    private void answer(RoutingContext ctx) {
      String token = ctx.pathParam("token");
      asked.add(token);
      if (failing) {
        ctx.response().setStatusCode(503).end();
        return;
      }
      String caller = subject(ctx.request().getHeader(InternalTokens.HEADER));
      if (!anyone.contains(token) && (caller == null || !caller.equals(owners.get(token)))) {
        ctx.response()
            .setStatusCode(404)
            .putHeader("Content-Type", "application/problem+json")
            .end(new JsonObject().put("status", 404).put("detail", "No payment token").encode());
        return;
      }
      ctx.response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("token", token)
                  .put("brand", "visa")
                  .put("last4", "4242")
                  .put("expired", expired.contains(token))
                  .encode());
    }
  }

  static JsonObject money(long amountMinor) {
    return new JsonObject().put("amountMinor", amountMinor).put("currency", "EUR");
  }
}
