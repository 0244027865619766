package dev.storefront.catalog;

import static dev.storefront.catalog.TestCatalog.ADMIN;
import static dev.storefront.catalog.TestCatalog.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.events.ProductChanges;
import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.security.EcKeys;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two catalog processes (two clustered Vert.x instances with the project's Hazelcast configuration,
 * one database), each with its own cache: a change made through one must not be served stale by the
 * other.
 */
class CacheInvalidationClusterIT {

  /** How long the other process may take to hear of a change. */
  private static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(5);

  private static ThrowawayDatabase db;
  private static final List<Vertx> nodes = new ArrayList<>();
  private static TestCatalog a;
  private static TestCatalog b;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("catalog_cluster");
    String clusterName = "catalog-it-" + UUID.randomUUID();
    // Far from 5701, where a local stack may run, so the test never joins it.
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    for (int i = 0; i < 2; i++) {
      ClusterConfig cluster =
          new ClusterConfig(
              clusterName, "tcp", List.of("127.0.0.1"), "127.0.0.1", basePort, 20, "", true);
      VertxOptions options =
          new VertxOptions()
              .setEventBusOptions(
                  new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
      nodes.add(
          await(
              Vertx.builder()
                  .with(options)
                  .withClusterManager(
                      new HazelcastClusterManager(HazelcastConfigFactory.create(cluster)))
                  .buildClustered()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!nodes.stream().allMatch(n -> ClusterMembership.of(n).memberIds().size() == 2)) {
      assertThat(System.nanoTime()).as("both members see each other").isLessThan(deadline);
      Thread.sleep(100);
    }
    EcKeys.SigningKey key = EcKeys.generate();
    a = TestCatalog.start(nodes.get(0), TestCatalog.env(db, key), key);
    b = TestCatalog.start(nodes.get(1), TestCatalog.env(db, key), key);
    TestCatalog.sql(db, "INSERT INTO categories (slug, name) VALUES ('kitchen', 'Kitchen')");
  }

  @AfterAll
  static void stop() {
    for (Vertx node : nodes) {
      await(node.close());
    }
    if (db != null) {
      db.close();
    }
  }

  private static JsonObject input(String name, int stock) {
    return new JsonObject()
        .put("sku", "SKU-" + name)
        .put("name", name)
        .put("category", "kitchen")
        .put("price", new JsonObject().put("amountMinor", 1000).put("currency", "EUR"))
        .put("stock", stock);
  }

  /** Reads through {@code node} until {@code version} shows, or the limit passes. */
  private static JsonObject awaitVersion(TestCatalog node, String path, int version)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROPAGATION_LIMIT.toNanos();
    JsonObject body;
    do {
      body = node.get(path).bodyAsJsonObject();
      if (body.getInteger("version") == version) {
        return body;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return body;
  }

  @Test
  void anUpdateThroughOneProcessIsSeenThroughTheOther() throws Exception {
    HttpResponse<Buffer> created =
        a.send(HttpMethod.POST, "/api/products", ADMIN, input("Kettle", 4));
    String path = created.getHeader("Location");
    // B reads, and caches, version 1.
    assertThat(b.get(path).getHeader("ETag")).isEqualTo("\"1\"");
    double hitsBefore = b.counter("storefront_catalog_cache_hits");
    assertThat(b.get(path).bodyAsJsonObject().getString("name")).isEqualTo("Kettle");
    assertThat(b.counter("storefront_catalog_cache_hits")).isEqualTo(hitsBefore + 1);

    // The control: a change behind the catalog's back stays invisible to B's cache, so what
    // follows is not passing merely because B reads the database every time.
    TestCatalog.sql(db, "UPDATE products SET name = 'Sneaky' WHERE sku = 'SKU-Kettle'");
    assertThat(b.get(path).bodyAsJsonObject().getString("name")).isEqualTo("Kettle");

    HttpResponse<Buffer> updated =
        await(
            a.request(HttpMethod.PUT, path, ADMIN)
                .putHeader("If-Match", "\"1\"")
                .sendJsonObject(input("Kettle Pro", 9)));
    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);

    JsonObject seen = awaitVersion(b, path, 2);
    assertThat(seen.getInteger("version")).isEqualTo(2);
    assertThat(seen.getString("name")).isEqualTo("Kettle Pro");
    assertThat(seen.getInteger("stock")).isEqualTo(9);
    assertThat(b.counter("storefront_catalog_cache_invalidations")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aReservationThroughOneProcessChangesTheStockTheOtherServes() throws Exception {
    HttpResponse<Buffer> created =
        a.send(HttpMethod.POST, "/api/products", ADMIN, input("Teapot", 10));
    String path = created.getHeader("Location");
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(a.get(path).bodyAsJsonObject().getInteger("stock")).isEqualTo(10);
    assertThat(b.get(path).bodyAsJsonObject().getInteger("stock")).isEqualTo(10);

    JsonObject items =
        new JsonObject()
            .put(
                "items",
                new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("productId", id).put("quantity", 3)));
    assertThat(
            b.send(HttpMethod.PUT, "/internal/reservations/" + UUID.randomUUID(), ADMIN, items)
                .statusCode())
        .isEqualTo(201);

    JsonObject seen = awaitVersion(a, path, 2);
    assertThat(seen.getInteger("stock")).isEqualTo(7);
  }

  @Test
  void everyProcessListensOnTheDocumentedAddress() throws Exception {
    // A change announced by any cluster member (a future tool, another service version) is
    // honoured by every catalog process.
    HttpResponse<Buffer> created =
        a.send(HttpMethod.POST, "/api/products", ADMIN, input("Whisk", 1));
    String path = created.getHeader("Location");
    String id = created.bodyAsJsonObject().getString("id");
    b.get(path);
    TestCatalog.sql(
        db, "UPDATE products SET name = 'Balloon Whisk', version = 2 WHERE id = '" + id + "'");
    assertThat(b.get(path).bodyAsJsonObject().getString("name")).isEqualTo("Whisk");

    nodes
        .get(0)
        .eventBus()
        .publish(
            ProductChanges.ADDRESS,
            new JsonObject().put("ids", new io.vertx.core.json.JsonArray().add(id)));

    assertThat(awaitVersion(b, path, 2).getString("name")).isEqualTo("Balloon Whisk");
  }
}
