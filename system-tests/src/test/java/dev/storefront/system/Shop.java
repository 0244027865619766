package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What shoppers and the shop's administrator do through one gateway: sign up, add products, fill
 * carts, check out, read orders. Every call goes through the gateway, with a bearer token when one
 * is given.
 */
final class Shop {

  static final String APPROVED = "4242424242424242";
  static final String DECLINED = "4000000000000002";
  static final String PASSWORD = "correct horse battery";

  private final int gatewayPort;
  private final Map<String, String> paymentTokens = new java.util.concurrent.ConcurrentHashMap<>();
  private String admin;

  Shop(int gatewayPort) {
    this.gatewayPort = gatewayPort;
  }

  int gatewayPort() {
    return gatewayPort;
  }

  /** Signs up the administrator (an e-mail in the gateway's ADMIN_EMAILS) for product writes. */
  Shop withAdmin(String email) throws Exception {
    admin = signUp(email);
    return this;
  }

  /** Registers {@code email} and logs in; gives the access token. */
  String signUp(String email) throws Exception {
    String credentials = new JsonObject().put("email", email).put("password", PASSWORD).encode();
    HttpResponse<String> registered =
        send("POST", "/api/auth/register", credentials, null, Map.of());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    HttpResponse<String> login = send("POST", "/api/auth/login", credentials, null, Map.of());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return new JsonObject(login.body()).getString("access_token");
  }

  /** A product of the test's own, so stock figures are exact whatever other tests bought. */
  String newProduct(int stock, long priceMinor) throws Exception {
    assertThat(admin).as("an administrator signed up with withAdmin").isNotNull();
    String sku = "IT-" + UUID.randomUUID().toString().substring(0, 12);
    JsonObject input =
        new JsonObject()
            .put("sku", sku)
            .put("name", "Test item " + sku)
            .put("category", "books")
            .put("price", new JsonObject().put("amountMinor", priceMinor).put("currency", "EUR"))
            .put("stock", stock);
    HttpResponse<String> created = send("POST", "/api/products", input.encode(), admin, Map.of());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("id");
  }

  void putItem(String token, String productId, int quantity) throws Exception {
    String body = new JsonObject().put("quantity", quantity).encode();
    TestStack.await(
        "PUT of " + productId,
        Duration.ofSeconds(30),
        () -> {
          try {
            // 503 while the cart has not discovered the catalog yet.
            return send("PUT", "/api/cart/items/" + productId, body, token, Map.of()).statusCode()
                == 200;
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** A payment token for {@code card} (a test card number), issued to the caller once. */
  String paymentToken(String token, String card) throws Exception {
    String known = paymentTokens.get(token + "|" + card);
    if (known != null) {
      return known;
    }
    JsonObject input =
        new JsonObject()
            .put("number", card)
            .put("expMonth", 12)
            .put("expYear", java.time.Year.now().getValue() + 3)
            .put("cvc", "123");
    HttpResponse<String> issued =
        send("POST", "/api/payments/tokens", input.encode(), token, Map.of());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String paymentToken = new JsonObject(issued.body()).getString("token");
    paymentTokens.put(token + "|" + card, paymentToken);
    return paymentToken;
  }

  /** Checks out paying with {@code card}: tokenized first, as a storefront does. */
  HttpResponse<String> checkout(String token, String key, String card) throws Exception {
    return send(
        "POST",
        "/api/orders",
        new JsonObject().put("paymentToken", paymentToken(token, card)).encode(),
        token,
        Map.of("Idempotency-Key", key));
  }

  /** Puts one unit of a fresh product in the cart and checks out; gives the new order's id. */
  String buySomething(String token, String card) throws Exception {
    putItem(token, newProduct(5, 1250), 1);
    HttpResponse<String> placed = checkout(token, UUID.randomUUID().toString(), card);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    return new JsonObject(placed.body()).getString("id");
  }

  JsonObject awaitOrderStatus(String token, String orderId, String status, Duration timeout)
      throws InterruptedException {
    JsonObject[] seen = new JsonObject[1];
    try {
      TestStack.await(
          "order " + orderId + " " + status,
          timeout,
          () -> {
            try {
              seen[0] = okJson(send("GET", "/api/orders/" + orderId, null, token, Map.of()));
              return status.equals(seen[0].getString("status"));
            } catch (Exception e) {
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError("Last seen: " + seen[0], e);
    }
    return seen[0];
  }

  HttpResponse<String> send(
      String method, String path, String body, String token, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (token != null) {
      all.put("Authorization", "Bearer " + token);
    }
    return TestStack.send(gatewayPort, method, path, body, all);
  }

  static JsonObject okJson(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }
}
