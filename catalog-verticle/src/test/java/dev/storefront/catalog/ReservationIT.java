package dev.storefront.catalog;

import static dev.storefront.catalog.TestCatalog.CUSTOMER;
import static dev.storefront.catalog.TestCatalog.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.model.Reservation;
import dev.storefront.catalog.repository.ReservationRepository;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.security.EcKeys;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stock reservations through the internal API and the service, against a real database. */
class ReservationIT {

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static TestCatalog catalog;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("catalog_reservations");
    vertx = Vertx.vertx();
    EcKeys.SigningKey key = EcKeys.generate();
    catalog = TestCatalog.start(vertx, TestCatalog.env(db, key), key);
    TestCatalog.sql(db, "INSERT INTO categories (slug, name) VALUES ('tools', 'Tools')");
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      await(vertx.close());
    }
    if (db != null) {
      db.close();
    }
  }

  private static UUID product(int stock) {
    UUID id = UUID.randomUUID();
    TestCatalog.sql(
        db,
        "INSERT INTO products (id, sku, name, category_id, price_minor, currency, stock,"
            + " stock_received)"
            + " SELECT '"
            + id
            + "', 'SKU-"
            + id
            + "', 'Hammer', id, 1000, 'EUR', "
            + stock
            + ", "
            + stock
            + " FROM categories WHERE slug = 'tools'");
    return id;
  }

  private static int stock(UUID product) {
    return (int)
        TestCatalog.queryLong(db, "SELECT stock FROM products WHERE id = '" + product + "'");
  }

  private static long units(UUID product, String status) {
    return TestCatalog.queryLong(
        db,
        "SELECT coalesce(sum(i.quantity), 0) FROM stock_reservation_items i JOIN"
            + " stock_reservations r USING (order_id) WHERE i.product_id = '"
            + product
            + "' AND r.status = '"
            + status
            + "'");
  }

  private static JsonObject items(Object... productAndQuantity) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      items.add(
          new JsonObject()
              .put("productId", productAndQuantity[i].toString())
              .put("quantity", productAndQuantity[i + 1]));
    }
    return new JsonObject().put("items", items);
  }

  private static HttpResponse<Buffer> reserve(UUID order, JsonObject items) {
    return catalog.send(HttpMethod.PUT, "/internal/reservations/" + order, CUSTOMER, items);
  }

  private static HttpResponse<Buffer> transition(UUID order, String action) {
    return catalog.send(
        HttpMethod.POST, "/internal/reservations/" + order + "/" + action, CUSTOMER, null);
  }

  @Test
  void hundredConcurrentReservationsOfTenUnitsSellExactlyTen() {
    UUID product = product(10);
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(
          catalog.sendAsync(
              HttpMethod.PUT,
              "/internal/reservations/" + UUID.randomUUID(),
              CUSTOMER,
              items(product, 1)));
    }
    await(Future.join(calls));

    long created = calls.stream().filter(c -> c.result().statusCode() == 201).count();
    long refused = calls.stream().filter(c -> c.result().statusCode() == 409).count();
    assertThat(created).isEqualTo(10);
    assertThat(refused).isEqualTo(90);
    assertThat(stock(product)).isZero();
    assertThat(units(product, "reserved")).isEqualTo(10);
    assertThat(
            catalog.counter(
                "storefront_catalog_reservations",
                "operation",
                "reserve",
                "outcome",
                "insufficient_stock"))
        .isGreaterThanOrEqualTo(90);
  }

  @Test
  void concurrentMultiItemReservationsInOppositeOrdersNeitherDeadlockNorOversell() {
    UUID a = product(30);
    UUID b = product(30);
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JsonObject body = i % 2 == 0 ? items(a, 1, b, 1) : items(b, 1, a, 1);
      calls.add(
          catalog.sendAsync(
              HttpMethod.PUT, "/internal/reservations/" + UUID.randomUUID(), CUSTOMER, body));
    }
    await(Future.join(calls));

    assertThat(calls).allSatisfy(c -> assertThat(c.result().statusCode()).isIn(201, 409));
    assertThat(calls.stream().filter(c -> c.result().statusCode() == 201).count()).isEqualTo(30);
    assertThat(stock(a)).isZero();
    assertThat(stock(b)).isZero();
  }

  @Test
  void theSameOrderReservesOnce() {
    UUID product = product(10);
    UUID order = UUID.randomUUID();

    HttpResponse<Buffer> first = reserve(order, items(product, 3));
    HttpResponse<Buffer> again = reserve(order, items(product, 3));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.getHeader("Location")).isEqualTo("/internal/reservations/" + order);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(stock(product)).isEqualTo(7);
    HttpResponse<Buffer> other = reserve(order, items(product, 4));
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo(ReservationRepository.RESERVATION_CONFLICT);
    assertThat(stock(product)).isEqualTo(7);
  }

  @Test
  void concurrentDuplicatesOfOneOrderReserveOnce() {
    UUID product = product(100);
    UUID order = UUID.randomUUID();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(
          catalog.sendAsync(
              HttpMethod.PUT, "/internal/reservations/" + order, CUSTOMER, items(product, 5)));
    }
    await(Future.join(calls));

    assertThat(calls.stream().filter(c -> c.result().statusCode() == 201).count()).isEqualTo(1);
    assertThat(calls.stream().filter(c -> c.result().statusCode() == 200).count()).isEqualTo(19);
    assertThat(stock(product)).isEqualTo(95);
  }

  @Test
  void oneItemShortReservesNothing() {
    UUID plenty = product(50);
    UUID scarce = product(2);
    UUID order = UUID.randomUUID();

    HttpResponse<Buffer> r = reserve(order, items(plenty, 5, scarce, 3));

    assertThat(r.statusCode()).isEqualTo(409);
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo(ReservationRepository.INSUFFICIENT_STOCK);
    assertThat(problem.getString("detail"))
        .contains(scarce.toString())
        .doesNotContain(plenty.toString());
    assertThat(problem.getJsonArray("shortages").getJsonObject(0).getMap())
        .isEqualTo(Map.of("productId", scarce.toString(), "requested", 3, "available", 2));
    assertThat(stock(plenty)).isEqualTo(50);
    assertThat(stock(scarce)).isEqualTo(2);
    assertThat(transition(order, "commit").statusCode()).isEqualTo(404);
    // The failed attempt left nothing behind: the same order can try again with what is there.
    assertThat(reserve(order, items(plenty, 5, scarce, 2)).statusCode()).isEqualTo(201);
  }

  @Test
  void anUnknownProductIs422() {
    HttpResponse<Buffer> r = reserve(UUID.randomUUID(), items(UUID.randomUUID(), 1));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getString("type"))
        .isEqualTo(ReservationRepository.UNKNOWN_PRODUCT);
  }

  @Test
  void releaseReturnsTheStockCommitKeepsItSold() {
    UUID product = product(10);
    UUID released = UUID.randomUUID();
    UUID committed = UUID.randomUUID();
    reserve(released, items(product, 2));
    reserve(committed, items(product, 3));
    assertThat(stock(product)).isEqualTo(5);

    HttpResponse<Buffer> release = transition(released, "release");
    HttpResponse<Buffer> commit = transition(committed, "commit");

    assertThat(release.statusCode()).isEqualTo(200);
    assertThat(release.bodyAsJsonObject().getString("status")).isEqualTo("released");
    assertThat(commit.bodyAsJsonObject().getString("status")).isEqualTo("committed");
    assertThat(stock(product)).isEqualTo(7);
    assertThat(units(product, "committed")).isEqualTo(3);
    // Initial stock = stock + reserved + sold.
    assertThat(stock(product) + units(product, "reserved") + units(product, "committed"))
        .isEqualTo(10)
        .isEqualTo(
            TestCatalog.queryLong(
                db, "SELECT stock_received FROM products WHERE id = '" + product + "'"));
    // Product reads see the new stock at once: this process's cache was invalidated.
    assertThat(catalog.get("/api/products/" + product).bodyAsJsonObject().getInteger("stock"))
        .isEqualTo(7);
  }

  @Test
  void transitionsAreIdempotentAndOneWay() {
    UUID product = product(10);
    UUID order = UUID.randomUUID();
    reserve(order, items(product, 4));

    assertThat(transition(order, "release").statusCode()).isEqualTo(200);
    assertThat(transition(order, "release").statusCode()).isEqualTo(200);
    assertThat(stock(product)).isEqualTo(10);
    HttpResponse<Buffer> commit = transition(order, "commit");
    assertThat(commit.statusCode()).isEqualTo(409);
    assertThat(commit.bodyAsJsonObject().getString("status")).isEqualTo("released");

    UUID sold = UUID.randomUUID();
    reserve(sold, items(product, 4));
    assertThat(transition(sold, "commit").statusCode()).isEqualTo(200);
    assertThat(transition(sold, "commit").statusCode()).isEqualTo(200);
    assertThat(transition(sold, "release").statusCode()).isEqualTo(409);
    assertThat(stock(product)).isEqualTo(6);

    assertThat(transition(UUID.randomUUID(), "commit").statusCode()).isEqualTo(404);
    assertThat(transition(UUID.randomUUID(), "release").statusCode()).isEqualTo(404);
  }

  @Test
  void aReservationCanBeRead() {
    UUID product = product(10);
    UUID order = UUID.randomUUID();
    reserve(order, items(product, 1));

    HttpResponse<Buffer> r =
        catalog.send(HttpMethod.GET, "/internal/reservations/" + order, CUSTOMER, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("orderId")).isEqualTo(order.toString());
    assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("reserved");
    assertThat(r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getInteger("quantity"))
        .isEqualTo(1);
    assertThat(
            catalog
                .send(HttpMethod.GET, "/internal/reservations/" + UUID.randomUUID(), CUSTOMER, null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theInternalApiNeedsAnInternalIdentity() {
    UUID product = product(10);
    UUID order = UUID.randomUUID();

    HttpResponse<Buffer> anonymous =
        catalog.send(HttpMethod.PUT, "/internal/reservations/" + order, null, items(product, 1));
    HttpResponse<Buffer> forged =
        await(
            catalog
                .client
                .put(catalog.port, "127.0.0.1", "/internal/reservations/" + order)
                .putHeader("X-Storefront-Identity", EcKeysForgery.token())
                .sendJsonObject(items(product, 1)));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(
            catalog
                .send(HttpMethod.GET, "/internal/reservations/" + order, null, null)
                .statusCode())
        .isEqualTo(401);
    assertThat(stock(product)).isEqualTo(10);
  }

  @Test
  void badRequestsAre400() {
    UUID product = product(10);

    assertThat(reserve(UUID.randomUUID(), items(product, 1, product, 2)).statusCode())
        .isEqualTo(400);
    assertThat(reserve(UUID.randomUUID(), new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(
            catalog
                .send(HttpMethod.PUT, "/internal/reservations/nope", CUSTOMER, items(product, 1))
                .statusCode())
        .isEqualTo(400);
    assertThat(stock(product)).isEqualTo(10);
  }

  @Test
  void theJavaServiceAnswersAsTheApiDoes() {
    UUID product = product(3);
    var service = catalog.verticle.reservations();
    UUID order = UUID.randomUUID();

    var first = await(service.reserve(order, List.of(new Reservation.Item(product, 2))));
    var again = await(service.reserve(order, List.of(new Reservation.Item(product, 2))));
    Throwable shortage =
        await(
            service
                .reserve(UUID.randomUUID(), List.of(new Reservation.Item(product, 2)))
                .<Throwable>map(r -> null)
                .recover(Future::succeededFuture));

    assertThat(first.changed()).isTrue();
    assertThat(again.changed()).isFalse();
    assertThat(shortage)
        .isInstanceOfSatisfying(
            ProblemException.class,
            p -> assertThat(p.type()).isEqualTo(ReservationRepository.INSUFFICIENT_STOCK));
    assertThat(stock(product)).isEqualTo(1);
  }
}
