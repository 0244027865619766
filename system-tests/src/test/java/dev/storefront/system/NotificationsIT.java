package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Notifications with every service as its own process, two notification processes among them, a
 * real SMTP server and a webhook receiver started here: what a shopper hears about their orders by
 * e-mail, webhook and the live stream through the gateway, once per event, and never another
 * shopper's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsIT {

  private static final String ADMIN_EMAIL = "admin-" + UUID.randomUUID() + "@example.com";
  private static final Duration SAGA = Duration.ofSeconds(60);
  private static final String STREAM = "/api/notifications/stream";

  private static TestStack stack;
  private static GreenMail smtp;
  private static Shop shop;
  private static ServiceProcess notification1;
  private static ServiceProcess notification2;
  private static int notificationManagement1;
  private static int notificationManagement2;

  @BeforeAll
  static void startStack() throws Exception {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    smtp.start();
    stack = TestStack.start("notifications");
    ServiceProcess gateway =
        stack.startService(
            "gateway",
            "gateway-1",
            Map.of("RATE_LIMITS", "/api=100000/1s", "ADMIN_EMAILS", ADMIN_EMAIL));
    // The gateway founds the cluster alone first: seven JVMs joining at once on two cores is slow.
    int gatewayPort = gateway.awaitPort(Duration.ofSeconds(120));
    // The demo data brings the categories the test's products go in.
    ServiceProcess catalog =
        stack.startService(
            "catalog",
            "catalog-1",
            Map.of("CATALOG_DEMO_DATA", "true", "CATALOG_DEMO_PRODUCTS", "100"));
    ServiceProcess cart = stack.startService("cart", "cart-1", Map.of());
    ServiceProcess order = stack.startService("order", "order-1", Map.of());
    ServiceProcess payment = stack.startService("payment", "payment-1", Map.of());
    notification1 = startNotification("notification-1");
    notification2 = startNotification("notification-2");
    for (ServiceProcess process :
        List.of(gateway, catalog, cart, order, payment, notification1, notification2)) {
      TestStack.awaitReady(process);
    }
    notificationManagement1 = notification1.awaitManagementPort(Duration.ofSeconds(5));
    notificationManagement2 = notification2.awaitManagementPort(Duration.ofSeconds(5));
    TestStack.await(
        "every service discovered by the gateway",
        Duration.ofSeconds(60),
        () ->
            TestStack.instances(gatewayPort, "catalog").size() == 1
                && TestStack.instances(gatewayPort, "cart").size() == 1
                && TestStack.instances(gatewayPort, "order").size() == 1
                && TestStack.instances(gatewayPort, "payment").size() == 1
                && TestStack.instances(gatewayPort, "notification").size() == 2);
    shop = new Shop(gatewayPort).withAdmin(ADMIN_EMAIL);
  }

  private static ServiceProcess startNotification(String name) throws Exception {
    return stack.startService(
        "notification",
        name,
        Map.of(
            "MAIL_HOST", "127.0.0.1",
            "MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()),
            "MAIL_STARTTLS", "DISABLED",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
            "WEBHOOK_RETRY_BASE_MS", "200",
            "WEBHOOK_RETRY_MAX_MS", "1000",
            "WEBHOOK_MAX_ATTEMPTS", "4",
            "DELIVERY_POLL_MS", "100",
            "NOTIFICATION_STREAM_HEARTBEAT_S", "2"));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  /** Whatever a test did, the books balance and every settled order was told once. */
  @AfterEach
  void reconciliationIsClean() throws Exception {
    stack.awaitCleanReconciliation(SAGA, check -> false);
  }

  @Test
  @Order(1)
  void aShopperHearsOfAConfirmedOrderLiveWithinASecondOfThePaymentAndByOneMail() throws Exception {
    String email = "live-" + UUID.randomUUID() + "@example.com";
    String shopper = shop.signUp(email);
    // The first order warms every process on the way; the next three are timed.
    try (SseClient stream = openStream(shopper, Map.of())) {
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String orderId = shop.buySomething(shopper, Shop.APPROVED);
        SseClient.Event event = stream.nextOfType("notification", SAGA);
        assertThat(event.isEnd()).as("the stream stayed open").isFalse();
        JsonObject notification = new JsonObject(event.data());
        assertThat(notification.getString("kind")).isEqualTo("order.confirmed");
        assertThat(notification.getString("orderId")).isEqualTo(orderId);
        assertThat(event.id()).isEqualTo(Long.toString(notification.getLong("id")));
        long paidAt =
            stack.queryLong(
                "SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM payments.payments"
                    + " WHERE order_id = '"
                    + orderId
                    + "' AND status = 'succeeded'");
        if (i > 0) {
          latencies.add(event.receivedAtMillis() - paidAt);
        }
      }
      System.out.println(
          "Payment commit to the client's event, through the gateway (ms): " + latencies);
      assertThat(latencies)
          .as("ms from the payment's commit to the event at the client, through the gateway")
          .allSatisfy(ms -> assertThat(ms).isBetween(0L, 1000L));
    }
    awaitMails(email, 4);
    Thread.sleep(2_000);
    assertThat(mailsTo(email)).as("one mail per order, no more").hasSize(4);
    assertThat(mailsTo(email))
        .allSatisfy(mail -> assertThat(mail.getSubject()).containsIgnoringCase("confirmed"));
  }

  @Test
  @Order(2)
  void aDeclinedCardIsToldOnceAsAFailedPaymentNotAlsoAsACancellation() throws Exception {
    String email = "declined-" + UUID.randomUUID() + "@example.com";
    String shopper = shop.signUp(email);

    String orderId = shop.buySomething(shopper, Shop.DECLINED);
    shop.awaitOrderStatus(shopper, orderId, "cancelled", SAGA);

    awaitMails(email, 1);
    JsonArray feed = awaitFeed(shopper, 1);
    Thread.sleep(2_000);
    assertThat(mailsTo(email)).hasSize(1);
    assertThat(mailsTo(email).get(0).getSubject()).containsIgnoringCase("payment");
    feed = feed(shopper).getJsonArray("items");
    assertThat(feed).hasSize(1);
    assertThat(feed.getJsonObject(0).getString("kind")).isEqualTo("payment.failed");
    assertThat(feed.getJsonObject(0).getString("orderId")).isEqualTo(orderId);
    assertThat(feed.getJsonObject(0).getBoolean("read")).isFalse();
  }

  @Test
  @Order(3)
  void aReconnectWithLastEventIdGetsExactlyWhatWasMissedInOrder() throws Exception {
    String shopper = shop.signUp("resume-" + UUID.randomUUID() + "@example.com");
    String lastSeen;
    try (SseClient stream = openStream(shopper, Map.of())) {
      shop.buySomething(shopper, Shop.APPROVED);
      lastSeen = stream.nextOfType("notification", SAGA).id();
    }
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String orderId = shop.buySomething(shopper, i == 1 ? Shop.DECLINED : Shop.APPROVED);
      shop.awaitOrderStatus(shopper, orderId, i == 1 ? "cancelled" : "confirmed", SAGA);
      missed.add(orderId);
      // Told before the next order: the feed's numbers then follow the order of placing.
      awaitFeed(shopper, i + 2);
    }
    awaitFeed(shopper, 4);

    try (SseClient stream = openStream(shopper, Map.of("Last-Event-ID", lastSeen))) {
      List<SseClient.Event> replayed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replayed.add(stream.nextOfType("notification", Duration.ofSeconds(10)));
      }
      assertThat(replayed)
          .extracting(SseClient.Event::id)
          .containsExactly(
              Long.toString(Long.parseLong(lastSeen) + 1),
              Long.toString(Long.parseLong(lastSeen) + 2),
              Long.toString(Long.parseLong(lastSeen) + 3));
      assertThat(replayed)
          .extracting(e -> new JsonObject(e.data()).getString("orderId"))
          .containsExactlyElementsOf(missed);
      assertThat(stream.drain(Duration.ofSeconds(3)))
          .as("nothing repeated after the missed ones")
          .noneMatch(e -> e.type().equals("notification"));
    }
  }

  @Test
  @Order(4)
  void nobodyHearsOfAnotherShoppersOrdersWhateverTheyAskFor() throws Exception {
    String alice = shop.signUp("alice-" + UUID.randomUUID() + "@example.com");
    String bob = shop.signUp("bob-" + UUID.randomUUID() + "@example.com");
    String aliceId = accountIdOf(alice);

    try (SseClient bobs = openStream(bob, Map.of());
        SseClient alices = openStream(alice, Map.of())) {
      shop.buySomething(alice, Shop.APPROVED);
      SseClient.Event heard = alices.nextOfType("notification", SAGA);
      assertThat(heard.isEnd()).isFalse();
      assertThat(bobs.drain(Duration.ofSeconds(2)))
          .as("Bob's stream hears nothing of Alice's order")
          .noneMatch(e -> e.type().equals("notification"));
    }
    JsonObject aliceFeed = awaitFeed(alice, 1).getJsonObject(0);
    long id = aliceFeed.getLong("id");

    assertThat(feed(bob).getJsonArray("items")).isEmpty();
    assertThat(
            Shop.okJson(
                    shop.send(
                        "GET", "/api/notifications?accountId=" + aliceId, null, bob, Map.of()))
                .getJsonArray("items"))
        .isEmpty();
    assertThat(
            Shop.okJson(
                    shop.send(
                        "GET",
                        "/api/notifications",
                        null,
                        bob,
                        Map.of("X-Storefront-Identity", "forged", "X-Account-Id", aliceId)))
                .getJsonArray("items"))
        .isEmpty();
    assertThat(shop.send("PUT", "/api/notifications/" + id + "/read", null, bob, Map.of()))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(404);
    assertThat(feed(alice).getJsonArray("items").getJsonObject(0).getBoolean("read"))
        .as("Bob's attempt left Alice's notification unread")
        .isFalse();
    assertThat(shop.send("GET", "/api/notifications", null, null, Map.of()).statusCode())
        .isEqualTo(401);
    try (SseClient anonymous = openStream(null, Map.of())) {
      assertThat(anonymous.status()).isEqualTo(401);
    }

    assertThat(shop.send("PUT", "/api/notifications/" + id + "/read", null, alice, Map.of()))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(204);
    assertThat(feed(alice).getJsonArray("items").getJsonObject(0).getBoolean("read")).isTrue();
  }

  @Test
  @Order(5)
  void aWebhookGetsSignedDeliveriesRetriedUntilItAnswers() throws Exception {
    String shopper = shop.signUp("hooks-" + UUID.randomUUID() + "@example.com");
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("Storefront-Webhook-Id"),
                  exchange.getRequestHeaders().getFirst("Storefront-Webhook-Timestamp"),
                  exchange.getRequestHeaders().getFirst("Storefront-Signature"),
                  body));
          int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      HttpResponse<String> registered =
          shop.send(
              "POST",
              "/api/notifications/webhooks",
              new JsonObject().put("url", url).encode(),
              shopper,
              Map.of());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      JsonObject webhook = new JsonObject(registered.body());
      String secret = webhook.getString("secret");
      assertThat(secret).startsWith("whsec_");

      String orderId = shop.buySomething(shopper, Shop.APPROVED);
      TestStack.await("three tries of the webhook", SAGA, () -> received.size() >= 3);
      Thread.sleep(1_500);

      assertThat(received).as("two 500s, then one success, then nothing").hasSize(3);
      assertThat(received)
          .extracting(Received::deliveryId)
          .as("the same delivery each time")
          .containsOnly(received.get(0).deliveryId());
      for (Received attempt : received) {
        assertThat(attempt.signature())
            .isEqualTo("v1=" + hmacHex(secret, attempt.timestamp() + "." + attempt.text()));
        assertThat(
                Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(attempt.timestamp())))
            .isLessThan(300);
      }
      JsonObject payload = new JsonObject(received.get(2).text());
      assertThat(payload.getString("type")).isEqualTo("order.confirmed");
      assertThat(payload.getString("orderId")).isEqualTo(orderId);

      JsonObject log =
          Shop.okJson(
              shop.send(
                  "GET",
                  "/api/notifications/webhooks/" + webhook.getString("id") + "/deliveries",
                  null,
                  shopper,
                  Map.of()));
      assertThat(log.getJsonArray("items")).hasSize(1);
      assertThat(log.getJsonArray("items").getJsonObject(0).getString("status")).isEqualTo("sent");
      assertThat(log.getJsonArray("items").getJsonObject(0).getInteger("attempts")).isEqualTo(3);
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  @Order(6)
  void aDuplicatedDeliveryOfAnOrdersEventsSendsNoSecondMail() throws Exception {
    String email = "twice-" + UUID.randomUUID() + "@example.com";
    String shopper = shop.signUp(email);
    String orderId = shop.buySomething(shopper, Shop.APPROVED);
    awaitMails(email, 1);
    awaitFeed(shopper, 1);

    List<ConsumerRecord<String, String>> events = new ArrayList<>();
    for (String topic : List.of("orders.events", "payments.events")) {
      KafkaTopics.readAll(stack.kafka().bootstrapServers(), topic).stream()
          .filter(r -> orderId.equals(r.key()))
          .forEach(events::add);
    }
    assertThat(events)
        .extracting(ConsumerRecord::topic)
        .contains("orders.events", "payments.events");
    double before = consumedHandled();
    KafkaTopics.republish(stack.kafka().bootstrapServers(), events);
    TestStack.await(
        "the repeats consumed by the notification service",
        SAGA,
        () -> consumedHandled() >= before + events.size());

    Thread.sleep(2_000);
    assertThat(mailsTo(email)).hasSize(1);
    assertThat(feed(shopper).getJsonArray("items")).hasSize(1);
  }

  @Test
  @Order(7)
  void aStreamWhoseNotificationProcessIsKilledResumesOnTheOtherWithoutAGap() throws Exception {
    String shopper = shop.signUp("failover-" + UUID.randomUUID() + "@example.com");
    List<String> heard = new ArrayList<>();
    String lastId;
    ServiceProcess serving;
    try (SseClient stream = openStream(shopper, Map.of())) {
      shop.buySomething(shopper, Shop.APPROVED);
      SseClient.Event first = stream.nextOfType("notification", SAGA);
      heard.add(new JsonObject(first.data()).getString("orderId"));
      lastId = first.id();
      serving = streamsOpen(notificationManagement1) > 0 ? notification1 : notification2;
      assertThat(
              streamsOpen(
                  serving == notification1 ? notificationManagement1 : notificationManagement2))
          .isEqualTo(1);

      serving.kill();
      assertThat(stream.nextOfType("notification", Duration.ofSeconds(15)).isEnd())
          .as("the stream ends with its process")
          .isTrue();
    }
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      placed.add(shop.buySomething(shopper, Shop.APPROVED));
    }
    try (SseClient resumed = openStreamRetrying(shopper, lastId)) {
      for (int i = 0; i < 2; i++) {
        SseClient.Event event = resumed.nextOfType("notification", SAGA);
        assertThat(event.isEnd()).isFalse();
        assertThat(Long.parseLong(event.id())).isEqualTo(Long.parseLong(lastId) + 1);
        lastId = event.id();
        heard.add(new JsonObject(event.data()).getString("orderId"));
      }
    }
    // Numbered without a gap; in the order they were confirmed, which for two orders on two
    // partitions, one taken over from the killed process, need not be the order they were placed.
    assertThat(heard.subList(1, 3)).containsExactlyInAnyOrderElementsOf(placed);
  }

  // --- helpers ---

  private record Received(String deliveryId, String timestamp, String signature, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static SseClient openStream(String token, Map<String, String> headers) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(headers);
    if (token != null) {
      all.put("Authorization", "Bearer " + token);
    }
    SseClient client = SseClient.open(shop.gatewayPort(), STREAM, all);
    if (client.status() == 200) {
      assertThat(client.header("Content-Type")).startsWith("text/event-stream");
    }
    return client;
  }

  /** Reconnects as a browser would: again after a short wait while the answer is not a stream. */
  private static SseClient openStreamRetrying(String token, String lastEventId) throws Exception {
    long deadline = System.nanoTime() + SAGA.toNanos();
    while (true) {
      SseClient client = openStream(token, Map.of("Last-Event-ID", lastEventId));
      if (client.status() == 200 || System.nanoTime() > deadline) {
        assertThat(client.status()).isEqualTo(200);
        return client;
      }
      client.close();
      Thread.sleep(500);
    }
  }

  private static JsonObject feed(String token) throws Exception {
    return Shop.okJson(shop.send("GET", "/api/notifications", null, token, Map.of()));
  }

  private static JsonArray awaitFeed(String token, int size) throws InterruptedException {
    JsonArray[] items = new JsonArray[1];
    TestStack.await(
        size + " notification(s) in the feed",
        SAGA,
        () -> {
          try {
            items[0] = feed(token).getJsonArray("items");
            return items[0].size() >= size;
          } catch (Exception e) {
            return false;
          }
        });
    return items[0];
  }

  private static String accountIdOf(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(
            new String(java.util.Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
        .getString("sub");
  }

  private static List<MimeMessage> mailsTo(String email) throws Exception {
    List<MimeMessage> mails = new ArrayList<>();
    for (MimeMessage message : smtp.getReceivedMessages()) {
      if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
          .anyMatch(a -> a.toString().contains(email))) {
        mails.add(message);
      }
    }
    return mails;
  }

  private static void awaitMails(String email, int count) throws InterruptedException {
    TestStack.await(
        count + " mail(s) to " + email,
        SAGA,
        () -> {
          try {
            return mailsTo(email).size() >= count;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private static double streamsOpen(int managementPort) {
    return TestStack.metric(managementPort, "storefront_notification_streams_open");
  }

  /** Events the notification processes have handled (a repeat counts as handled too). */
  private static double consumedHandled() {
    return TestStack.metric(
            notificationManagement1, "storefront_events_consumed_total", "outcome=\"handled\"")
        + TestStack.metric(
            notificationManagement2, "storefront_events_consumed_total", "outcome=\"handled\"");
  }

  private static String hmacHex(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
