package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The edge with real processes: accounts and tokens at the gateway, the caller's identity carried
 * to a service, a service refusing requests that bypass the gateway, and the login rate limit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeSecurityIT {

  private static TestStack stack;
  private static int gatewayPort;
  private static int cartPort;
  private static int gatewayManagement;
  private static int cartManagement;

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStack.start("edge");
    ServiceProcess gateway =
        stack.startService(
            "gateway", "gateway-1", Map.of("RATE_LIMITS", "/api/auth/login=5/60s;/api=500/1s"));
    ServiceProcess cart = stack.startService("cart", "cart-1", Map.of());
    gatewayPort = gateway.awaitPort(Duration.ofSeconds(90));
    cartPort = cart.awaitPort(Duration.ofSeconds(90));
    gatewayManagement = gateway.awaitManagementPort(Duration.ofSeconds(90));
    cartManagement = cart.awaitManagementPort(Duration.ofSeconds(90));
    TestStack.awaitReady(gateway);
    TestStack.awaitReady(cart);
    TestStack.await(
        "cart discovered",
        Duration.ofSeconds(30),
        () -> {
          try {
            return TestStack.get(gatewayPort, "/ops/instances").body().contains("\"cart\"");
          } catch (Exception e) {
            return false;
          }
        });
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aSignedInCallerReachesTheCartServiceAndAnAnonymousOneDoesNot() throws Exception {
    String email = "shopper-" + UUID.randomUUID() + "@example.com";
    HttpResponse<String> registered =
        post(gatewayPort, "/api/auth/register", credentials(email), Map.of());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    String token = login(email);

    HttpResponse<String> anonymous = send(gatewayPort, "GET", "/api/cart", Map.of());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    // With a token the request passes the edge and the cart service accepts the gateway's word
    // for who is calling: whatever it answers, it is not an authentication failure.
    HttpResponse<String> signedIn =
        send(gatewayPort, "GET", "/api/cart", Map.of("Authorization", "Bearer " + token));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isNotIn(401, 403, 503);

    // The same token with its payload edited (one character of the claims changed).
    String[] parts = token.split("\\.");
    char[] payload = parts[1].toCharArray();
    payload[payload.length / 2] = payload[payload.length / 2] == 'A' ? 'B' : 'A';
    String edited = parts[0] + "." + new String(payload) + "." + parts[2];
    HttpResponse<String> forged =
        send(gatewayPort, "GET", "/api/cart", Map.of("Authorization", "Bearer " + edited));
    assertThat(forged.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(2)
  void callersWhoMayNotUseAResourceAreRefusedBeforeTheirRequestIsChecked() throws Exception {
    // Malformed twice over: the path's id is no UUID and the quantity breaks its minimum. Whoever
    // may not use the resource gets 401 or 403, never the 400 that spells out the API's rules.
    String path = "/api/cart/items/not-a-uuid";
    String body = "{\"quantity\":0}";
    HttpResponse<String> anonymous = sendJson(gatewayPort, "PUT", path, body, Map.of());
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);

    String email = "checked-" + UUID.randomUUID() + "@example.com";
    assertThat(post(gatewayPort, "/api/auth/register", credentials(email), Map.of()).statusCode())
        .isEqualTo(201);
    String token = login(email);
    String[] parts = token.split("\\.");
    String resigned = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    HttpResponse<String> forged =
        sendJson(gatewayPort, "PUT", path, body, Map.of("Authorization", "Bearer " + resigned));
    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
    // The refused request's body was never read: the connection it came on must not hang the next
    // request sent on it.
    HttpResponse<String> next =
        send(gatewayPort, "GET", "/api/cart", Map.of("Authorization", "Bearer " + token));
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);

    HttpResponse<String> customer =
        post(gatewayPort, "/api/products", "{}", Map.of("Authorization", "Bearer " + token));
    assertThat(customer.statusCode()).as(customer.body()).isEqualTo(403);

    // A caller who may use the resource is told what is wrong with the request.
    HttpResponse<String> allowed =
        sendJson(gatewayPort, "PUT", path, body, Map.of("Authorization", "Bearer " + token));
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(400);
    assertThat(new JsonObject(allowed.body()).getString("detail"))
        .isEqualTo("path parameter productId must be a UUID");
  }

  @Test
  @Order(3)
  void aRequestThatBypassesTheGatewayIsRefused() throws Exception {
    assertThat(send(cartPort, "GET", "/api/cart", Map.of()).statusCode()).isEqualTo(401);
    // A client cannot vouch for itself: a made-up identity header is not a signed internal token.
    assertThat(
            send(
                    cartPort,
                    "GET",
                    "/api/cart",
                    Map.of("X-Storefront-Identity", "eyJhbGciOiJub25lIn0.e30."))
                .statusCode())
        .isEqualTo(401);
    // Health is for probes, on the management port; the service port has none.
    assertThat(TestStack.get(cartPort, "/health/live").statusCode()).isEqualTo(404);
    assertThat(TestStack.get(cartManagement, "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void nothingInternalAnswersOnThePublicPort() throws Exception {
    for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
      HttpResponse<String> refused = TestStack.get(gatewayPort, path);
      assertThat(refused.statusCode()).as(path).isEqualTo(404);
      assertThat(refused.headers().firstValue("Content-Type"))
          .as(path)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(refused.body()).as(path).doesNotContain("vertx_", "catalog@", "instanceId");
    }
    assertThat(TestStack.get(gatewayManagement, "/health/ready").statusCode()).isEqualTo(200);
    assertThat(TestStack.get(gatewayManagement, "/metrics").body())
        .contains("vertx_http_server_requests_total");
  }

  @Test
  @Order(4)
  void gatewaysStartedSeparatelyShareTheDevelopmentKeysThroughTheCluster() throws Exception {
    // No key is configured: the first gateway generated the development keys and published them
    // in the cluster; a second gateway process must sign and verify with the same ones.
    ServiceProcess second =
        stack.startService(
            "gateway", "gateway-2", Map.of("RATE_LIMITS", "/api/auth/login=5/60s;/api=500/1s"));
    int secondPort = second.awaitPort(Duration.ofSeconds(90));
    TestStack.awaitReady(second);
    TestStack.await(
        "cart discovered by the second gateway",
        Duration.ofSeconds(30),
        () -> {
          try {
            return TestStack.get(secondPort, "/ops/instances").body().contains("\"cart\"");
          } catch (Exception e) {
            return false;
          }
        });

    assertThat(kids(secondPort)).isNotEmpty().isEqualTo(kids(gatewayPort));

    String email = "roamer-" + UUID.randomUUID() + "@example.com";
    assertThat(post(secondPort, "/api/auth/register", credentials(email), Map.of()).statusCode())
        .isEqualTo(201);
    String fromFirst = login(email);
    HttpResponse<String> viaSecond =
        send(secondPort, "GET", "/api/cart", Map.of("Authorization", "Bearer " + fromFirst));
    assertThat(viaSecond.statusCode()).as(viaSecond.body()).isEqualTo(200);

    HttpResponse<String> loggedInAtSecond =
        post(secondPort, "/api/auth/login", credentials(email), Map.of());
    assertThat(loggedInAtSecond.statusCode()).isEqualTo(200);
    String fromSecond = new JsonObject(loggedInAtSecond.body()).getString("access_token");
    HttpResponse<String> viaFirst =
        send(gatewayPort, "GET", "/api/cart", Map.of("Authorization", "Bearer " + fromSecond));
    assertThat(viaFirst.statusCode()).as(viaFirst.body()).isEqualTo(200);
    // Both answers are the same account's cart, whichever gateway signed the token.
    assertThat(new JsonObject(viaFirst.body()).getJsonArray("items"))
        .isEqualTo(new JsonObject(viaSecond.body()).getJsonArray("items"));
  }

  // Last: it spends this client's login allowance.
  @Test
  @Order(5)
  void loginsAreRateLimitedWithRetryAfter() throws Exception {
    String body = credentials("nobody-" + UUID.randomUUID() + "@example.com");
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> response = post(gatewayPort, "/api/auth/login", body, Map.of());
      if (response.statusCode() == 429) {
        limited++;
        retryAfter = response.headers().firstValue("Retry-After").orElse(null);
      } else {
        assertThat(response.statusCode()).isEqualTo(401);
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(3);
    assertThat(retryAfter).isNotNull();
    assertThat(Integer.parseInt(retryAfter)).isPositive();
  }

  private static Set<String> kids(int port) throws Exception {
    HttpResponse<String> jwks = send(port, "GET", "/.well-known/jwks.json", Map.of());
    assertThat(jwks.statusCode()).isEqualTo(200);
    Set<String> kids = new TreeSet<>();
    new JsonObject(jwks.body())
        .getJsonArray("keys")
        .forEach(key -> kids.add(((JsonObject) key).getString("kid")));
    return kids;
  }

  private static String login(String email) throws Exception {
    HttpResponse<String> response =
        post(gatewayPort, "/api/auth/login", credentials(email), Map.of());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("access_token");
  }

  private static String credentials(String email) {
    return new JsonObject().put("email", email).put("password", "correct horse battery").encode();
  }

  private static HttpResponse<String> post(
      int port, String path, String json, Map<String, String> headers) throws Exception {
    return sendJson(port, "POST", path, json, headers);
  }

  private static HttpResponse<String> sendJson(
      int port, String method, String path, String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return TestStack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(
      int port, String method, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return TestStack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
