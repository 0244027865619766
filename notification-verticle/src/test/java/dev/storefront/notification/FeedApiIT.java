package dev.storefront.notification;

import static dev.storefront.notification.FeedCalls.await;
import static dev.storefront.notification.FeedWriter.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed's list and read marks against the real service on a database of its own: every answer is
 * the caller's own, pages are newest first with their counts, and marks can be repeated.
 */
class FeedApiIT {

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static FeedService service;
  private static FeedWriter writer;
  private static FeedCalls calls;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("feed_api");
    vertx = Vertx.vertx();
    EcKeys.SigningKey key = EcKeys.generate();
    service = FeedService.deploy(vertx, FeedService.env(db, key, Map.of()));
    writer = new FeedWriter(vertx, service.env(), 4);
    calls = new FeedCalls(WebClient.create(vertx), new InternalTokens.Issuer(vertx, key));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (writer != null) {
        writer.close();
      }
      if (vertx != null) {
        // The service's broker never answers: stopping its consumers waits out the offset commit
        // (the consumer's 60 s API timeout) and then the consumer's close (30 s), past await's 60
        // s.
        vertx.close().toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void theFeedIsReadyAndServedWithoutABroker() {
    // The service's broker address answers nothing: readiness (which gates discovery) must not
    // wait for it, or a broker outage would take the feed and the streams off the air.
    HttpResponse<Buffer> ready =
        await(
            WebClient.create(vertx)
                .get(service.managementPort(), "127.0.0.1", "/health/ready")
                .send());
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    String erin = account();
    append(erin, 1, "erin");
    assertThat(ids(calls.list(service.port(), erin, null))).containsExactly(1L);
  }

  private static String account() {
    return "acc-" + UUID.randomUUID();
  }

  private static List<Long> append(String account, int count, String label) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> await(writer.append(notification(account, label + " " + i, "body " + i))))
        .toList();
  }

  private static List<Long> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  private static List<String> titles(JsonObject page) {
    return page.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("title"))
        .toList();
  }

  @Test
  void eachAccountSeesItsOwnFeedOnly() {
    String alice = account();
    String bob = account();
    assertThat(append(alice, 3, "alice")).containsExactly(1L, 2L, 3L);
    assertThat(append(bob, 2, "bob")).containsExactly(1L, 2L);

    JsonObject alices = calls.list(service.port(), alice, null);
    JsonObject bobs = calls.list(service.port(), bob, null);

    assertThat(titles(alices)).containsExactly("alice 3", "alice 2", "alice 1");
    assertThat(alices.getLong("total")).isEqualTo(3);
    assertThat(alices.getLong("unread")).isEqualTo(3);
    assertThat(titles(bobs)).containsExactly("bob 2", "bob 1");
    assertThat(bobs.getLong("total")).isEqualTo(2);
    assertThat(calls.list(service.port(), account(), null).getJsonArray("items")).isEmpty();
  }

  @Test
  void anAccountCannotMarkAnotherAccountsNotification() {
    String alice = account();
    String bob = account();
    append(alice, 2, "alice");
    append(bob, 5, "bob");

    // Bob's numbers 3..5 are no numbers of Alice's feed: as absent as numbers never given.
    HttpResponse<Buffer> read = calls.mark(service.port(), alice, "4", true);
    HttpResponse<Buffer> unread = calls.mark(service.port(), alice, "5", false);
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(read.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(read.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
    assertThat(unread.statusCode()).isEqualTo(404);
    assertThat(calls.mark(service.port(), alice, "999", true).statusCode()).isEqualTo(404);

    // Alice's own number 1 is hers alone: marking it leaves Bob's number 1 unread.
    assertThat(calls.mark(service.port(), alice, "1", true).statusCode()).isEqualTo(204);
    JsonObject bobs = calls.list(service.port(), bob, null);
    assertThat(bobs.getLong("unread")).isEqualTo(5);
    assertThat(bobs.getJsonArray("items").stream().map(o -> ((JsonObject) o).getBoolean("read")))
        .containsOnly(false);
    assertThat(calls.list(service.port(), alice, null).getLong("unread")).isEqualTo(1);
  }

  @Test
  void pagesAreNewestFirstWithTotalsAndTheUnreadFilter() {
    String carol = account();
    append(carol, 7, "carol");
    assertThat(calls.mark(service.port(), carol, "2", true).statusCode()).isEqualTo(204);
    assertThat(calls.mark(service.port(), carol, "5", true).statusCode()).isEqualTo(204);

    JsonObject first = calls.list(service.port(), carol, "page=1&size=3");
    assertThat(ids(first)).containsExactly(7L, 6L, 5L);
    assertThat(first.getInteger("page")).isEqualTo(1);
    assertThat(first.getInteger("size")).isEqualTo(3);
    assertThat(first.getLong("total")).isEqualTo(7);
    assertThat(first.getLong("unread")).isEqualTo(5);
    assertThat(ids(calls.list(service.port(), carol, "page=2&size=3"))).containsExactly(4L, 3L, 2L);
    assertThat(ids(calls.list(service.port(), carol, "page=3&size=3"))).containsExactly(1L);
    JsonObject past = calls.list(service.port(), carol, "page=4&size=3");
    assertThat(ids(past)).isEmpty();
    assertThat(past.getLong("total")).isEqualTo(7);

    JsonObject unread = calls.list(service.port(), carol, "unread=true");
    assertThat(ids(unread)).containsExactly(7L, 6L, 4L, 3L, 1L);
    assertThat(unread.getLong("total")).isEqualTo(5);
    assertThat(unread.getLong("unread")).isEqualTo(5);
    JsonObject unreadSecondPage = calls.list(service.port(), carol, "unread=true&size=2&page=2");
    assertThat(ids(unreadSecondPage)).containsExactly(4L, 3L);
    JsonObject read = calls.list(service.port(), carol, "unread=false");
    assertThat(ids(read)).containsExactly(5L, 2L);
    assertThat(read.getLong("total")).isEqualTo(2);
    assertThat(read.getLong("unread")).isEqualTo(5);

    // The default page is the first, of twenty.
    JsonObject defaults = calls.list(service.port(), carol, null);
    assertThat(defaults.getInteger("page")).isEqualTo(1);
    assertThat(defaults.getInteger("size")).isEqualTo(20);
    assertThat(ids(defaults)).hasSize(7);
  }

  @Test
  void anItemCarriesEverythingTheAppendGave() {
    String dave = account();
    var appended = notification(dave, "Order confirmed", "Your order 17 is confirmed");
    long id = await(writer.append(appended));
    Instant before = Instant.now().minusSeconds(60);

    JsonObject item = calls.list(service.port(), dave, null).getJsonArray("items").getJsonObject(0);

    assertThat(item.fieldNames())
        .containsExactlyInAnyOrder(
            "id", "kind", "title", "body", "orderId", "data", "read", "createdAt");
    assertThat(item.getLong("id")).isEqualTo(id);
    assertThat(item.getString("kind")).isEqualTo("order.confirmed");
    assertThat(item.getString("title")).isEqualTo("Order confirmed");
    assertThat(item.getString("body")).isEqualTo("Your order 17 is confirmed");
    assertThat(item.getString("orderId")).isEqualTo(appended.orderId().toString());
    assertThat(item.getJsonObject("data")).isEqualTo(appended.data());
    assertThat(item.getBoolean("read")).isFalse();
    assertThat(Instant.parse(item.getString("createdAt"))).isAfter(before);
  }

  @Test
  void readMarksCanBeRepeatedAndUndone() throws Exception {
    String erin = account();
    append(erin, 3, "erin");

    assertThat(calls.mark(service.port(), erin, "2", true).statusCode()).isEqualTo(204);
    Timestamp firstRead = readAt(erin, 2);
    assertThat(firstRead).isNotNull();
    Thread.sleep(20);
    HttpResponse<Buffer> again = calls.mark(service.port(), erin, "2", true);
    assertThat(again.statusCode()).isEqualTo(204);
    assertThat(again.bodyAsString()).isNull();
    // Reading again is no new reading: the time it was first read stays.
    assertThat(readAt(erin, 2)).isEqualTo(firstRead);
    JsonObject afterRead = calls.list(service.port(), erin, null);
    assertThat(afterRead.getLong("unread")).isEqualTo(2);
    assertThat(readFlags(afterRead)).containsExactly(false, true, false);

    assertThat(calls.mark(service.port(), erin, "2", false).statusCode()).isEqualTo(204);
    assertThat(calls.mark(service.port(), erin, "2", false).statusCode()).isEqualTo(204);
    assertThat(calls.mark(service.port(), erin, "3", false).statusCode()).isEqualTo(204);
    JsonObject afterUnread = calls.list(service.port(), erin, null);
    assertThat(afterUnread.getLong("unread")).isEqualTo(3);
    assertThat(readFlags(afterUnread)).containsExactly(false, false, false);
    assertThat(readAt(erin, 2)).isNull();
  }

  @Test
  void malformedRequestsAreBadRequestProblems() {
    String frank = account();
    append(frank, 1, "frank");
    for (String uri :
        List.of(
            "/api/notifications/abc/read",
            "/api/notifications/1.5/read",
            "/api/notifications/99999999999999999999/read")) {
      assertProblem(calls.send(service.port(), HttpMethod.PUT, uri, frank), 400);
      assertProblem(calls.send(service.port(), HttpMethod.DELETE, uri, frank), 400);
    }
    for (String query :
        List.of("page=-1", "page=x", "size=0", "size=101", "size=abc", "unread=maybe")) {
      assertProblem(
          calls.send(service.port(), HttpMethod.GET, FeedCalls.listUri(query), frank), 400);
    }
    assertProblem(
        calls.send(service.port(), HttpMethod.GET, "/api/notifications/stream?after=x", frank),
        400);
    assertProblem(
        calls.send(service.port(), HttpMethod.GET, "/api/notifications/stream?after=-1", frank),
        400);
    // The largest page size allowed is fine.
    assertThat(calls.list(service.port(), frank, "size=100").getInteger("size")).isEqualTo(100);
  }

  @Test
  void everyRouteNeedsACaller() {
    for (var route :
        List.of(
            Map.entry(HttpMethod.GET, "/api/notifications"),
            Map.entry(HttpMethod.PUT, "/api/notifications/1/read"),
            Map.entry(HttpMethod.DELETE, "/api/notifications/1/read"),
            Map.entry(HttpMethod.GET, "/api/notifications/stream"))) {
      assertProblem(calls.send(service.port(), route.getKey(), route.getValue(), null), 401);
    }
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  private static List<Boolean> readFlags(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getBoolean("read")).toList();
  }

  private static Timestamp readAt(String account, long seq) throws Exception {
    try (Connection conn = db.adminConnection();
        PreparedStatement statement =
            conn.prepareStatement(
                "SELECT read_at FROM notifications.feed WHERE account_id = ? AND seq = ?")) {
      statement.setString(1, account);
      statement.setLong(2, seq);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getTimestamp(1);
      }
    }
  }
}
