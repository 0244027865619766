package dev.storefront.cart;

import static dev.storefront.cart.CartCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.Env;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cart API over real HTTP, in a Vert.x of its own (the cart map is then local), with a stand-in
 * catalog found through discovery and identities signed as the gateway signs them.
 */
@ExtendWith(VertxExtension.class)
class CartApiTest {

  private static final int MAX_LINES = 3;

  private Vertx vertx;
  private StandInCatalog catalog;
  private CartCalls calls;
  private SimpleMeterRegistry registry;
  private int port;
  private int managementPort;
  private String book;
  private String pen;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    EcKeys.SigningKey key = EcKeys.generate();
    catalog = await(new StandInCatalog().start(vertx));
    book = catalog.add("Book", 1999, "EUR");
    pen = catalog.add("Pen", 250, "EUR");
    registry = new SimpleMeterRegistry();
    Env env =
        Env.of(
            Map.of(
                "HTTP_HOST",
                "127.0.0.1",
                "HTTP_PORT",
                "0",
                "VERTICLE_INSTANCES",
                "2",
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:1",
                InternalTokens.PUBLIC_KEY_ENV,
                key.publicPem(),
                "CART_MAX_LINES",
                Integer.toString(MAX_LINES),
                "CART_PRICE_CACHE_MS",
                "0",
                "CART_CATALOG_TIMEOUT_MS",
                "300",
                "CART_CATALOG_RESET_MS",
                "500"));
    CartVerticle cart = new CartVerticle(env, registry);
    await(vertx.deployVerticle(cart));
    port = cart.port();
    managementPort = cart.managementPort();
    calls = new CartCalls(WebClient.create(vertx), new InternalTokens.Issuer(vertx, key));
  }

  @Test
  void aCallerWithoutACartGetsAnEmptyOne() {
    HttpResponse<Buffer> response = calls.get(port, "alice");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("items", new JsonArray())
                .put("itemCount", 0)
                .put("totals", new JsonArray())
                .put("pricesVerified", true));
  }

  @Test
  void settingAQuantityAddsTheProductWithTheCatalogsNameAndPrice() {
    HttpResponse<Buffer> put = calls.put(port, "alice", book, 3);

    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    JsonObject cart = put.bodyAsJsonObject();
    assertThat(cart.getJsonArray("items"))
        .containsExactly(
            new JsonObject()
                .put("productId", book)
                .put("name", "Book")
                .put("quantity", 3)
                .put("unitPrice", money(1999))
                .put("lineTotal", money(5997)));
    assertThat(cart.getInteger("itemCount")).isEqualTo(3);
    assertThat(cart.getJsonArray("totals")).containsExactly(money(5997));
    assertThat(cart.getJsonObject("subtotal")).isEqualTo(money(5997));
    assertThat(cart.getBoolean("pricesVerified")).isTrue();
    assertThat(cart.getString("updatedAt")).isNotBlank();
    assertThat(calls.get(port, "alice").bodyAsJsonObject()).isEqualTo(cart);
  }

  @Test
  void aPutSetsTheQuantityInsteadOfAddingToIt() {
    calls.put(port, "alice", book, 2);
    calls.put(port, "alice", pen, 4);

    JsonObject cart = calls.put(port, "alice", book, 5).bodyAsJsonObject();

    assertThat(cart.getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(5);
    assertThat(cart.getInteger("itemCount")).isEqualTo(9);
    assertThat(cart.getJsonObject("subtotal")).isEqualTo(money(5 * 1999 + 4 * 250));
  }

  @Test
  void aProductIdDiffersOnlyInCaseIsTheSameLine() {
    calls.put(port, "alice", book, 1);

    JsonObject cart = calls.put(port, "alice", book.toUpperCase(), 2).bodyAsJsonObject();

    assertThat(cart.getJsonArray("items")).hasSize(1);
    assertThat(cart.getInteger("itemCount")).isEqualTo(2);
  }

  @Test
  void removingALineAnswersTheCartAndRemovingAnAbsentOneIsFine() {
    calls.put(port, "alice", book, 1);
    calls.put(port, "alice", pen, 2);

    HttpResponse<Buffer> removed = calls.deleteItem(port, "alice", book);
    HttpResponse<Buffer> again = calls.deleteItem(port, "alice", book);

    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(removed.bodyAsJsonObject().getJsonArray("items"))
        .extracting(i -> ((JsonObject) i).getString("productId"))
        .containsExactly(pen);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(removed.bodyAsJsonObject());
  }

  @Test
  void clearingTheCartAnswers204AndLeavesItEmpty() {
    calls.put(port, "alice", book, 1);

    HttpResponse<Buffer> cleared = calls.clear(port, "alice");

    assertThat(cleared.statusCode()).isEqualTo(204);
    assertThat(cleared.body()).isNull();
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    // Clearing a cart that is not there is fine too.
    assertThat(calls.clear(port, "alice").statusCode()).isEqualTo(204);
  }

  @Test
  void removingTheLastLineLeavesACartWithoutLines() {
    calls.put(port, "alice", book, 1);

    JsonObject cart = calls.deleteItem(port, "alice", book).bodyAsJsonObject();

    assertThat(cart.getJsonArray("items")).isEmpty();
    assertThat(cart.getInteger("itemCount")).isZero();
    assertThat(cart.containsKey("subtotal")).isFalse();
  }

  @Test
  void requestsWithoutAVerifiedIdentityAre401() {
    HttpResponse<Buffer> anonymous = calls.get(port, null);
    HttpResponse<Buffer> forged =
        await(
            WebClient.create(vertx)
                .get(port, "127.0.0.1", "/api/cart")
                .putHeader(InternalTokens.HEADER, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")
                .send());
    HttpResponse<Buffer> anonymousPut =
        calls.send(
            port,
            HttpMethod.PUT,
            "/api/cart/items/" + book,
            null,
            "application/json",
            Buffer.buffer("{\"quantity\":1}"));

    for (HttpResponse<Buffer> response : java.util.List.of(anonymous, forged, anonymousPut)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(catalog.requests()).as("nothing reached the catalog").isZero();
  }

  @Test
  void aCallerSeesOnlyTheirOwnCartWhateverTheRequestNames() {
    calls.put(port, "alice", book, 2);

    HttpResponse<Buffer> bob =
        calls.send(port, HttpMethod.GET, "/api/cart?accountId=alice&user=alice", "bob", null, null);
    calls.send(port, HttpMethod.DELETE, "/api/cart?accountId=alice", "bob", null, null);

    assertThat(bob.statusCode()).isEqualTo(200);
    assertThat(bob.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getInteger("itemCount")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"quantity\":0}",
        "{\"quantity\":-1}",
        "{\"quantity\":100}",
        "{\"quantity\":2.5}",
        "{\"quantity\":2.0}",
        "{\"quantity\":1e1}",
        "{\"quantity\":\"2\"}",
        "{\"quantity\":null}",
        "{\"quantity\":true}",
        "{\"quantity\":99999999999999999999999}",
        "{}",
        "{\"qty\":2}",
        "[{\"quantity\":2}]",
        "2",
        "{\"quantity\":2",
        "not json",
        ""
      })
  void aBadBodyIs400AndChangesNothing(String body) {
    HttpResponse<Buffer> response =
        calls.send(
            port,
            HttpMethod.PUT,
            "/api/cart/items/" + book,
            "alice",
            "application/json",
            Buffer.buffer(body));

    assertProblem(response, 400);
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(catalog.requests()).as("refused before asking the catalog").isZero();
  }

  @Test
  void aBodyThatIsNotJsonByItsContentTypeIs415() {
    Buffer body = Buffer.buffer("{\"quantity\":1}");

    assertProblem(
        calls.send(port, HttpMethod.PUT, "/api/cart/items/" + book, "alice", "text/plain", body),
        415);
    assertProblem(
        calls.send(port, HttpMethod.PUT, "/api/cart/items/" + book, "alice", null, body), 415);
    // Parameters of the media type are fine.
    assertThat(
            calls
                .send(
                    port,
                    HttpMethod.PUT,
                    "/api/cart/items/" + book,
                    "alice",
                    "application/json; charset=utf-8",
                    body)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void anOversizedBodyIs413() {
    String padding = "x".repeat(17 * 1024);
    Buffer body = Buffer.buffer("{\"quantity\":1,\"padding\":\"" + padding + "\"}");

    HttpResponse<Buffer> response =
        calls.send(
            port, HttpMethod.PUT, "/api/cart/items/" + book, "alice", "application/json", body);

    assertProblem(response, 413);
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void aProductIdThatIsNotAUuidIs400() {
    assertProblem(calls.put(port, "alice", "not-a-uuid", 1), 400);
    assertProblem(calls.put(port, "alice", book + "0", 1), 400);
    assertProblem(calls.deleteItem(port, "alice", "1-1-1-1-1"), 400);
  }

  @Test
  void aProductTheCatalogDoesNotKnowIs404AndChangesNothing() {
    calls.put(port, "alice", book, 1);

    HttpResponse<Buffer> response = calls.put(port, "alice", UUID.randomUUID().toString(), 1);

    assertProblem(response, 404);
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getInteger("itemCount")).isEqualTo(1);
  }

  @Test
  void aFullCartRefusesANewProductWith422ButStillChangesItsLines() {
    for (int i = 0; i < MAX_LINES; i++) {
      assertThat(calls.put(port, "alice", catalog.add("P" + i, 100, "EUR"), 1).statusCode())
          .isEqualTo(200);
    }

    HttpResponse<Buffer> refused = calls.put(port, "alice", book, 1);

    assertProblem(refused, 422);
    assertThat(refused.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:cart-full");
    JsonObject cart = calls.get(port, "alice").bodyAsJsonObject();
    assertThat(cart.getJsonArray("items")).hasSize(MAX_LINES);
    String first = cart.getJsonArray("items").getJsonObject(0).getString("productId");
    assertThat(calls.put(port, "alice", first, 9).statusCode()).isEqualTo(200);
  }

  @Test
  void aProductInAnotherCurrencyIsRefusedWith422() {
    calls.put(port, "alice", book, 1);
    String dollars = catalog.add("Import", 1500, "USD");

    HttpResponse<Buffer> refused = calls.put(port, "alice", dollars, 1);

    assertProblem(refused, 422);
    assertThat(refused.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:currency-mismatch");
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }

  @Test
  void aViewShowsTheCatalogsCurrentPrice() {
    calls.put(port, "alice", book, 2);

    catalog.put(book, "Book (paperback)", 1499, "EUR");
    JsonObject cart = calls.get(port, "alice").bodyAsJsonObject();

    JsonObject line = cart.getJsonArray("items").getJsonObject(0);
    assertThat(line.getString("name")).isEqualTo("Book (paperback)");
    assertThat(line.getJsonObject("unitPrice")).isEqualTo(money(1499));
    assertThat(cart.getJsonObject("subtotal")).isEqualTo(money(2998));
    assertThat(cart.getBoolean("pricesVerified")).isTrue();
  }

  @Test
  void whileTheCatalogFailsChangesAre503AndViewsShowTheStoredPrices() {
    calls.put(port, "alice", book, 2);
    catalog.put(book, "Book (paperback)", 1499, "EUR");
    catalog.mode(StandInCatalog.Mode.FAILING);

    HttpResponse<Buffer> refused = calls.put(port, "alice", pen, 1);
    HttpResponse<Buffer> view = calls.get(port, "alice");

    assertProblem(refused, 503);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(refused.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:catalog-unavailable");
    assertThat(view.statusCode()).isEqualTo(200);
    JsonObject cart = view.bodyAsJsonObject();
    assertThat(cart.getBoolean("pricesVerified")).isFalse();
    assertThat(cart.getJsonArray("items")).hasSize(1);
    assertThat(cart.getJsonArray("items").getJsonObject(0).getJsonObject("unitPrice"))
        .as("the price stored when the line was set")
        .isEqualTo(money(1999));
    assertThat(counter("put", "catalog_unavailable")).isEqualTo(1.0);

    // Enough failures open the breaker: then the catalog is not even asked.
    for (int i = 0; i < 5; i++) {
      calls.put(port, "alice", pen, 1);
    }
    int asked = catalog.requests();
    assertProblem(calls.put(port, "alice", pen, 1), 503);
    assertThat(catalog.requests()).isEqualTo(asked);
    assertThat(registry.get("storefront_circuit_breaker_state").gauge().value()).isEqualTo(2.0);

    // Back up: once the breaker lets a trial call through, changes work again.
    catalog.mode(StandInCatalog.Mode.UP);
    long deadline = System.nanoTime() + 5_000_000_000L;
    int status;
    do {
      status = calls.put(port, "alice", pen, 1).statusCode();
    } while (status != 200 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(200);
    assertThat(calls.get(port, "alice").bodyAsJsonObject().getBoolean("pricesVerified")).isTrue();
  }

  @Test
  void aCatalogThatDoesNotAnswerIsGivenUpOnWithinItsTimeLimit() {
    calls.put(port, "alice", book, 1);
    catalog.mode(StandInCatalog.Mode.HANGING);
    long start = System.nanoTime();

    HttpResponse<Buffer> refused = calls.put(port, "alice", pen, 1);
    HttpResponse<Buffer> view = calls.get(port, "alice");

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertProblem(refused, 503);
    assertThat(view.statusCode()).isEqualTo(200);
    assertThat(view.bodyAsJsonObject().getBoolean("pricesVerified")).isFalse();
    // Two calls of at most 300 ms each, with room for a slow machine.
    assertThat(millis).isLessThan(2_000);
    assertThat(registry.get("storefront_cart_catalog_calls").tag("outcome", "timeout").counter())
        .as(
            "%s",
            registry.find("storefront_cart_catalog_calls").counters().stream()
                .map(c -> c.getId().getTag("outcome") + "=" + c.count())
                .toList())
        .satisfies(c -> assertThat(c.count()).isEqualTo(2.0));
  }

  @Test
  void operationsAreCountedByOutcome() {
    calls.put(port, "alice", book, 1);
    calls.put(port, "alice", book, 0);
    calls.put(port, "alice", UUID.randomUUID().toString(), 1);
    calls.get(port, "alice");
    calls.deleteItem(port, "alice", book);
    calls.clear(port, "alice");

    assertThat(counter("put", "ok")).isEqualTo(1.0);
    assertThat(counter("put", "invalid")).isEqualTo(1.0);
    assertThat(counter("put", "unknown_product")).isEqualTo(1.0);
    assertThat(counter("get", "ok")).isEqualTo(1.0);
    assertThat(counter("remove", "ok")).isEqualTo(1.0);
    assertThat(counter("clear", "ok")).isEqualTo(1.0);
    assertThat(registry.get("storefront_cart_catalog_calls").tag("outcome", "found").counter())
        .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1.0));
    assertThat(registry.get("storefront_cart_catalog_calls").tag("outcome", "not_found").counter())
        .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
  }

  @Test
  void readinessIncludesTheCartMap() {
    HttpResponse<Buffer> ready =
        await(WebClient.create(vertx).get(managementPort, "127.0.0.1", "/health/ready").send());

    // Kafka is not there in this test, so the service is not ready; the cart map is up.
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getJsonArray("checks"))
        .anySatisfy(
            c -> {
              JsonObject check = (JsonObject) c;
              assertThat(check.getString("id")).isEqualTo("carts");
              assertThat(check.getString("status")).isEqualTo("UP");
            });
  }

  private double counter(String operation, String outcome) {
    var found =
        registry
            .find("storefront_cart_operations")
            .tag("operation", operation)
            .tag("outcome", outcome)
            .counter();
    return found == null ? 0 : found.count();
  }

  private static JsonObject money(long amountMinor) {
    return new JsonObject().put("amountMinor", amountMinor).put("currency", "EUR");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).isNotBlank();
  }
}
