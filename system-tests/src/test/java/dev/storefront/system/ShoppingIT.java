package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.demo.DemoCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A shopper's path through the real edge: the gateway, a catalog seeded with the demo catalog and
 * two cart processes, each its own JVM in one Hazelcast cluster. Searching and reading products
 * with entity tags, admin writes with preconditions, carts kept apart whatever a caller sends, and
 * a cart process killed with SIGKILL under signed-in load without one failed request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShoppingIT {

  private static final int DEMO_PRODUCTS = 300;
  private static final String ADMIN_EMAIL = "admin-" + UUID.randomUUID() + "@example.com";
  private static final String PASSWORD = "correct horse battery";

  /** The same catalog the catalog process seeds: the demo generator is deterministic. */
  private static final List<DemoCatalog.Product> DEMO =
      DemoCatalog.generate(DEMO_PRODUCTS).products();

  private static TestStack stack;
  private static int gatewayPort;
  private static ServiceProcess cartA;
  private static ServiceProcess cartB;

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStack.start("shopping");
    // Rate limits are not what these tests are about: lift them.
    ServiceProcess gateway =
        stack.startService(
            "gateway",
            "gateway-1",
            Map.of("RATE_LIMITS", "/api=100000/1s", "ADMIN_EMAILS", ADMIN_EMAIL));
    gatewayPort = gateway.awaitPort(Duration.ofSeconds(90));
    ServiceProcess catalog =
        stack.startService(
            "catalog",
            "catalog-1",
            Map.of(
                "CATALOG_DEMO_DATA",
                "true",
                "CATALOG_DEMO_PRODUCTS",
                Integer.toString(DEMO_PRODUCTS)));
    cartA = stack.startService("cart", "cart-a", Map.of());
    cartB = stack.startService("cart", "cart-b", Map.of());
    TestStack.awaitReady(gateway);
    TestStack.awaitReady(catalog);
    TestStack.awaitReady(cartA);
    TestStack.awaitReady(cartB);
    TestStack.await(
        "one catalog and two cart instances discovered by the gateway",
        Duration.ofSeconds(60),
        () ->
            TestStack.instances(gatewayPort, "catalog").size() == 1
                && TestStack.instances(gatewayPort, "cart").size() == 2);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void catalogSearchFiltersSortsAndPagesThroughTheGateway() throws Exception {
    // Full-text search: a brand name appears only in its own products' names and descriptions.
    String brand = "Halvorsen";
    Set<String> branded = idsOf(DEMO.stream().filter(p -> p.name().startsWith(brand + " ")));
    assertThat(branded).hasSizeGreaterThan(3);
    JsonObject found = okJson(get("/api/products?q=" + brand + "&size=100", null));
    assertThat(found.getInteger("total")).isEqualTo(branded.size());
    assertThat(idsOf(found.getJsonArray("items"))).isEqualTo(branded);
    assertThat(items(found)).allSatisfy(p -> assertThat(p.getString("name")).startsWith(brand));

    // A category, sorted by price both ways.
    String category = DEMO.get(0).category();
    List<DemoCatalog.Product> inCategory =
        DEMO.stream().filter(p -> p.category().equals(category)).toList();
    assertThat(inCategory).hasSizeGreaterThan(5);
    JsonObject cheapest =
        okJson(get("/api/products?category=" + category + "&sort=price&size=100", null));
    assertThat(cheapest.getInteger("total")).isEqualTo(inCategory.size());
    assertThat(idsOf(cheapest.getJsonArray("items"))).isEqualTo(idsOf(inCategory.stream()));
    List<Long> ascending = prices(cheapest);
    assertThat(ascending).isSorted();
    assertThat(ascending.get(0))
        .isEqualTo(inCategory.stream().mapToLong(DemoCatalog.Product::priceMinor).min().orElse(-1));
    assertThat(items(cheapest))
        .allSatisfy(p -> assertThat(p.getString("category")).isEqualTo(category));
    List<Long> descending =
        prices(okJson(get("/api/products?category=" + category + "&sort=-price&size=100", null)));
    assertThat(descending).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(descending.get(0))
        .isEqualTo(inCategory.stream().mapToLong(DemoCatalog.Product::priceMinor).max().orElse(-1));

    // Search and category together narrow each other.
    long brandedInCategory =
        inCategory.stream().filter(p -> p.name().startsWith(brand + " ")).count();
    assertThat(
            okJson(get("/api/products?q=" + brand + "&category=" + category, null))
                .getInteger("total"))
        .isEqualTo((int) brandedInCategory);

    // Pages of 7 over the whole catalog: same total on each, no overlap, nothing skipped.
    List<String> paged = new ArrayList<>();
    int pages = (DEMO_PRODUCTS + 6) / 7;
    for (int page = 1; page <= pages; page++) {
      JsonObject body = okJson(get("/api/products?sort=price&size=7&page=" + page, null));
      assertThat(body.getInteger("total")).isEqualTo(DEMO_PRODUCTS);
      assertThat(body.getInteger("page")).isEqualTo(page);
      assertThat(body.getInteger("size")).isEqualTo(7);
      assertThat(body.getJsonArray("items").size())
          .isEqualTo(page < pages ? 7 : DEMO_PRODUCTS - 7 * (pages - 1));
      paged.addAll(idsOf(body.getJsonArray("items")).stream().sorted().toList());
    }
    assertThat(paged).doesNotHaveDuplicates();
    assertThat(new HashSet<>(paged)).isEqualTo(idsOf(DEMO.stream()));
    assertThat(okJson(get("/api/products?size=7&page=" + (pages + 1), null)).getJsonArray("items"))
        .isEmpty();
    assertThat(okJson(get("/api/products?category=no-such-category", null)).getInteger("total"))
        .isZero();
    assertProblem(get("/api/products?size=101", null), 400);

    JsonArray categories = new JsonArray(get("/api/categories", null).body());
    assertThat(categories.stream().map(c -> ((JsonObject) c).getString("slug"))).contains(category);
  }

  @Test
  @Order(2)
  void productEntityTagsThroughTheGateway() throws Exception {
    DemoCatalog.Product demo = DEMO.get(1);
    HttpResponse<String> first = get("/api/products/" + demo.id(), null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonObject product = new JsonObject(first.body());
    assertThat(product.getString("name")).isEqualTo(demo.name());
    assertThat(product.getJsonObject("price").getLong("amountMinor")).isEqualTo(demo.priceMinor());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).isEqualTo("\"" + product.getInteger("version") + "\"");
    // The catalog's own policy passes the edge; the edge's no-store is for answers without one.
    assertThat(first.headers().allValues("Cache-Control")).containsExactly("no-cache");

    HttpResponse<String> again =
        get("/api/products/" + demo.id(), null, Map.of("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(again.headers().allValues("Cache-Control")).containsExactly("no-cache");

    HttpResponse<String> otherTag =
        get("/api/products/" + demo.id(), null, Map.of("If-None-Match", "\"999999\""));
    assertThat(otherTag.statusCode()).isEqualTo(200);
    assertProblem(get("/api/products/" + UUID.randomUUID(), null), 404);
  }

  @Test
  @Order(3)
  void onlyAdminsWriteProductsAndWritesNeedTheCurrentEntityTag() throws Exception {
    String customer = signUp("customer-" + UUID.randomUUID() + "@example.com").token();
    String admin = signUp(ADMIN_EMAIL).token();
    String sku = "IT-" + UUID.randomUUID().toString().substring(0, 8);
    String category = DEMO.get(0).category();
    JsonObject input =
        new JsonObject()
            .put("sku", sku)
            .put("name", "Quokka Teapot")
            .put("description", "A teapot for system tests")
            .put("category", category)
            .put("price", new JsonObject().put("amountMinor", 1999).put("currency", "EUR"))
            .put("stock", 5);

    assertProblem(send("POST", "/api/products", input.encode(), null), 401);
    assertProblem(send("POST", "/api/products", input.encode(), customer), 403);
    assertThat(okJson(get("/api/products?q=Quokka", null)).getInteger("total")).isZero();

    HttpResponse<String> created = send("POST", "/api/products", input.encode(), admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
    String id = new JsonObject(created.body()).getString("id");
    assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith(id);

    // Read it once so the catalog caches version 1.
    HttpResponse<String> v1 = get("/api/products/" + id, null);
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(v1.headers().firstValue("ETag")).hasValue("\"1\"");
    assertThat(get("/api/products/" + id, null, Map.of("If-None-Match", "\"1\"")).statusCode())
        .isEqualTo(304);

    JsonObject changed =
        input
            .copy()
            .put("name", "Quokka Teapot Deluxe")
            .put("price", new JsonObject().put("amountMinor", 2499).put("currency", "EUR"));
    String path = "/api/products/" + id;
    assertProblem(send("PUT", path, changed.encode(), customer, Map.of("If-Match", "\"1\"")), 403);
    assertProblem(send("PUT", path, changed.encode(), admin), 428);
    HttpResponse<String> updated =
        send("PUT", path, changed.encode(), admin, Map.of("If-Match", "\"1\""));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(updated.headers().firstValue("ETag")).hasValue("\"2\"");
    HttpResponse<String> stale =
        send(
            "PUT",
            path,
            changed.copy().put("name", "Lost update").encode(),
            admin,
            Map.of("If-Match", "\"1\""));
    assertProblem(stale, 412);

    // The old tag no longer matches: the new representation, not a stale cached one.
    HttpResponse<String> afterUpdate = get(path, null, Map.of("If-None-Match", "\"1\""));
    assertThat(afterUpdate.statusCode()).isEqualTo(200);
    assertThat(afterUpdate.headers().firstValue("ETag")).hasValue("\"2\"");
    JsonObject current = new JsonObject(afterUpdate.body());
    assertThat(current.getString("name")).isEqualTo("Quokka Teapot Deluxe");
    assertThat(current.getJsonObject("price").getLong("amountMinor")).isEqualTo(2499);
    assertThat(current.getInteger("version")).isEqualTo(2);
    assertThat(okJson(get("/api/products?q=Quokka", null)).getInteger("total")).isEqualTo(1);

    assertProblem(send("DELETE", path, null, admin, Map.of("If-Match", "\"1\"")), 412);
    assertThat(send("DELETE", path, null, admin, Map.of("If-Match", "\"2\"")).statusCode())
        .isEqualTo(204);
    assertProblem(get(path, null), 404);
  }

  @Test
  @Order(4)
  void aCartShowsCatalogPricesAndBelongsToItsOwnerOnly() throws Exception {
    Account a = signUp("shopper-a-" + UUID.randomUUID() + "@example.com");
    Account b = signUp("shopper-b-" + UUID.randomUUID() + "@example.com");
    List<DemoCatalog.Product> inStock = DEMO.stream().filter(p -> p.stock() > 0).toList();
    DemoCatalog.Product first = inStock.get(2);
    DemoCatalog.Product second = inStock.get(3);

    putItem(a.token(), first.id().toString(), 2);
    JsonObject afterSecond = putItem(a.token(), second.id().toString(), 3);
    assertThat(afterSecond.getInteger("itemCount")).isEqualTo(5);

    JsonObject cartOfA = cart(a.token());
    Map<String, Integer> expectedA = new LinkedHashMap<>();
    expectedA.put(first.id().toString(), 2);
    expectedA.put(second.id().toString(), 3);
    assertThat(quantities(cartOfA)).containsExactlyEntriesOf(expectedA);
    long subtotal = 0;
    for (DemoCatalog.Product product : List.of(first, second)) {
      JsonObject listed = okJson(get("/api/products/" + product.id(), null));
      JsonObject line = line(cartOfA, product.id().toString());
      int quantity = expectedA.get(product.id().toString());
      assertThat(line.getString("name")).isEqualTo(listed.getString("name"));
      assertThat(line.getJsonObject("unitPrice")).isEqualTo(listed.getJsonObject("price"));
      assertThat(line.getJsonObject("lineTotal").getLong("amountMinor"))
          .isEqualTo(listed.getJsonObject("price").getLong("amountMinor") * quantity);
      subtotal += listed.getJsonObject("price").getLong("amountMinor") * quantity;
    }
    assertThat(cartOfA.getInteger("itemCount")).isEqualTo(5);
    assertThat(cartOfA.getJsonObject("subtotal"))
        .isEqualTo(new JsonObject().put("amountMinor", subtotal).put("currency", "EUR"));
    assertThat(cartOfA.getJsonArray("totals")).containsExactly(cartOfA.getJsonObject("subtotal"));
    assertThat(cartOfA.getBoolean("pricesVerified")).isTrue();
    assertThat(cartOfA.getString("updatedAt")).isNotNull();

    assertThat(cart(b.token()).getJsonArray("items")).isEmpty();
    assertThat(cart(b.token()).getInteger("itemCount")).isZero();

    // B tries to read A's cart through every door: B's own, empty cart or a refusal, never A's.
    String forged = unsignedIdentity(a);
    Map<String, String> impersonation =
        Map.of(
            "X-Storefront-Identity", forged,
            "X-User-Id", a.id(),
            "X-Account-Id", a.id(),
            "X-Forwarded-User", a.email());
    List<String> readPaths =
        List.of(
            "/api/cart?accountId=" + a.id(),
            "/api/cart?userId=" + a.id() + "&account=" + a.id(),
            "/api/cart?accountId=" + a.id() + "&accountId=" + b.id(),
            "/api/cart/../cart",
            "/api/cart/items/../../cart",
            "/api/products/../cart",
            "//api/cart",
            "/api//cart",
            "/api/%63art",
            "/api/cart%2F",
            "/api/cart/",
            "/api/cart;accountId=" + a.id(),
            "/api/cart/" + a.id(),
            "/api/cart/" + percentEncoded("../cart?accountId=" + a.id()));
    int answered = 0;
    for (String path : readPaths) {
      for (Map<String, String> headers : List.of(Map.<String, String>of(), impersonation)) {
        HttpResponse<String> response = send("GET", path, null, b.token(), headers);
        assertThat(response.statusCode()).as("GET %s %s", path, headers).isLessThan(500);
        if (response.statusCode() == 200) {
          answered++;
          assertThat(new JsonObject(response.body()).getJsonArray("items"))
              .as("GET %s as B with %s", path, headers)
              .isEmpty();
        }
        // Without B's token the same tricks are anonymous: refused, never A's cart.
        HttpResponse<String> anonymous = send("GET", path, null, null, headers);
        assertThat(anonymous.statusCode()).as("anonymous GET %s", path).isIn(400, 401, 404);
      }
    }
    assertThat(answered).isGreaterThanOrEqualTo(8);
    // A forged identity header alone is stripped at the edge: anonymous.
    assertProblem(
        send("GET", "/api/cart", null, null, Map.of("X-Storefront-Identity", forged)), 401);

    // B tries to change A's cart the same ways: whatever succeeds changes B's own cart only.
    String nine = new JsonObject().put("quantity", 9).encode();
    List<String> writePaths =
        List.of(
            "/api/cart/items/" + first.id() + "?accountId=" + a.id(),
            "/api/cart/../cart/items/" + first.id(),
            "//api/cart/items/" + second.id(),
            "/api/%63art/items/" + second.id() + "?userId=" + a.id());
    for (String path : writePaths) {
      HttpResponse<String> response = send("PUT", path, nine, b.token(), impersonation);
      assertThat(response.statusCode()).as("PUT %s", path).isLessThan(500);
      assertThat(send("PUT", path, nine, null, impersonation).statusCode())
          .as("anonymous PUT %s", path)
          .isIn(400, 401, 404);
    }
    HttpResponse<String> withAccountInBody =
        send(
            "PUT",
            "/api/cart/items/" + first.id(),
            new JsonObject().put("quantity", 9).put("accountId", a.id()).encode(),
            b.token(),
            impersonation);
    assertThat(withAccountInBody.statusCode()).isLessThan(500);
    JsonObject cartOfB = cart(b.token());
    assertThat(quantities(cartOfB)).isNotEmpty();
    assertThat(quantities(cartOfB).values()).containsOnly(9);
    assertThat(quantities(cartOfB).keySet()).isSubsetOf(expectedA.keySet());
    assertUnchanged(a, cartOfA);

    for (String path :
        List.of(
            "/api/cart/items/" + second.id() + "?accountId=" + a.id(),
            "/api/cart?accountId=" + a.id(),
            "/api/cart/../cart",
            "//api/cart")) {
      HttpResponse<String> response = send("DELETE", path, null, b.token(), impersonation);
      assertThat(response.statusCode()).as("DELETE %s", path).isLessThan(500);
      assertThat(send("DELETE", path, null, null, impersonation).statusCode())
          .as("anonymous DELETE %s", path)
          .isIn(400, 401, 404);
    }
    assertThat(cart(b.token()).getJsonArray("items")).isEmpty();
    assertUnchanged(a, cartOfA);
  }

  @Test
  @Order(5)
  void badCartInputIsAProblemAndChangesNothing() throws Exception {
    Account a = signUp("shopper-c-" + UUID.randomUUID() + "@example.com");
    DemoCatalog.Product product = DEMO.stream().filter(p -> p.stock() > 0).toList().get(4);
    String path = "/api/cart/items/" + product.id();
    putItem(a.token(), product.id().toString(), 4);
    JsonObject before = cart(a.token());

    Map<String, Integer> badBodies = new LinkedHashMap<>();
    badBodies.put("{\"quantity\":0}", 400);
    badBodies.put("{\"quantity\":100}", 400);
    badBodies.put("{\"quantity\":-1}", 400);
    badBodies.put("{\"quantity\":2.5}", 400);
    badBodies.put("{\"quantity\":\"2\"}", 400);
    badBodies.put("{}", 400);
    badBodies.put("[2]", 400);
    badBodies.put("{\"quantity\":", 400);
    badBodies.put("quantity=2", 400);
    for (Map.Entry<String, Integer> bad : badBodies.entrySet()) {
      assertProblem(send("PUT", path, bad.getKey(), a.token()), bad.getValue());
    }
    assertProblem(
        send("PUT", path, "{\"quantity\":2}", a.token(), Map.of("Content-Type", "text/plain")),
        415);
    assertProblem(send("PUT", path, null, a.token()), 400);
    assertProblem(
        send("PUT", "/api/cart/items/" + UUID.randomUUID(), "{\"quantity\":2}", a.token()), 404);
    assertProblem(send("PUT", "/api/cart/items/not-a-uuid", "{\"quantity\":2}", a.token()), 400);
    assertUnchanged(a, before);
  }

  @Test
  @Order(6)
  void aCleartextHttp2UpgradeIsDeclinedAndTheRequestsAreServedOverHttp1() throws Exception {
    Account a = signUp("shopper-h2-" + UUID.randomUUID() + "@example.com");
    String productId = DEMO.stream().filter(p -> p.stock() > 0).toList().get(5).id().toString();
    Map<String, String> auth = Map.of("Authorization", "Bearer " + a.token());
    // The client offers "Upgrade: h2c" on its first request; the edge speaks HTTP/2 only where TLS
    // negotiates it, so the answer comes over HTTP/1.1, and so does everything after it.
    HttpResponse<String> read =
        TestStack.send(HttpClient.Version.HTTP_2, gatewayPort, "GET", "/api/cart", null, auth);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

    HttpResponse<String> put =
        TestStack.send(
            HttpClient.Version.HTTP_2,
            gatewayPort,
            "PUT",
            "/api/cart/items/" + productId,
            "{\"quantity\":2}",
            auth);
    assertThat(put.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(quantities(cart(a.token()))).containsExactly(Map.entry(productId, 2));
  }

  @Test
  @Order(7)
  void aCartProcessKilledUnderSignedInLoadFailsNoRequestAndLosesNoCart() throws Exception {
    // Reads run throughout; writes start the moment the process is dead, so they cover the time
    // until the gateway forgets it and the cluster promotes the backups. A write in flight at the
    // very instant of the kill is the next test's case.
    killUnderLoad(cartB, cartA, shoppers("load", 6), false);
  }

  @Test
  @Order(8)
  void idempotentWritesInFlightOnAKilledCartProcessAreRetried() throws Exception {
    ServiceProcess cartC = stack.startService("cart", "cart-c", Map.of());
    TestStack.awaitReady(cartC);
    TestStack.await(
        "the new cart instance discovered",
        Duration.ofSeconds(30),
        () -> TestStack.instances(gatewayPort, "cart").size() == 2);
    killUnderLoad(cartA, cartC, shoppers("writers", 6), true);
  }

  /**
   * Signed-in clients read their carts through the gateway while {@code victim} is killed with
   * SIGKILL: no request fails, the gateway forgets the victim within 5 s, and every cart is whole
   * on {@code survivor} afterwards.
   */
  private static void killUnderLoad(
      ServiceProcess victim,
      ServiceProcess survivor,
      List<Shopper> shoppers,
      boolean writesDuringKill)
      throws Exception {
    int victimManagement = victim.awaitManagementPort(Duration.ofSeconds(1));
    int survivorPort = survivor.awaitPort(Duration.ofSeconds(1));
    double servedByVictimBefore = cartRequests(victimManagement);

    try (CartLoad load = new CartLoad(shoppers, writesDuringKill)) {
      TestStack.await("load under way", Duration.ofSeconds(30), () -> load.ok.get() >= 60);
      // Both processes serve the signed-in traffic before one of them goes.
      TestStack.await(
          victim.name() + " serving part of the load",
          Duration.ofSeconds(30),
          () -> cartRequests(victimManagement) - servedByVictimBefore >= 10);
      int okBeforeKill = load.ok.get();
      long killedAt = System.nanoTime();
      victim.kill();
      load.writes.set(true);
      TestStack.await(
          "the killed cart instance to leave the gateway's view",
          Duration.ofSeconds(20),
          () -> {
            JsonArray carts = TestStack.instances(gatewayPort, "cart");
            return carts.size() == 1 && carts.getJsonObject(0).getInteger("port") == survivorPort;
          });
      double removalSeconds = (System.nanoTime() - killedAt) / 1e9;
      int okAtRemoval = load.ok.get();
      int putsAtRemoval = load.puts.get();
      // Keep the load, writes included, on the survivor for a while after the view changed.
      long keepUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      TestStack.await(
          "reads and writes served by the survivor",
          Duration.ofSeconds(90),
          () ->
              System.nanoTime() > keepUntil
                  && load.ok.get() - okAtRemoval >= 30
                  && load.puts.get() - putsAtRemoval >= 10);
      load.stop();
      System.out.printf(
          "Kill of %s under load: removed from the gateway's view after %.2f s; %d requests"
              + " (%d GET, %d PUT) answered 200: %d before the kill, %d between kill and removal"
              + " (%d PUT), %d after; %d failed%n",
          victim.name(),
          removalSeconds,
          load.ok.get(),
          load.gets.get(),
          load.puts.get(),
          okBeforeKill,
          okAtRemoval - okBeforeKill,
          putsAtRemoval,
          load.ok.get() - okAtRemoval,
          load.failures.size());

      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(removalSeconds).isLessThan(5.0);
      assertThat(load.ok.get()).isGreaterThan(okAtRemoval);
    }

    // Every cart survived on the remaining process.
    assertThat(survivor.alive()).isTrue();
    for (Shopper shopper : shoppers) {
      assertThat(quantities(cart(shopper.account().token())))
          .as("cart of %s", shopper.account().email())
          .containsExactlyEntriesOf(shopper.items());
    }
  }

  /** {@code count} signed-in shoppers, each with two lines in the cart. */
  private static List<Shopper> shoppers(String prefix, int count) throws Exception {
    List<DemoCatalog.Product> inStock = DEMO.stream().filter(p -> p.stock() > 0).toList();
    List<Shopper> shoppers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Account account = signUp(prefix + "-" + i + "-" + UUID.randomUUID() + "@example.com");
      Map<String, Integer> items = new LinkedHashMap<>();
      items.put(inStock.get(10 + 2 * i).id().toString(), 1 + i % 4);
      items.put(inStock.get(11 + 2 * i).id().toString(), 2 + i % 3);
      items.forEach((productId, quantity) -> putItem(account.token(), productId, quantity));
      assertThat(quantities(cart(account.token()))).containsExactlyEntriesOf(items);
      shoppers.add(new Shopper(account, items));
    }
    return shoppers;
  }

  // --- the shopper's side ---

  private record Account(String id, String email, String token) {}

  private record Shopper(Account account, Map<String, Integer> items) {}

  private static Account signUp(String email) throws Exception {
    String credentials = new JsonObject().put("email", email).put("password", PASSWORD).encode();
    HttpResponse<String> registered = send("POST", "/api/auth/register", credentials, null);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    String id = new JsonObject(registered.body()).getString("id");
    HttpResponse<String> login = send("POST", "/api/auth/login", credentials, null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return new Account(id, email, new JsonObject(login.body()).getString("access_token"));
  }

  /** Sets a quantity, waiting out a catalog the cart process has not discovered yet. */
  private static JsonObject putItem(String token, String productId, int quantity) {
    String body = new JsonObject().put("quantity", quantity).encode();
    JsonObject[] cart = new JsonObject[1];
    try {
      TestStack.await(
          "PUT of " + productId,
          Duration.ofSeconds(30),
          () -> {
            try {
              HttpResponse<String> response =
                  send("PUT", "/api/cart/items/" + productId, body, token);
              if (response.statusCode() == 503) {
                return false;
              }
              assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
              cart[0] = new JsonObject(response.body());
              return true;
            } catch (AssertionError e) {
              throw e;
            } catch (Exception e) {
              return false;
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return cart[0];
  }

  private static JsonObject cart(String token) throws Exception {
    return okJson(send("GET", "/api/cart", null, token));
  }

  private static void assertUnchanged(Account account, JsonObject before) throws Exception {
    JsonObject now = cart(account.token());
    assertThat(quantities(now)).containsExactlyEntriesOf(quantities(before));
    assertThat(now.getString("updatedAt")).isEqualTo(before.getString("updatedAt"));
    assertThat(now.getJsonObject("subtotal")).isEqualTo(before.getJsonObject("subtotal"));
  }

  private static Map<String, Integer> quantities(JsonObject cart) {
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (JsonObject line : items(cart)) {
      quantities.put(line.getString("productId"), line.getInteger("quantity"));
    }
    return quantities;
  }

  private static JsonObject line(JsonObject cart, String productId) {
    return items(cart).stream()
        .filter(l -> l.getString("productId").equals(productId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + productId + " in " + cart));
  }

  /**
   * An identity token a client made up for A: the right header, A's account, no valid signature.
   */
  private static String unsignedIdentity(Account account) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    String claims =
        new JsonObject()
            .put("iss", "storefront-gateway")
            .put("aud", "storefront-services")
            .put("sub", account.id())
            .put("email", account.email())
            .put("roles", new JsonArray().add("customer").add("admin"))
            .put("exp", System.currentTimeMillis() / 1000 + 600)
            .encode();
    return base64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString("not a signature".getBytes(StandardCharsets.UTF_8));
  }

  /** Requests answered by a cart process so far, from its own metrics. */
  private static double cartRequests(int managementPort) {
    try {
      double total = 0;
      for (String line : TestStack.get(managementPort, "/metrics").body().split("\n")) {
        if (line.startsWith("storefront_cart_operations_total{")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * One client per shopper, each reading its own cart and, while {@link #writes} is set, every
   * fourth request setting one of its quantities again (an idempotent PUT).
   */
  private static final class CartLoad implements AutoCloseable {
    final AtomicBoolean writes;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    CartLoad(List<Shopper> shoppers, boolean writes) {
      this.writes = new AtomicBoolean(writes);
      for (Shopper shopper : shoppers) {
        Thread thread = new Thread(() -> run(shopper), "cart-load-" + shopper.account().email());
        threads.add(thread);
        thread.start();
      }
    }

    private void run(Shopper shopper) {
      List<Map.Entry<String, Integer>> items = new ArrayList<>(shopper.items().entrySet());
      int iteration = 0;
      while (running.get()) {
        iteration++;
        boolean put = iteration % 4 == 0 && writes.get();
        String what = "?";
        try {
          HttpResponse<String> response;
          if (put) {
            Map.Entry<String, Integer> item = items.get(iteration / 4 % items.size());
            what = "PUT " + item.getKey();
            response =
                send(
                    "PUT",
                    "/api/cart/items/" + item.getKey(),
                    new JsonObject().put("quantity", item.getValue()).encode(),
                    shopper.account().token());
          } else {
            what = "GET";
            response = send("GET", "/api/cart", null, shopper.account().token());
          }
          if (response.statusCode() != 200) {
            failures.add(what + ": status " + response.statusCode() + " " + response.body());
            continue;
          }
          Map<String, Integer> seen = quantities(new JsonObject(response.body()));
          if (!seen.equals(shopper.items())) {
            failures.add(what + ": cart " + seen + " instead of " + shopper.items());
            continue;
          }
          ok.incrementAndGet();
          (put ? puts : gets).incrementAndGet();
        } catch (Exception e) {
          failures.add(what + ": " + e);
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
    }

    @Override
    public void close() {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // --- HTTP through the gateway ---

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, null, token);
  }

  private static HttpResponse<String> get(String path, String token, Map<String, String> headers)
      throws Exception {
    return send("GET", path, null, token, headers);
  }

  private static HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    return send(method, path, body, token, Map.of());
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String token, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (token != null) {
      all.put("Authorization", "Bearer " + token);
    }
    return TestStack.send(gatewayPort, method, path, body, all);
  }

  private static JsonObject okJson(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
  }

  private static List<JsonObject> items(JsonObject page) {
    return page.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private static List<Long> prices(JsonObject page) {
    return items(page).stream().map(p -> p.getJsonObject("price").getLong("amountMinor")).toList();
  }

  private static Set<String> idsOf(JsonArray items) {
    Set<String> ids = new HashSet<>();
    items.forEach(p -> ids.add(((JsonObject) p).getString("id")));
    return ids;
  }

  private static Set<String> idsOf(java.util.stream.Stream<DemoCatalog.Product> products) {
    Set<String> ids = new HashSet<>();
    products.forEach(p -> ids.add(p.id().toString()));
    return ids;
  }

  /** Every character but letters and digits percent-encoded, so a path segment hides its dots. */
  private static String percentEncoded(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (Character.isLetterOrDigit(b)) {
        out.append((char) b);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
