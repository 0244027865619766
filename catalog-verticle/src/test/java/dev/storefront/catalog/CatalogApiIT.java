package dev.storefront.catalog;

import static dev.storefront.catalog.TestCatalog.ADMIN;
import static dev.storefront.catalog.TestCatalog.CUSTOMER;
import static dev.storefront.catalog.TestCatalog.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.security.EcKeys;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public and admin product API on a real catalog process and a real database. */
class CatalogApiIT {

  private static final int BULK = 57;

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static TestCatalog catalog;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("catalog_api");
    vertx = Vertx.vertx();
    EcKeys.SigningKey key = EcKeys.generate();
    catalog = TestCatalog.start(vertx, TestCatalog.env(db, key), key);
    TestCatalog.sql(
        db,
        "INSERT INTO categories (slug, name) VALUES ('kitchen', 'Kitchen'), ('books', 'Books'),"
            + " ('garden', 'Garden'), ('bulk', 'A bulk lot'), ('scratch', 'Scratch')");
    create("KIT-1", "Steel Kettle", "Boils water fast", "kitchen", 2999, 5);
    create("KIT-2", "Glass Kettle", "Watch the water boil", "kitchen", 3999, 5);
    create("KIT-3", "Teapot", "Pairs well with any kettle", "kitchen", 1999, 5);
    create("GAR-1", "Garden Hose", "Twenty metres of hose", "garden", 1500, 5);
    create("BOK-1", "Cookbook", "Recipes for a small kitchen", "books", 2500, 5);
    // Repeated names and prices, so only the id can order them.
    TestCatalog.sql(
        db,
        "INSERT INTO products (id, sku, name, category_id, price_minor, currency, stock,"
            + " stock_received)"
            + " SELECT gen_random_uuid(), 'BULK-' || i, 'Widget ' || (i % 5), c.id,"
            + " 100 * (i % 7), 'EUR', 1, 1 FROM generate_series(1, "
            + BULK
            + ") i, categories c WHERE c.slug = 'bulk'");
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

  private static JsonObject input(
      String sku, String name, String description, String category, long price, int stock) {
    return new JsonObject()
        .put("sku", sku)
        .put("name", name)
        .put("description", description)
        .put("category", category)
        .put("price", new JsonObject().put("amountMinor", price).put("currency", "EUR"))
        .put("stock", stock);
  }

  private static JsonObject create(
      String sku, String name, String description, String category, long price, int stock) {
    HttpResponse<Buffer> r =
        catalog.send(
            HttpMethod.POST,
            "/api/products",
            ADMIN,
            input(sku, name, description, category, price, stock));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static JsonObject page(String query) {
    HttpResponse<Buffer> r = catalog.get("/api/products?" + query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject page) {
    List<JsonObject> items = new ArrayList<>();
    page.getJsonArray("items").forEach(i -> items.add((JsonObject) i));
    return items;
  }

  private static List<String> names(JsonObject page) {
    return items(page).stream().map(i -> i.getString("name")).toList();
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  @Test
  void searchFindsNamesBeforeDescriptions() {
    JsonObject page = page("q=kettle");

    assertThat(page.getLong("total")).isEqualTo(3);
    List<String> names = names(page);
    // Both kettles match in the name (weight A); the teapot only in its description (B).
    assertThat(names.subList(0, 2)).containsExactlyInAnyOrder("Steel Kettle", "Glass Kettle");
    assertThat(names.get(2)).isEqualTo("Teapot");
  }

  @Test
  void searchStemsWordsAndCombinesThem() {
    assertThat(names(page("q=kettles"))).contains("Steel Kettle", "Glass Kettle");
    assertThat(names(page("q=steel%20kettle"))).containsExactly("Steel Kettle");
    assertThat(names(page("q=kettle%20-steel"))).doesNotContain("Steel Kettle").contains("Teapot");
    assertThat(page("q=zeppelin").getLong("total")).isZero();
  }

  @Test
  void searchWithAnOrderKeepsTheOrder() {
    assertThat(names(page("q=kettle&sort=price")))
        .containsExactly("Teapot", "Steel Kettle", "Glass Kettle");
    assertThat(names(page("q=kettle&sort=-price")))
        .containsExactly("Glass Kettle", "Steel Kettle", "Teapot");
  }

  @Test
  void theCategoryFilterKeepsOnlyItsProducts() {
    JsonObject kitchen = page("category=kitchen");

    assertThat(kitchen.getLong("total")).isEqualTo(3);
    assertThat(items(kitchen))
        .allSatisfy(i -> assertThat(i.getString("category")).isEqualTo("kitchen"));
    assertThat(names(page("category=kitchen&q=water")))
        .containsExactlyInAnyOrder("Steel Kettle", "Glass Kettle");
  }

  @Test
  void anUnknownCategoryIsAnEmptyPage() {
    JsonObject page = page("category=spaceships");

    assertThat(page.getLong("total")).isZero();
    assertThat(page.getJsonArray("items")).isEmpty();
  }

  @Test
  void everyOrderIsTotalAndAsAsked() {
    List<JsonObject> byPrice = items(page("category=bulk&sort=price&size=100"));
    List<JsonObject> byPriceDesc = items(page("category=bulk&sort=-price&size=100"));
    List<JsonObject> byName = items(page("category=bulk&size=100"));

    Comparator<JsonObject> price =
        Comparator.comparing((JsonObject i) -> i.getJsonObject("price").getLong("amountMinor"));
    Comparator<JsonObject> id =
        Comparator.comparing(i -> UUID.fromString(i.getString("id")), TestIds.POSTGRES_ORDER);
    Comparator<JsonObject> name = Comparator.comparing(i -> i.getString("name"));
    assertThat(byPrice).hasSize(BULK).isSortedAccordingTo(price.thenComparing(id));
    assertThat(byPriceDesc).isSortedAccordingTo(price.thenComparing(id).reversed());
    assertThat(byName).isSortedAccordingTo(name.thenComparing(id));
  }

  @Test
  void pagesCoverEveryProductExactlyOnce() {
    for (String sort : new String[] {"name", "price", "-price"}) {
      Set<String> seen = new HashSet<>();
      int pages = 0;
      for (int p = 1; ; p++) {
        JsonObject page = page("category=bulk&size=10&sort=" + sort + "&page=" + p);
        assertThat(page.getLong("total")).isEqualTo(BULK);
        assertThat(page.getInteger("page")).isEqualTo(p);
        assertThat(page.getInteger("size")).isEqualTo(10);
        List<JsonObject> items = items(page);
        if (items.isEmpty()) {
          break;
        }
        pages++;
        items.forEach(i -> assertThat(seen.add(i.getString("id"))).as("seen once").isTrue());
      }
      assertThat(seen).as(sort).hasSize(BULK);
      assertThat(pages).isEqualTo(6);
    }
  }

  @Test
  void badListingParametersAre400() {
    assertProblem(catalog.get("/api/products?size=101"), 400);
    assertProblem(catalog.get("/api/products?size=0"), 400);
    assertProblem(catalog.get("/api/products?page=0"), 400);
    assertProblem(catalog.get("/api/products?page=x"), 400);
    assertProblem(catalog.get("/api/products?sort=colour"), 400);
  }

  @Test
  void categoriesAreListedByName() {
    HttpResponse<Buffer> r = catalog.get("/api/categories");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray all = r.bodyAsJsonArray();
    assertThat(all.stream().map(c -> ((JsonObject) c).getString("name")).toList())
        .containsExactly("A bulk lot", "Books", "Garden", "Kitchen", "Scratch");
    assertThat(all.getJsonObject(1).getString("slug")).isEqualTo("books");
  }

  @Test
  void aProductCarriesItsVersionAsETagAndAnswers304() {
    JsonObject created = create("ETAG-1", "Lamp", "Bright", "garden", 999, 1);
    String path = "/api/products/" + created.getString("id");

    HttpResponse<Buffer> first = catalog.get(path);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(first.bodyAsJsonObject().getString("sku")).isEqualTo("ETAG-1");
    assertThat(first.bodyAsJsonObject().getJsonObject("price").getLong("amountMinor"))
        .isEqualTo(999);

    HttpResponse<Buffer> again =
        await(
            catalog
                .client
                .get(catalog.port, "127.0.0.1", path)
                .putHeader("If-None-Match", "\"1\"")
                .send());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(again.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(again.body()).isNull();

    HttpResponse<Buffer> other =
        await(
            catalog
                .client
                .get(catalog.port, "127.0.0.1", path)
                .putHeader("If-None-Match", "\"7\"")
                .send());
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void malformedOrUnknownIdsAre404() {
    assertProblem(catalog.get("/api/products/not-a-uuid"), 404);
    assertProblem(catalog.get("/api/products/" + UUID.randomUUID()), 404);
  }

  @Test
  void writesNeedAnAdminAskedOfTheServiceItself() {
    JsonObject body = input("AUTH-1", "Rake", "", "garden", 500, 1);

    assertProblem(catalog.send(HttpMethod.POST, "/api/products", null, body), 401);
    assertProblem(catalog.send(HttpMethod.POST, "/api/products", CUSTOMER, body), 403);
    HttpResponse<Buffer> forged =
        await(
            catalog
                .client
                .post(catalog.port, "127.0.0.1", "/api/products")
                .putHeader("X-Storefront-Identity", "not.a.token")
                .sendJsonObject(body));
    assertProblem(forged, 401);
    String id = create("AUTH-2", "Rake", "", "garden", 500, 1).getString("id");
    assertProblem(catalog.send(HttpMethod.PUT, "/api/products/" + id, CUSTOMER, body), 403);
    assertProblem(catalog.send(HttpMethod.DELETE, "/api/products/" + id, null, null), 401);
    assertThat(TestCatalog.queryLong(db, "SELECT count(*) FROM products WHERE sku = 'AUTH-1'"))
        .isZero();
  }

  @Test
  void creatingAnswersLocationAndETag() {
    HttpResponse<Buffer> r =
        catalog.send(
            HttpMethod.POST,
            "/api/products",
            ADMIN,
            input("NEW-1", "Shovel", "Digs", "garden", 1299, 4));

    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(r.getHeader("Location")).isEqualTo("/api/products/" + body.getString("id"));
    assertThat(r.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(body.getInteger("version")).isEqualTo(1);
    assertThat(body.getString("category")).isEqualTo("garden");
    assertThat(body.getString("updatedAt")).isNotBlank();
    assertThat(catalog.get(r.getHeader("Location")).bodyAsJsonObject().getString("name"))
        .isEqualTo("Shovel");
  }

  @Test
  void aDuplicateSkuIs409AndAnUnknownCategory422() {
    create("DUP-1", "Trowel", "", "garden", 700, 1);

    assertProblem(
        catalog.send(
            HttpMethod.POST, "/api/products", ADMIN, input("DUP-1", "Other", "", "garden", 1, 1)),
        409);
    HttpResponse<Buffer> unknown =
        catalog.send(
            HttpMethod.POST,
            "/api/products",
            ADMIN,
            input("CAT-9", "Thing", "", "spaceships", 1, 1));
    assertProblem(unknown, 422);
    assertThat(unknown.bodyAsJsonObject().getString("detail")).contains("spaceships");
    assertThat(
            TestCatalog.queryLong(
                db, "SELECT count(*) FROM products WHERE sku IN ('DUP-1', 'CAT-9')"))
        .isEqualTo(1);
  }

  @Test
  void badBodiesAreRefusedWithNothingWritten() {
    long before = TestCatalog.queryLong(db, "SELECT count(*) FROM products");
    HttpResponse<Buffer> malformed =
        await(
            catalog
                .request(HttpMethod.POST, "/api/products", ADMIN)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"sku\":")));
    HttpResponse<Buffer> text =
        await(
            catalog
                .request(HttpMethod.POST, "/api/products", ADMIN)
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("{}")));
    JsonObject huge = input("BIG-1", "Big", "x".repeat(70 * 1024), "garden", 1, 1);
    HttpResponse<Buffer> tooLarge = catalog.send(HttpMethod.POST, "/api/products", ADMIN, huge);
    HttpResponse<Buffer> invalid =
        catalog.send(
            HttpMethod.POST, "/api/products", ADMIN, input("BAD-1", "", "", "garden", -5, 1));
    HttpResponse<Buffer> array =
        await(
            catalog
                .request(HttpMethod.POST, "/api/products", ADMIN)
                .sendJson(new JsonArray().add(1)));

    assertProblem(malformed, 400);
    assertProblem(text, 415);
    assertProblem(tooLarge, 413);
    assertProblem(invalid, 400);
    assertThat(invalid.bodyAsJsonObject().getJsonArray("errors")).hasSize(2);
    assertProblem(array, 400);
    assertThat(TestCatalog.queryLong(db, "SELECT count(*) FROM products")).isEqualTo(before);
  }

  @Test
  void replacingNeedsTheCurrentETag() {
    JsonObject created = create("PUT-1", "Bucket", "Holds water", "garden", 899, 3);
    String path = "/api/products/" + created.getString("id");
    JsonObject change = input("PUT-1", "Bucket XL", "Holds more water", "scratch", 1099, 7);
    // A read first, so the process caches the product the update must then replace.
    assertThat(catalog.get(path).bodyAsJsonObject().getString("name")).isEqualTo("Bucket");

    assertProblem(catalog.send(HttpMethod.PUT, path, ADMIN, change), 428);
    HttpResponse<Buffer> stale =
        await(
            catalog
                .request(HttpMethod.PUT, path, ADMIN)
                .putHeader("If-Match", "\"5\"")
                .sendJsonObject(change));
    assertProblem(stale, 412);
    assertThat(stale.bodyAsJsonObject().getInteger("currentVersion")).isEqualTo(1);
    HttpResponse<Buffer> weak =
        await(
            catalog
                .request(HttpMethod.PUT, path, ADMIN)
                .putHeader("If-Match", "W/\"1\"")
                .sendJsonObject(change));
    assertProblem(weak, 412);

    HttpResponse<Buffer> ok =
        await(
            catalog
                .request(HttpMethod.PUT, path, ADMIN)
                .putHeader("If-Match", "\"1\"")
                .sendJsonObject(change));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(ok.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(ok.bodyAsJsonObject().getString("category")).isEqualTo("scratch");

    HttpResponse<Buffer> read = catalog.get(path);
    assertThat(read.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo("Bucket XL");
    assertThat(read.bodyAsJsonObject().getInteger("stock")).isEqualTo(7);
    // Created with 3 on sale, adjusted to 7: 7 units were ever put on sale.
    assertThat(
            TestCatalog.queryLong(
                db,
                "SELECT stock_received FROM products WHERE id = '" + created.getString("id") + "'"))
        .isEqualTo(7);

    HttpResponse<Buffer> again =
        await(
            catalog
                .request(HttpMethod.PUT, path, ADMIN)
                .putHeader("If-Match", "\"1\"")
                .sendJsonObject(change));
    assertProblem(again, 412);
    HttpResponse<Buffer> missing =
        await(
            catalog
                .request(HttpMethod.PUT, "/api/products/" + UUID.randomUUID(), ADMIN)
                .putHeader("If-Match", "\"1\"")
                .sendJsonObject(change));
    assertProblem(missing, 404);
  }

  @Test
  void deletingNeedsTheCurrentETag() {
    JsonObject created = create("DEL-1", "Sieve", "", "scratch", 499, 2);
    String path = "/api/products/" + created.getString("id");
    catalog.get(path);

    assertProblem(catalog.send(HttpMethod.DELETE, path, ADMIN, null), 428);
    assertProblem(
        await(
            catalog.request(HttpMethod.DELETE, path, ADMIN).putHeader("If-Match", "\"3\"").send()),
        412);
    HttpResponse<Buffer> deleted =
        await(
            catalog.request(HttpMethod.DELETE, path, ADMIN).putHeader("If-Match", "\"1\"").send());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertProblem(catalog.get(path), 404);
  }

  @Test
  void aProductWithReservedStockCannotBeDeleted() {
    JsonObject created = create("RES-1", "Colander", "", "scratch", 899, 5);
    String id = created.getString("id");
    String order = UUID.randomUUID().toString();
    JsonObject items =
        new JsonObject()
            .put(
                "items",
                new JsonArray().add(new JsonObject().put("productId", id).put("quantity", 2)));
    assertThat(
            catalog
                .send(HttpMethod.PUT, "/internal/reservations/" + order, ADMIN, items)
                .statusCode())
        .isEqualTo(201);
    String etag = catalog.get("/api/products/" + id).getHeader("ETag");

    HttpResponse<Buffer> refused =
        await(
            catalog
                .request(HttpMethod.DELETE, "/api/products/" + id, ADMIN)
                .putHeader("If-Match", etag)
                .send());
    assertProblem(refused, 409);

    catalog.send(HttpMethod.POST, "/internal/reservations/" + order + "/release", ADMIN, null);
    String released = catalog.get("/api/products/" + id).getHeader("ETag");
    HttpResponse<Buffer> deleted =
        await(
            catalog
                .request(HttpMethod.DELETE, "/api/products/" + id, ADMIN)
                .putHeader("If-Match", released)
                .send());
    assertThat(deleted.statusCode()).isEqualTo(204);
  }

  @Test
  void everyAnswerNamesTheInstance() {
    assertThat(catalog.get("/api/products").getHeader("X-Served-By")).startsWith("catalog/");
  }
}
