package dev.storefront.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.ServiceRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The validation handler in front of a stand-in for the rest of the gateway, which records what got
 * through and the body it could read.
 */
@ExtendWith(VertxExtension.class)
class RequestValidationTest {

  private static final String PRODUCT = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

  /** A request that got past validation: its method and URI, and the body the next hop saw. */
  record Reached(String method, String uri, Buffer buffered, Buffer streamed) {}

  /** An answer read whole. */
  record Answer(int status, String contentType, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String detail() {
      return json().getString("detail");
    }
  }

  private final List<Reached> reached = new CopyOnWriteArrayList<>();
  private HttpClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createHttpClient();
    ApiDocument.load(vertx)
        .compose(
            document -> {
              Router router = Router.router(vertx);
              RequestValidation.create(document).mount(router);
              router
                  .route()
                  .handler(
                      c -> {
                        Buffer buffered = RequestValidation.bufferedBody(c);
                        if (buffered != null) {
                          reached.add(
                              new Reached(
                                  c.request().method().name(), c.request().uri(), buffered, null));
                          c.end("ok");
                          return;
                        }
                        // As the proxy does: the body streams on from the (paused) request.
                        Future<Buffer> body = c.request().body();
                        c.request().resume();
                        body.onSuccess(
                            b -> {
                              reached.add(
                                  new Reached(
                                      c.request().method().name(), c.request().uri(), null, b));
                              c.end("ok");
                            });
                      });
              ServiceRouter.complete(router);
              return vertx.createHttpServer().requestHandler(router).listen(0);
            })
        .onComplete(
            ctx.succeeding(
                server -> {
                  port = server.actualPort();
                  ctx.completeNow();
                }));
  }

  private Future<Answer> send(
      HttpMethod method, String uri, Map<String, String> headers, Buffer body) {
    RequestOptions options =
        new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(uri);
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(
            request -> (body == null ? request.send() : request.send(body)).compose(this::read));
  }

  private Future<Answer> get(String uri) {
    return send(HttpMethod.GET, uri, Map.of(), null);
  }

  private Future<Answer> putQuantity(String productId, String json) {
    return send(
        HttpMethod.PUT,
        "/api/cart/items/" + productId,
        Map.of("Content-Type", "application/json"),
        json == null ? null : Buffer.buffer(json));
  }

  /** Runs {@code answers} one after another, then checks them all. */
  private void expect(
      VertxTestContext ctx,
      List<java.util.function.Supplier<Future<Answer>>> calls,
      Consumer<List<Answer>> check) {
    Future<List<Answer>> all = Future.succeededFuture(new java.util.ArrayList<>());
    for (var call : calls) {
      all =
          all.compose(
              list ->
                  call.get()
                      .map(
                          a -> {
                            list.add(a);
                            return list;
                          }));
    }
    all.onComplete(
        ctx.succeeding(
            list ->
                ctx.verify(
                    () -> {
                      check.accept(list);
                      ctx.completeNow();
                    })));
  }

  private static void assertProblem(Answer answer, int status, String detail) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.json().getInteger("status")).isEqualTo(status);
    if (detail != null) {
      assertThat(answer.detail()).isEqualTo(detail);
    }
  }

  @Test
  void aPathSegmentIsTheOneSplittingThePathWouldGive() {
    for (String path :
        List.of(
            "/", "/api", "/api/", "/api/products/1f0c", "/api//x", "/a/b/c/", "/api/cart/items")) {
      String[] split = path.substring(1).split("/", -1);
      for (int index = -1; index <= split.length + 1; index++) {
        String expected = index >= 0 && index < split.length ? split[index] : null;
        assertThat(RequestValidation.segment(path, index))
            .as("segment %d of %s", index, path)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void goodRequestsPassAndJsonBodiesArriveIntact(VertxTestContext ctx) {
    String cartBody = "{\"quantity\": 2}";
    String registration = "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}";
    String checkout = "{\"paymentToken\":\"tok_Wq3nR8sX2vYb6LpK0dFh4tJm9cZe1uAa\"}";
    String card =
        "{\"number\":\"4242 4242 4242 4242\",\"expMonth\":12,\"expYear\":2030,\"cvc\":\"123\"}";
    expect(
        ctx,
        List.of(
            () -> get("/api/products?page=2&size=10&sort=-price&q=1.5&category=books&utm=x"),
            () -> get("/api/products?q=true&page=&size="),
            () -> get("/api/products/" + PRODUCT),
            () -> putQuantity(PRODUCT, cartBody),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/auth/register",
                    Map.of("Content-Type", "application/json; charset=utf-8"),
                    Buffer.buffer(registration)),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/orders",
                    Map.of(
                        "Idempotency-Key",
                        "5b0e6a52-3c7e-4f0c",
                        "Content-Type",
                        "application/json"),
                    Buffer.buffer(checkout)),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/payments/tokens",
                    Map.of("Content-Type", "application/json"),
                    Buffer.buffer(card)),
            () -> get("/api/notifications?unread=true&page=1&size=100"),
            () -> send(HttpMethod.DELETE, "/api/cart", Map.of(), null),
            () -> get("/health/live"),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/unknown",
                    Map.of("Content-Type", "text/plain"),
                    Buffer.buffer("streamed"))),
        answers -> {
          assertThat(answers).extracting(Answer::status).containsOnly(200);
          assertThat(reached).hasSize(11);
          assertThat(reached.get(3).buffered()).isEqualTo(Buffer.buffer(cartBody));
          assertThat(reached.get(4).buffered()).isEqualTo(Buffer.buffer(registration));
          assertThat(reached.get(5).buffered()).isEqualTo(Buffer.buffer(checkout));
          assertThat(reached.get(6).buffered()).isEqualTo(Buffer.buffer(card));
          // A path the document does not describe leaves its body streaming.
          assertThat(reached.get(10).streamed()).isEqualTo(Buffer.buffer("streamed"));
        });
  }

  @Test
  void queryParametersOutOfRangeAreRefusedNamingTheRule(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> get("/api/products?size=1000"),
            () -> get("/api/products?page=0"),
            () -> get("/api/products?size=x"),
            () -> get("/api/products?sort=cheapest"),
            () -> get("/api/products?q=" + "a".repeat(201)),
            () -> get("/api/orders?size=0"),
            () -> get("/api/notifications?unread=maybe")),
        answers -> {
          assertProblem(answers.get(0), 400, "query parameter size must be ≤ 100");
          assertProblem(answers.get(1), 400, "query parameter page must be ≥ 1");
          assertProblem(answers.get(2), 400, "query parameter size must be an integer");
          assertProblem(
              answers.get(3), 400, "query parameter sort must be one of name, price, -price");
          assertProblem(answers.get(4), 400, "query parameter q must have at most 200 characters");
          assertProblem(answers.get(5), 400, "query parameter size must be ≥ 1");
          assertProblem(answers.get(6), 400, "query parameter unread must be a boolean");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void identifiersThatAreNotUuidsAreRefused(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> get("/api/products/not-a-uuid"),
            () -> get("/api/orders/12345"),
            () -> putQuantity("nope", "{\"quantity\":1}")),
        answers -> {
          assertProblem(answers.get(0), 400, "path parameter id must be a UUID");
          assertProblem(answers.get(1), 400, "path parameter id must be a UUID");
          assertProblem(answers.get(2), 400, "path parameter productId must be a UUID");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void cartQuantitiesOutsideTheRulesAreRefused(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> putQuantity(PRODUCT, "{\"quantity\":0}"),
            () -> putQuantity(PRODUCT, "{\"quantity\":-1}"),
            () -> putQuantity(PRODUCT, "{\"quantity\":1.5}"),
            () -> putQuantity(PRODUCT, "{\"quantity\":\"x\"}"),
            () -> putQuantity(PRODUCT, "{}"),
            () -> putQuantity(PRODUCT, "{\"quantity\":100}"),
            () -> putQuantity(PRODUCT, "[2]"),
            () -> putQuantity(PRODUCT, null)),
        answers -> {
          assertProblem(answers.get(0), 400, "request body field quantity must be ≥ 1");
          assertProblem(answers.get(1), 400, "request body field quantity must be ≥ 1");
          assertProblem(answers.get(2), 400, "request body field quantity must be an integer");
          assertProblem(answers.get(3), 400, "request body field quantity must be an integer");
          assertProblem(answers.get(4), 400, "request body field quantity is required");
          assertProblem(answers.get(5), 400, "request body field quantity must be ≤ 99");
          assertProblem(answers.get(6), 400, "request body must be an object");
          assertProblem(answers.get(7), 400, "The request body is required");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void checkoutNeedsAnIdempotencyKey(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> send(HttpMethod.POST, "/api/orders", Map.of(), null),
            () -> send(HttpMethod.POST, "/api/orders", Map.of("Idempotency-Key", "short"), null),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/orders",
                    Map.of("Idempotency-Key", "k".repeat(129)),
                    null),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/orders",
                    Map.of("Idempotency-Key", "checkout-0001", "Content-Type", "application/json"),
                    Buffer.buffer("{\"paymentToken\":\"4242424242424242\"}")),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/orders",
                    Map.of("Idempotency-Key", "checkout-0002", "Content-Type", "application/json"),
                    Buffer.buffer("{}")),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/payments/tokens",
                    Map.of("Content-Type", "application/json"),
                    Buffer.buffer(
                        "{\"number\":\"4242424242424242\",\"expMonth\":13,\"expYear\":2030,"
                            + "\"cvc\":\"123\"}")),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/payments/tokens",
                    Map.of("Content-Type", "application/json"),
                    Buffer.buffer(
                        "{\"number\":\"4242424242424242\",\"expMonth\":12,\"expYear\":2030}"))),
        answers -> {
          assertProblem(answers.get(0), 400, "header Idempotency-Key is required");
          assertProblem(
              answers.get(1), 400, "header Idempotency-Key must have at least 8 characters");
          assertProblem(
              answers.get(2), 400, "header Idempotency-Key must have at most 128 characters");
          // A card number in place of a token breaks a rule that is spelled out, and the answer
          // does not repeat the number.
          assertProblem(
              answers.get(3),
              400,
              "request body field paymentToken must match ^tok_[A-Za-z0-9_-]{16,64}$");
          assertThat(answers.get(3).body().toString()).doesNotContain("4242424242424242");
          assertProblem(answers.get(4), 400, "request body field paymentToken is required");
          assertProblem(answers.get(5), 400, "request body field expMonth must be ≤ 12");
          assertProblem(answers.get(6), 400, "request body field cvc is required");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void aBodyRefusedUnreadClosesAnHttp1ConnectionAndLeavesHttp2Streams(
      Vertx vertx, VertxTestContext ctx) {
    RequestOptions refused =
        new RequestOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setMethod(HttpMethod.POST)
            .setURI("/api/auth/register")
            .putHeader("Content-Type", "text/plain");
    HttpClient http2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    // One after the other: each protocol's exchange on its own, so that the first one's connection
    // closing cannot overlap the second one's opening.
    Future<HttpClientResponse> overHttp1 =
        client.request(refused).compose(r -> r.send(Buffer.buffer("email=ada@example.com")));
    // HTTP/2 forbids a Connection header: setting one there loses the answer altogether.
    Future<HttpClientResponse> overHttp2 =
        overHttp1.transform(
            ar ->
                http2
                    .request(refused)
                    .compose(r -> r.send(Buffer.buffer("email=ada@example.com"))));
    Future.all(overHttp1, overHttp2)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(overHttp1.result().statusCode()).isEqualTo(415);
                          assertThat(overHttp1.result().getHeader("Connection")).isEqualTo("close");
                          assertThat(overHttp2.result().version()).isEqualTo(HttpVersion.HTTP_2);
                          assertThat(overHttp2.result().statusCode()).isEqualTo(415);
                          assertThat(overHttp2.result().getHeader("Connection")).isNull();
                          ctx.completeNow();
                        })));
  }

  @Test
  void bodiesThatAreNotJsonAreRefused(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> putQuantity(PRODUCT, "{\"quantity\": 2"),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/auth/register",
                    Map.of("Content-Type", "text/plain"),
                    Buffer.buffer("email=ada@example.com")),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/auth/login",
                    Map.of(),
                    Buffer.buffer("{\"email\":\"a\",\"password\":\"b\"}")),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/products",
                    Map.of("Content-Type", "application/json"),
                    Buffer.buffer(
                        "{\"sku\":\"A-1\",\"name\":\"A\",\"category\":\"books\",\"stock\":1,"
                            + "\"price\":{\"amountMinor\":100,\"currency\":\"eur\"}}"))),
        answers -> {
          assertProblem(answers.get(0), 400, "The request body is not valid JSON");
          assertProblem(answers.get(1), 415, "The request body must be application/json");
          assertProblem(answers.get(2), 415, "The request body must be application/json");
          assertProblem(
              answers.get(3), 400, "request body field price.currency must match ^[A-Z]{3}$");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void oversizedBodiesAreRefusedWith413(VertxTestContext ctx) {
    String big = "{\"quantity\":1,\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
    String bigLogin = "{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(20 * 1024) + "\"}";
    expect(
        ctx,
        List.of(
            () -> putQuantity(PRODUCT, big),
            () -> sendChunked("/api/cart/items/" + PRODUCT, big),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/auth/login",
                    Map.of("Content-Type", "application/json"),
                    Buffer.buffer(bigLogin))),
        answers -> {
          assertProblem(answers.get(0), 413, "The request body is larger than 65536 bytes");
          assertProblem(answers.get(1), 413, null);
          assertProblem(answers.get(2), 413, "The request body is larger than 16384 bytes");
          assertThat(reached).isEmpty();
        });
  }

  // --- notifications -----------------------------------------------------------------------

  private static final String WEBHOOK = "0b8e6c52-3c7e-4f0c-9f57-1f3d2c9a7e10";

  private Future<Answer> stream(String query, String lastEventId) {
    return send(
        HttpMethod.GET,
        "/api/notifications/stream" + query,
        lastEventId == null
            ? Map.of("Accept", "text/event-stream")
            : Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId),
        null);
  }

  private Future<Answer> createWebhook(String json) {
    return send(
        HttpMethod.POST,
        "/api/notifications/webhooks",
        Map.of("Content-Type", "application/json"),
        Buffer.buffer(json));
  }

  @Test
  void notificationRequestsTheDocumentAllowsPass(VertxTestContext ctx) {
    String webhook =
        "{\"url\":\"https://shop.example.com/hooks/storefront\",\"description\":\"Back office\"}";
    // Only the service knows which URLs it posts to: the edge leaves those rules (422) to it.
    String refusedByTheService = "{\"url\":\"ftp://10.0.0.1/" + "x".repeat(2100) + "\"}";
    expect(
        ctx,
        List.of(
            () -> stream("", null),
            () -> stream("", "0"),
            () -> stream("", "123456789012345678"),
            () -> stream("?after=0", null),
            () -> stream("?after=41", "42"),
            () -> get("/api/notifications?page=1&size=20&unread=false"),
            () -> get("/api/notifications?unread=true"),
            () -> send(HttpMethod.PUT, "/api/notifications/7/read", Map.of(), null),
            () -> send(HttpMethod.DELETE, "/api/notifications/7/read", Map.of(), null),
            () -> get("/api/notifications/webhooks"),
            () -> createWebhook(webhook),
            () -> createWebhook("{\"url\":\"https://shop.example.com/hooks\"}"),
            () -> createWebhook(refusedByTheService),
            () -> send(HttpMethod.DELETE, "/api/notifications/webhooks/" + WEBHOOK, Map.of(), null),
            () -> get("/api/notifications/webhooks/" + WEBHOOK + "/deliveries?page=1&size=5")),
        answers -> {
          assertThat(answers).extracting(Answer::status).containsOnly(200);
          assertThat(reached)
              .extracting(Reached::uri)
              .containsExactly(
                  "/api/notifications/stream",
                  "/api/notifications/stream",
                  "/api/notifications/stream",
                  "/api/notifications/stream?after=0",
                  "/api/notifications/stream?after=41",
                  "/api/notifications?page=1&size=20&unread=false",
                  "/api/notifications?unread=true",
                  "/api/notifications/7/read",
                  "/api/notifications/7/read",
                  "/api/notifications/webhooks",
                  "/api/notifications/webhooks",
                  "/api/notifications/webhooks",
                  "/api/notifications/webhooks",
                  "/api/notifications/webhooks/" + WEBHOOK,
                  "/api/notifications/webhooks/" + WEBHOOK + "/deliveries?page=1&size=5");
          assertThat(reached.get(10).buffered()).isEqualTo(Buffer.buffer(webhook));
          assertThat(reached.get(12).buffered()).isEqualTo(Buffer.buffer(refusedByTheService));
        });
  }

  @Test
  void malformedStreamAndFeedRequestsAreRefusedAtTheEdge(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> stream("", "abc"),
            () -> stream("", "-1"),
            () -> stream("", "1234567890123456789"),
            () -> stream("", ""),
            () -> stream("?after=-1", null),
            () -> stream("?after=x", null),
            () -> get("/api/notifications?page=0"),
            () -> get("/api/notifications?size=101"),
            () -> send(HttpMethod.PUT, "/api/notifications/seven/read", Map.of(), null),
            () -> send(HttpMethod.DELETE, "/api/notifications/1.5/read", Map.of(), null)),
        answers -> {
          for (int i = 0; i < 4; i++) {
            assertProblem(answers.get(i), 400, null);
            assertThat(answers.get(i).detail()).as("answer %d", i).contains("Last-Event-ID");
          }
          assertProblem(answers.get(4), 400, "query parameter after must be ≥ 0");
          assertProblem(answers.get(5), 400, "query parameter after must be an integer");
          assertProblem(answers.get(6), 400, "query parameter page must be ≥ 1");
          assertProblem(answers.get(7), 400, "query parameter size must be ≤ 100");
          assertProblem(answers.get(8), 400, "path parameter id must be an integer");
          assertProblem(answers.get(9), 400, "path parameter id must be an integer");
          assertThat(reached).isEmpty();
        });
  }

  @Test
  void malformedWebhookRequestsAreRefusedAtTheEdge(VertxTestContext ctx) {
    expect(
        ctx,
        List.of(
            () -> createWebhook("{\"description\":\"no url\"}"),
            () -> createWebhook("{\"url\":42}"),
            () -> createWebhook("{\"url\":\"https://a.example\",\"description\":7}"),
            () ->
                createWebhook(
                    "{\"url\":\"https://a.example\",\"description\":\"" + "d".repeat(201) + "\"}"),
            () -> createWebhook("[\"https://a.example\"]"),
            () -> createWebhook("{\"url\":"),
            () -> send(HttpMethod.POST, "/api/notifications/webhooks", Map.of(), null),
            () ->
                send(
                    HttpMethod.POST,
                    "/api/notifications/webhooks",
                    Map.of("Content-Type", "text/plain"),
                    Buffer.buffer("https://a.example")),
            () -> send(HttpMethod.DELETE, "/api/notifications/webhooks/nope", Map.of(), null),
            () -> get("/api/notifications/webhooks/12/deliveries"),
            () -> get("/api/notifications/webhooks/" + WEBHOOK + "/deliveries?size=0")),
        answers -> {
          assertProblem(answers.get(0), 400, null);
          assertThat(answers.get(0).detail()).contains("url");
          assertProblem(answers.get(1), 400, "request body field url must be a string");
          assertProblem(answers.get(2), 400, "request body field description must be a string");
          assertProblem(
              answers.get(3),
              400,
              "request body field description must have at most 200 characters");
          assertProblem(answers.get(4), 400, null);
          assertProblem(answers.get(5), 400, "The request body is not valid JSON");
          assertProblem(answers.get(6), 400, null);
          assertProblem(answers.get(7), 415, "The request body must be application/json");
          assertProblem(answers.get(8), 400, "path parameter id must be a UUID");
          assertProblem(answers.get(9), 400, "path parameter id must be a UUID");
          assertProblem(answers.get(10), 400, "query parameter size must be ≥ 1");
          assertThat(reached).isEmpty();
        });
  }

  private Future<Answer> sendChunked(String uri, String body) {
    return client
        .request(
            new RequestOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setMethod(HttpMethod.PUT)
                .setURI(uri)
                .putHeader("Content-Type", "application/json"))
        .compose(
            request -> {
              request.setChunked(true);
              for (int i = 0; i < body.length(); i += 8192) {
                request.write(body.substring(i, Math.min(body.length(), i + 8192)));
              }
              request.end();
              return request.response().compose(this::read);
            });
  }

  /**
   * Reads the whole answer. Composed onto the request's own future: the first request of a test
   * starts on the test's thread, and a response handed on to a later stage of that chain can end
   * before its body is asked for.
   */
  private Future<Answer> read(HttpClientResponse response) {
    return response
        .body()
        .map(b -> new Answer(response.statusCode(), response.getHeader("Content-Type"), b));
  }
}
