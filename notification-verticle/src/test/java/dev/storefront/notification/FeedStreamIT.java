package dev.storefront.notification;

import static dev.storefront.notification.FeedCalls.await;
import static dev.storefront.notification.FeedWriter.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.notification.SseClient.Event;
import dev.storefront.notification.model.NewNotification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live stream against the real service: announcements reach open streams at once, a reconnect
 * resumes exactly where the client left off, concurrent appends arrive in order without gaps, a
 * slow client holds back the server's reading instead of its memory, the per-account limit holds,
 * and stopping the service ends its streams instead of waiting for them.
 *
 * <p>The main service's heartbeat is far longer than any wait here, so what arrives in time arrived
 * through an announcement, not through a heartbeat's re-read.
 */
class FeedStreamIT {

  private static final int STREAM_LIMIT = 3;

  private static ThrowawayDatabase db;
  private static Vertx vertx;
  private static Vertx clients;
  private static EcKeys.SigningKey key;
  private static FeedService service;
  private static FeedWriter writer;
  private static FeedCalls calls;
  private final List<SseClient> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("feed_stream");
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
    key = EcKeys.generate();
    service =
        FeedService.deploy(
            vertx,
            FeedService.env(
                db,
                key,
                Map.of(
                    "NOTIFICATION_STREAM_HEARTBEAT_S",
                    "50",
                    "NOTIFICATION_STREAMS_PER_ACCOUNT",
                    Integer.toString(STREAM_LIMIT))));
    writer = new FeedWriter(vertx, service.env(), 8);
    calls = new FeedCalls(WebClient.create(clients), new InternalTokens.Issuer(clients, key));
  }

  @AfterAll
  static void stop() {
    try {
      if (writer != null) {
        writer.close();
      }
      if (clients != null) {
        await(clients.close());
      }
      if (vertx != null) {
        await(vertx.close());
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @AfterEach
  void closeClients() throws Exception {
    opened.forEach(SseClient::close);
    opened.clear();
    service.awaitOpenStreams(0, 5_000);
  }

  private SseClient open(
      FeedService on, String account, String query, Map<String, String> headers) {
    return open(on, account, query, headers, new HttpClientOptions());
  }

  private SseClient open(
      FeedService on,
      String account,
      String query,
      Map<String, String> headers,
      HttpClientOptions options) {
    SseClient client = SseClient.open(clients, calls, on.port(), account, query, headers, options);
    opened.add(client);
    return client;
  }

  private SseClient open(String account) {
    SseClient client = open(service, account, null, Map.of());
    assertThat(client.status()).isEqualTo(200);
    return client;
  }

  private static String account() {
    return "acc-" + UUID.randomUUID();
  }

  private static long append(String account, String title) {
    return await(writer.append(notification(account, title, "body of " + title)));
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  @Test
  void anAppendedNotificationReachesAnOpenStreamWithinASecond() throws Exception {
    String alice = account();
    SseClient stream = open(service, alice, null, Map.of("Accept-Encoding", "gzip, deflate, br"));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().get("Content-Type")).isEqualTo("text/event-stream");
    assertThat(stream.headers().get("Cache-Control")).isEqualTo("no-cache");
    assertThat(stream.headers().get("X-Accel-Buffering")).isEqualTo("no");
    // Not compressed, even for a client that would accept it: a compressor holds events back.
    assertThat(stream.headers().get("Content-Encoding")).isNull();

    for (int i = 1; i <= 3; i++) {
      long appendedAt = System.nanoTime();
      long id = append(alice, "live " + i);
      Event event = stream.next(5_000);
      long latencyMs = TimeUnit.NANOSECONDS.toMillis(event.receivedNanos() - appendedAt);

      assertThat(latencyMs).as("milliseconds from append to arrival").isLessThan(1_000);
      assertThat(event.id()).isEqualTo(id).isEqualTo(i);
      assertThat(event.name()).isEqualTo("notification");
      assertThat(event.json().getString("title")).isEqualTo("live " + i);
    }
    assertThat(stream.retry()).as("the retry field came first").isEqualTo(2000);
    assertThat(stream.invalidLines()).isEmpty();

    // The event's data is the notification exactly as the list shows it.
    JsonObject listed =
        calls.list(service.port(), alice, "size=1").getJsonArray("items").getJsonObject(0);
    assertThat(listed.getLong("id")).isEqualTo(3);
    assertThat(service.streamedEvents()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theStreamCarriesTheSameJsonAsTheList() {
    String bea = account();
    SseClient stream = open(bea);
    append(bea, "same");

    Event event = stream.next(5_000);

    JsonObject listed =
        calls.list(service.port(), bea, null).getJsonArray("items").getJsonObject(0);
    assertThat(event.json()).isEqualTo(listed);
  }

  @Test
  void withoutAResumePointOnlyNotificationsAppendedAfterConnectingAreSent()
      throws InterruptedException {
    String bob = account();
    append(bob, "old 1");
    append(bob, "old 2");
    append(bob, "old 3");

    SseClient stream = open(bob);
    assertThat(stream.poll(500)).as("nothing from before the connection").isNull();
    append(bob, "new");

    Event event = stream.next(5_000);
    assertThat(event.id()).isEqualTo(4);
    assertThat(event.json().getString("title")).isEqualTo("new");
  }

  @Test
  void theAfterParameterResumesAFirstConnectionThatHasReadTheList() {
    String carol = account();
    for (int i = 1; i <= 5; i++) {
      append(carol, "n" + i);
    }

    SseClient stream = open(service, carol, "?after=3", Map.of());
    assertThat(ids(stream.next(2, 5_000))).containsExactly(4L, 5L);
    append(carol, "n6");
    assertThat(stream.next(5_000).id()).isEqualTo(6);
  }

  @Test
  void aReconnectWithLastEventIdGetsExactlyTheMissedOnesInOrder() throws InterruptedException {
    String dan = account();
    SseClient first = open(dan);
    for (int i = 1; i <= 3; i++) {
      append(dan, "before " + i);
    }
    assertThat(ids(first.next(3, 5_000))).containsExactly(1L, 2L, 3L);
    first.close();

    // Far more than one read's worth, each committed and announced while nobody listened.
    int missed = 250;
    for (int i = 1; i <= missed; i++) {
      append(dan, "missed " + i);
    }

    // The header wins over the query parameter.
    SseClient again = open(service, dan, "?after=100", Map.of("Last-Event-ID", "3"));
    assertThat(again.status()).isEqualTo(200);
    List<Event> caughtUp = again.next(missed, 5_000);
    assertThat(ids(caughtUp)).containsExactlyElementsOf(range(4, 3 + missed));
    assertThat(caughtUp.get(0).json().getString("title")).isEqualTo("missed 1");
    assertThat(caughtUp.get(missed - 1).json().getString("title")).isEqualTo("missed " + missed);

    append(dan, "after");
    assertThat(again.next(5_000).id()).isEqualTo(4L + missed);
    assertThat(again.poll(500)).as("nothing sent twice").isNull();
  }

  @Test
  void aMalformedLastEventIdIsABadRequestEvenWithAValidAfter() {
    String ann = account();
    for (String value : List.of("abc", "-1", "1.5", "7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b")) {
      SseClient refused = open(service, ann, "?after=1", Map.of("Last-Event-ID", value));

      assertThat(refused.status()).as(value).isEqualTo(400);
      assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.problem().getString("detail")).contains("Last-Event-ID");
    }
    assertThat(service.openStreams()).isZero();
  }

  @Test
  void aResumePointPastTheFeedsHeadResumesAtTheHead() {
    String eve = account();
    append(eve, "one");
    append(eve, "two");

    SseClient stream = open(service, eve, null, Map.of("Last-Event-ID", "1000"));
    append(eve, "three");

    assertThat(stream.next(5_000).id()).isEqualTo(3);
  }

  @Test
  void concurrentAppendsArriveInNumberOrderWithNoGap() {
    String fay = account();
    SseClient one = open(fay);
    SseClient two = open(fay);
    int writers = 6;
    int each = 40;

    List<Future<?>> appending = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writerNo = w;
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < each; i++) {
        int n = i;
        chain =
            chain.compose(
                v -> writer.append(notification(fay, "w" + writerNo + "-" + n, "b")).mapEmpty());
      }
      appending.add(chain);
    }
    await(Future.all(appending));

    int total = writers * each;
    for (SseClient stream : List.of(one, two)) {
      List<Event> events = stream.next(total, 5_000);
      assertThat(ids(events)).containsExactlyElementsOf(range(1, total));
      assertThat(events.stream().map(e -> e.json().getString("title")).distinct()).hasSize(total);
    }
  }

  @Test
  void aLostAnnouncementOnlyDelaysANotificationUntilTheNextHeartbeat() throws Exception {
    FeedService quick =
        FeedService.deploy(
            vertx, FeedService.env(db, key, Map.of("NOTIFICATION_STREAM_HEARTBEAT_S", "1")));
    try {
      String gus = account();
      SseClient stream = open(quick, gus, null, Map.of());
      assertThat(stream.status()).isEqualTo(200);

      // Past the stream's first read, which would otherwise find the notification itself.
      Thread.sleep(300);
      long seq = await(writer.appendQuietly(notification(gus, "unannounced", "b")));

      Event event = stream.next(4_000);
      assertThat(event.id()).isEqualTo(seq);
      // Found by the re-read that follows a keep-alive: nothing else told the stream.
      assertThat(event.commentsBefore())
          .as("keep-alive comments before it")
          .isGreaterThanOrEqualTo(1);
    } finally {
      opened.forEach(SseClient::close);
      opened.clear();
      await(vertx.undeploy(quick.deploymentId()));
    }
  }

  @Test
  void anAccountMayHoldOnlySoManyStreamsAndAClosedOneFreesItsPlace() throws Exception {
    String hal = account();
    String ida = account();
    List<SseClient> hals = new ArrayList<>();
    for (int i = 0; i < STREAM_LIMIT; i++) {
      hals.add(open(hal));
    }
    SseClient other = open(ida);
    assertThat(service.openStreams()).isEqualTo(STREAM_LIMIT + 1);

    SseClient refused = open(service, hal, null, Map.of());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.headers().get("Retry-After")).isEqualTo("50");
    JsonObject problem = refused.problem();
    assertThat(problem.getInteger("status")).isEqualTo(429);
    assertThat(problem.getString("type")).isEqualTo("urn:storefront:problem:too-many-streams");
    assertThat(service.openStreams()).isEqualTo(STREAM_LIMIT + 1);

    // The streams that were accepted still work, and so do other accounts'.
    append(hal, "to all three");
    append(ida, "other");
    for (SseClient stream : hals) {
      assertThat(stream.next(5_000).id()).isEqualTo(1);
    }
    assertThat(other.next(5_000).id()).isEqualTo(1);

    // A client that goes away gives its place back.
    hals.get(0).close();
    service.awaitOpenStreams(STREAM_LIMIT, 5_000);
    SseClient replacement = open(hal);
    assertThat(replacement.status()).isEqualTo(200);
    assertThat(service.openStreams()).isEqualTo(STREAM_LIMIT + 1);
  }

  @Test
  void aSlowClientHoldsBackTheServersReadingNotItsMemory() throws Exception {
    String jay = account();
    // A small receive window: the client's kernel holds little, so the server feels the pause.
    SseClient slow =
        open(service, jay, null, Map.of(), new HttpClientOptions().setReceiveBufferSize(32 * 1024));
    assertThat(slow.status()).isEqualTo(200);
    slow.pause();
    long streamedBefore = service.streamedEvents();

    int count = 1_500;
    String body = "x".repeat(16 * 1024);
    List<NewNotification> backlog =
        IntStream.rangeClosed(1, count).mapToObj(i -> notification(jay, "big " + i, body)).toList();
    for (int from = 0; from < count; from += 250) {
      await(writer.appendAll(backlog.subList(from, Math.min(count, from + 250))));
    }

    // Until the server stops writing: a server that ignored the full queue would write all 1500
    // (24 MB) into its own memory at once.
    long streamed =
        awaitSteady(service::streamedEvents, Duration.ofSeconds(2), Duration.ofSeconds(30));
    assertThat(streamed - streamedBefore)
        .as("events written while the client read nothing")
        .isLessThan(count / 2);

    slow.resume();
    List<Event> events = slow.next(count, 10_000);
    assertThat(ids(events)).containsExactlyElementsOf(range(1, count));
    assertThat(events.get(count - 1).json().getString("body")).hasSize(body.length());
  }

  @Test
  void stoppingTheServiceEndsItsStreamsPromptlyInsteadOfWaitingOutTheDrain() throws Exception {
    FeedService stopping =
        FeedService.deploy(vertx, FeedService.env(db, key, Map.of("SHUTDOWN_DRAIN_MS", "30000")));
    String kim = account();
    String lou = account();
    SseClient kims = open(stopping, kim, null, Map.of());
    SseClient lous = open(stopping, lou, null, Map.of());
    assertThat(kims.status()).isEqualTo(200);
    assertThat(lous.status()).isEqualTo(200);
    append(kim, "before the stop");
    assertThat(kims.next(5_000).id()).isEqualTo(1);

    long stopAt = System.nanoTime();
    Future<Void> undeployed = vertx.undeploy(stopping.deploymentId());
    // Both responses end cleanly (the chunked body is terminated, no reset), so EventSource
    // reconnects, with its Last-Event-ID, to an instance that is not stopping.
    await(kims.ended());
    await(lous.ended());
    long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
    await(undeployed);
    long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);

    assertThat(endedMs).as("milliseconds until the streams ended").isLessThan(3_000);
    assertThat(stoppedMs).as("milliseconds until the service stopped").isLessThan(10_000);
    assertThat(stopping.openStreams()).isZero();
  }

  /** Polls {@code reading} until it has not changed for {@code quiet}; gives its last value. */
  private static long awaitSteady(
      java.util.function.LongSupplier reading, Duration quiet, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long last = reading.getAsLong();
    long changedAt = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = reading.getAsLong();
      if (now != last) {
        last = now;
        changedAt = System.nanoTime();
      } else if (System.nanoTime() - changedAt >= quiet.toNanos()) {
        return last;
      }
    }
    return last;
  }
}
