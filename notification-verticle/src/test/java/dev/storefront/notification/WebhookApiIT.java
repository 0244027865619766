package dev.storefront.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook routes of the service as it runs, against a throwaway database, with the default URL
 * policy (private targets refused) and a limit of two webhooks per account. No broker: the routes
 * answer while the service waits for one.
 */
class WebhookApiIT {

  private static final String BASE = "/api/notifications/webhooks";
  private static final int LIMIT = 2;

  private static TestSystem system;
  private static NotificationVerticle service;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.withoutBroker("notification_webhook_api");
    service =
        system.deploy(system.env(Map.of("WEBHOOK_MAX_PER_ACCOUNT", Integer.toString(LIMIT))), null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void everyRouteNeedsACaller() {
    UUID any = UUID.randomUUID();
    String url = "https://hooks.example.com/anonymous-" + any;
    List<HttpResponse<Buffer>> answers =
        List.of(
            call(HttpMethod.GET, BASE, null, null),
            call(HttpMethod.POST, BASE, null, hook(url)),
            call(HttpMethod.DELETE, BASE + "/" + any, null, null),
            call(HttpMethod.GET, BASE + "/" + any + "/deliveries", null, null));
    assertThat(answers)
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
            });
    assertThat(system.queryLong("SELECT count(*) FROM webhooks WHERE url = '" + url + "'"))
        .isZero();
  }

  @Test
  void aCreatedWebhookIsShownWithItsSecretOnceThenListedWithoutIt() {
    Caller owner = someone();
    HttpResponse<Buffer> created =
        call(
            HttpMethod.POST,
            BASE,
            owner,
            hook("https://hooks.example.com/storefront").put("description", "Order desk"));

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject body = created.bodyAsJsonObject();
    String id = body.getString("id");
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.getHeader("Location")).isEqualTo(BASE + "/" + id);
    assertThat(body.getString("url")).isEqualTo("https://hooks.example.com/storefront");
    assertThat(body.getString("description")).isEqualTo("Order desk");
    assertThat(body.getBoolean("active")).isTrue();
    assertThat(body.getString("secret")).matches("whsec_[A-Za-z0-9_-]{43}");
    assertThat(Instant.parse(body.getString("createdAt"))).isBeforeOrEqualTo(Instant.now());
    assertThat(
            system.queryLong(
                "SELECT count(*) FROM webhooks WHERE secret = '"
                    + body.getString("secret")
                    + "' AND id = '"
                    + id
                    + "'"))
        .isEqualTo(1);

    HttpResponse<Buffer> listed = call(HttpMethod.GET, BASE, owner, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonArray items = listed.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject item = items.getJsonObject(0);
    assertThat(item.getString("id")).isEqualTo(id);
    assertThat(item.getString("url")).isEqualTo("https://hooks.example.com/storefront");
    assertThat(item.getString("description")).isEqualTo("Order desk");
    assertThat(item.getBoolean("active")).isTrue();
    assertThat(item.containsKey("secret")).isFalse();
    assertThat(item.containsKey("disabledReason")).isFalse();
    assertThat(listed.bodyAsString()).doesNotContain(body.getString("secret"));

    HttpResponse<Buffer> log = call(HttpMethod.GET, BASE + "/" + id + "/deliveries", owner, null);
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("items", new JsonArray())
                .put("page", 1)
                .put("size", 20)
                .put("total", 0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/a",
        "hooks.example.com/a",
        "/relative",
        "http://localhost:8080/a",
        "http://127.0.0.1/a",
        "http://10.0.0.8/a",
        "http://192.168.1.1/a",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/a",
        "http://[fe80::1]/a",
        "http://0x7f000001/a"
      })
  void aUrlThatIsNotAnAbsolutePublicHttpUrlIs422(String url) {
    Caller owner = someone();
    HttpResponse<Buffer> refused = call(HttpMethod.POST, BASE, owner, hook(url));
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(422);
    assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("url");
    assertThat(ownedBy(owner)).isZero();
  }

  @Test
  void aUrlOver2048CharactersIs422AndOneOfExactly2048IsFine() {
    Caller owner = someone();
    String base = "https://hooks.example.com/";
    String longest = base + "a".repeat(2048 - base.length());
    assertThat(call(HttpMethod.POST, BASE, owner, hook(longest + "a")).statusCode()).isEqualTo(422);
    assertThat(call(HttpMethod.POST, BASE, owner, hook(longest)).statusCode()).isEqualTo(201);
  }

  @Test
  void aMissingUrlOrABadDescriptionIs422() {
    Caller owner = someone();
    assertThat(call(HttpMethod.POST, BASE, owner, new JsonObject()).statusCode()).isEqualTo(422);
    assertThat(call(HttpMethod.POST, BASE, owner, new JsonObject().put("url", 42)).statusCode())
        .isEqualTo(422);
    assertThat(
            call(
                    HttpMethod.POST,
                    BASE,
                    owner,
                    hook("https://hooks.example.com/a").put("description", "d".repeat(201)))
                .statusCode())
        .isEqualTo(422);
    assertThat(
            call(
                    HttpMethod.POST,
                    BASE,
                    owner,
                    hook("https://hooks.example.com/a").put("description", 7))
                .statusCode())
        .isEqualTo(422);
    assertThat(ownedBy(owner)).isZero();
    assertThat(
            call(
                    HttpMethod.POST,
                    BASE,
                    owner,
                    hook("https://hooks.example.com/a").put("description", "d".repeat(200)))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400AndAnotherMediaTypeIs415() {
    Caller owner = someone();
    assertThat(call(HttpMethod.POST, BASE, owner, "{not json").statusCode()).isEqualTo(400);
    assertThat(call(HttpMethod.POST, BASE, owner, "[1, 2]").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> text =
        TestSystem.await(
            system
                .web
                .post(service.port(), "127.0.0.1", BASE)
                .putHeader(
                    dev.storefront.common.security.InternalTokens.HEADER,
                    system.issuer.issue(owner))
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("url=https://hooks.example.com")));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(ownedBy(owner)).isZero();
  }

  @Test
  void aMalformedContentTypeIs400AndACharsetOtherThanUtf8Is415() {
    Caller owner = someone();
    String body = "{\"url\":\"https://hooks.example.com/a\"}";
    for (String type :
        new String[] {"application/json; boundary=\"", "application/json; charset=\"utf-8"}) {
      HttpResponse<Buffer> malformed = postAs(owner, type, body);
      assertThat(malformed.statusCode()).as(type).isEqualTo(400);
      assertThat(malformed.getHeader("Content-Type")).startsWith("application/problem+json");
    }
    for (String type :
        new String[] {"application/json; charset=bogus", "application/json; charset=latin1"}) {
      HttpResponse<Buffer> refused = postAs(owner, type, body);
      assertThat(refused.statusCode()).as(type).isEqualTo(415);
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(ownedBy(owner)).isZero();
    assertThat(postAs(owner, "application/json; charset=UTF-8", body).statusCode()).isEqualTo(201);
  }

  private HttpResponse<Buffer> postAs(Caller owner, String contentType, String body) {
    return TestSystem.await(
        system
            .web
            .post(service.port(), "127.0.0.1", BASE)
            .putHeader(
                dev.storefront.common.security.InternalTokens.HEADER, system.issuer.issue(owner))
            .putHeader("Content-Type", contentType)
            .sendBuffer(Buffer.buffer(body)));
  }

  @Test
  void pastTheLimitPerAccountIs409UntilOneIsDeleted() {
    Caller owner = someone();
    String first = create(owner, "https://hooks.example.com/1");
    create(owner, "https://hooks.example.com/2");

    HttpResponse<Buffer> third = call(HttpMethod.POST, BASE, owner, hook("https://x.example/3"));
    assertThat(third.statusCode()).isEqualTo(409);
    assertThat(third.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(ownedBy(owner)).isEqualTo(LIMIT);
    // Another account has limits of its own.
    create(someone(), "https://hooks.example.com/other");

    assertThat(call(HttpMethod.DELETE, BASE + "/" + first, owner, null).statusCode())
        .isEqualTo(204);
    assertThat(call(HttpMethod.POST, BASE, owner, hook("https://x.example/3")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void concurrentCreationsStillStopAtTheLimit() {
    Caller owner = someone();
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      posts.add(
          system
              .web
              .post(service.port(), "127.0.0.1", BASE)
              .putHeader(
                  dev.storefront.common.security.InternalTokens.HEADER, system.issuer.issue(owner))
              .putHeader("Content-Type", "application/json")
              .sendBuffer(hook("https://hooks.example.com/" + i).toBuffer()));
    }
    TestSystem.await(Future.join(posts));
    assertThat(posts)
        .extracting(p -> p.result().statusCode())
        .containsOnly(201, 409)
        .filteredOn(status -> status == 201)
        .hasSize(LIMIT);
    assertThat(ownedBy(owner)).isEqualTo(LIMIT);
  }

  @Test
  void someoneElsesWebhookIsNotFoundAndStaysTheirs() {
    Caller owner = someone();
    Caller stranger = someone();
    String id = create(owner, "https://hooks.example.com/mine");

    HttpResponse<Buffer> deleted = call(HttpMethod.DELETE, BASE + "/" + id, stranger, null);
    assertThat(deleted.statusCode()).isEqualTo(404);
    assertThat(deleted.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(call(HttpMethod.GET, BASE + "/" + id + "/deliveries", stranger, null).statusCode())
        .isEqualTo(404);
    assertThat(call(HttpMethod.GET, BASE, stranger, null).bodyAsJsonObject().getJsonArray("items"))
        .isEmpty();
    assertThat(ownedBy(owner)).isEqualTo(1);
    assertThat(call(HttpMethod.GET, BASE + "/" + id + "/deliveries", owner, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void deletingAnswers204ThenTheWebhookIsGone() {
    Caller owner = someone();
    String id = create(owner, "https://hooks.example.com/bye");

    assertThat(call(HttpMethod.DELETE, BASE + "/" + id, owner, null).statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.DELETE, BASE + "/" + id, owner, null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.GET, BASE + "/" + id + "/deliveries", owner, null).statusCode())
        .isEqualTo(404);
    assertThat(ownedBy(owner)).isZero();
    assertThat(call(HttpMethod.DELETE, BASE + "/not-a-uuid", owner, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theDeliveryLogIsPagedNewestFirst() {
    Caller owner = someone();
    String id = create(owner, "https://hooks.example.com/paged");
    for (int i = 0; i < 5; i++) {
      system.sql(
          "INSERT INTO deliveries (id, event_id, channel, destination, kind, account_id, payload,"
              + " status, attempts, last_error, created_at) VALUES (gen_random_uuid(),"
              + " gen_random_uuid(), 'webhook', '"
              + id
              + "', 'order.confirmed', '"
              + owner.accountId()
              + "', '{}', 'failed', 8, 'HTTP 500 #"
              + i
              + "', now() - interval '"
              + (10 - i)
              + " minutes')");
    }
    JsonObject first = page(owner, id, "?page=1&size=2");
    assertThat(first.getLong("total")).isEqualTo(5);
    assertThat(first.getInteger("page")).isEqualTo(1);
    assertThat(first.getInteger("size")).isEqualTo(2);
    assertThat(first.getJsonArray("items"))
        .extracting(e -> ((JsonObject) e).getString("lastError"))
        .containsExactly("HTTP 500 #4", "HTTP 500 #3");
    assertThat(page(owner, id, "?page=3&size=2").getJsonArray("items"))
        .extracting(e -> ((JsonObject) e).getString("lastError"))
        .containsExactly("HTTP 500 #0");
    JsonObject entry = first.getJsonArray("items").getJsonObject(0);
    assertThat(entry.fieldNames())
        .containsExactlyInAnyOrder(
            "id",
            "eventId",
            "kind",
            "status",
            "attempts",
            "lastError",
            "createdAt",
            "updatedAt",
            "sentAt");
    assertThat(entry.getString("status")).isEqualTo("failed");
    assertThat(entry.getInteger("attempts")).isEqualTo(8);

    for (String bad : List.of("?page=0", "?page=-1", "?size=0", "?size=101", "?page=x")) {
      assertThat(
              call(HttpMethod.GET, BASE + "/" + id + "/deliveries" + bad, owner, null).statusCode())
          .as(bad)
          .isEqualTo(400);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static Caller someone() {
    return TestSystem.customer("acc-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static JsonObject hook(String url) {
    return new JsonObject().put("url", url);
  }

  private static String create(Caller owner, String url) {
    HttpResponse<Buffer> created = call(HttpMethod.POST, BASE, owner, hook(url));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  private static JsonObject page(Caller owner, String id, String query) {
    HttpResponse<Buffer> response =
        call(HttpMethod.GET, BASE + "/" + id + "/deliveries" + query, owner, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static long ownedBy(Caller caller) {
    return system.queryLong(
        "SELECT count(*) FROM webhooks WHERE account_id = '" + caller.accountId() + "'");
  }

  private static HttpResponse<Buffer> call(
      HttpMethod method, String path, Caller caller, Object body) {
    return system.call(service, method, path, caller, body);
  }
}
