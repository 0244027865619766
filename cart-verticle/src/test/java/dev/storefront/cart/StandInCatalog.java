package dev.storefront.cart;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog's product read as its contract describes it ({@code GET /api/products/{id}}: the
 * product with an ETag of its version, or 404 problem+json), published in discovery as service
 * "catalog" like a real instance. It can be switched to fail (500) or to hang, as a catalog that is
 * down or overloaded does.
 */
public final class StandInCatalog {

  /** How the stand-in answers. */
  public enum Mode {
    UP,
    FAILING,
    HANGING
  }

  private final Map<String, JsonObject> products = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Mode mode = Mode.UP;
  private HttpServer server;
  private ServiceDiscovery discovery;

  /** Listens on a free port and publishes itself in {@code vertx}'s discovery. */
  public Future<StandInCatalog> start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/api/products/:id").handler(ctx -> answer(vertx, ctx));
    server = vertx.createHttpServer().requestHandler(router);
    discovery = ServiceDiscovery.create(vertx);
    return server
        .listen(0, "127.0.0.1")
        .compose(
            s ->
                discovery.publish(
                    Endpoint.record(
                        new ServiceIdentity("catalog", "test", "stand-in"),
                        "127.0.0.1",
                        s.actualPort(),
                        ClusterMembership.of(vertx).nodeId())))
        .map(this);
  }

  public Future<Void> stop() {
    discovery.close();
    return server.close();
  }

  /** A new product; returns its id. */
  public String add(String name, long amountMinor, String currency) {
    String id = UUID.randomUUID().toString();
    put(id, name, amountMinor, currency);
    return id;
  }

  /** Creates or changes a product, raising its version. */
  public void put(String id, String name, long amountMinor, String currency) {
    JsonObject previous = products.get(id);
    long version = previous == null ? 1 : previous.getLong("version") + 1;
    products.put(
        id,
        new JsonObject()
            .put("id", id)
            .put("sku", "SKU-" + id.substring(0, 8))
            .put("name", name)
            .put("description", "")
            .put("category", "books")
            .put(
                "price", new JsonObject().put("amountMinor", amountMinor).put("currency", currency))
            .put("stock", 10)
            .put("version", version)
            .put("updatedAt", Instant.now().toString()));
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public int requests() {
    return requests.get();
  }

  private void answer(Vertx vertx, io.vertx.ext.web.RoutingContext ctx) {
    requests.incrementAndGet();
    switch (mode) {
      case FAILING -> ctx.response().setStatusCode(500).end();
      case HANGING -> vertx.setTimer(5_000, t -> ctx.response().setStatusCode(500).end());
      case UP -> {
        JsonObject product = products.get(ctx.pathParam("id"));
        if (product == null) {
          ctx.response()
              .setStatusCode(404)
              .putHeader("Content-Type", "application/problem+json")
              .end(
                  new JsonObject()
                      .put("type", "about:blank")
                      .put("title", "Not Found")
                      .put("status", 404)
                      .put("detail", "No product with id " + ctx.pathParam("id"))
                      .encode());
          return;
        }
        ctx.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("ETag", "\"" + product.getLong("version") + "\"")
            .end(product.encode());
      }
    }
  }
}
