package dev.storefront.notification;

import static dev.storefront.notification.TestSystem.settle;
import static dev.storefront.notification.TestSystem.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.Caller;
import dev.storefront.notification.WebhookReceiver.Received;
import dev.storefront.notification.stream.LiveFeed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification service as it runs (its verticle: migrations, consumer, dispatcher, HTTP)
 * against a throwaway database, a real Kafka broker, a real SMTP server and webhook receivers that
 * verify every signature: events go in on {@code orders.events} and {@code payments.events},
 * e-mails and webhook requests come out.
 */
class NotificationDeliveryIT {

  private static final String SHOP_SECRET = "whsec_the-shops-own-secret";

  @TempDir static Path kafkaDir;

  private static TestSystem system;
  private static NotificationVerticle service;
  private static SimpleMeterRegistry meters;
  private static WebhookReceiver shop;
  private static final List<JsonObject> announcements = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("notification_delivery", kafkaDir);
    shop = WebhookReceiver.start(system.vertx, 204).secret(SHOP_SECRET);
    meters = new SimpleMeterRegistry();
    Map<String, String> env =
        system.env(
            Map.of(
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "WEBHOOK_MAX_ATTEMPTS", "3",
                "WEBHOOK_BREAKER_MAX_FAILURES", "3",
                "WEBHOOK_BREAKER_RESET_MS", "5000",
                "MAIL_MAX_ATTEMPTS", "4",
                "SHOP_WEBHOOK_URL", shop.url("/shop/notifications"),
                "SHOP_WEBHOOK_SECRET", SHOP_SECRET,
                "EVENTS_MAX_ATTEMPTS", "2"));
    system
        .vertx
        .eventBus()
        .<JsonObject>consumer(LiveFeed.ADDRESS, message -> announcements.add(message.body()));
    service = system.deploy(env, meters);
    system.awaitReady(service);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  // --- e-mail and the feed ---------------------------------------------------------------------

  @Test
  void anEventDeliveredTwiceGivesOneNotificationOneMailAndOneShopRequest() throws Exception {
    UUID order = UUID.randomUUID();
    String account = account();
    String email = address("twice");
    double createdBefore = counter("storefront_notifications_created", "kind", "order.confirmed");
    system.publish(Events.orderCreated(order, account, email));
    JsonObject confirmed = Events.orderConfirmed(order, account);
    system.publish(confirmed);
    system.publish(confirmed);

    MimeMessage mail = system.awaitMail(email);
    String eventId = Events.eventId(confirmed);
    waitUntil(() -> statusOf(eventId, "webhook").equals("sent"), "the shop's request");
    waitUntil(
        () -> system.queryLong(processed(eventId)) == 1 && !announcementsFor(account).isEmpty(),
        "the event and its announcement");
    settle();

    assertThat(system.mailsTo(email)).hasSize(1);
    String ref = order.toString().substring(0, 8).toUpperCase(Locale.ROOT);
    assertThat(mail.getSubject()).containsIgnoringCase("confirmed").contains(ref);
    assertThat(mail.getFrom()[0].toString()).contains("no-reply@storefront.local");
    Map<String, Object> emailRow = system.delivery(eventId, "email");
    assertThat(mail.getHeader("Message-ID"))
        .containsExactly("<" + emailRow.get("id") + "@storefront>");
    assertThat(GreenMailUtil.getBody(mail)).contains(ref).contains("49.98 EUR");
    assertThat(emailRow.get("status")).isEqualTo("sent");
    assertThat(emailRow.get("attempts")).isEqualTo(1);
    assertThat(emailRow.get("destination")).isEqualTo(account);

    assertThat(system.deliveriesOf(eventId))
        .extracting(r -> r.get("channel") + "/" + r.get("destination") + "/" + r.get("status"))
        .containsExactly(
            "email/" + account + "/sent", "in_app/" + account + "/sent", "webhook/shop/sent");
    assertThat(system.queryLong("SELECT count(*) FROM feed WHERE event_id = '" + eventId + "'"))
        .isEqualTo(1);
    assertThat(announcementsFor(account))
        .containsExactly(new JsonObject().put("accountId", account).put("seq", 1L));

    List<Received> requests = shop.about(order.toString());
    assertThat(requests).hasSize(1);
    Received request = requests.get(0);
    assertThat(request.signatureValid()).isTrue();
    assertThat(request.contentType()).startsWith("application/json");
    String shopRowId = system.delivery(eventId, "webhook").get("id").toString();
    assertThat(request.deliveryId()).isEqualTo(shopRowId);
    JsonObject body = request.json();
    assertThat(body.getString("id")).isEqualTo(shopRowId);
    assertThat(body.getString("type")).isEqualTo("order.confirmed");
    assertThat(body.getString("accountId")).isEqualTo(account);
    assertThat(body.getString("orderId")).isEqualTo(order.toString());
    assertThat(Instant.parse(body.getString("occurredAt")))
        .isEqualTo(Instant.parse(confirmed.getString("occurredAt")));
    assertThat(body.getJsonObject("notification").getString("title")).isEqualTo("Order confirmed");
    assertThat(body.getJsonObject("notification").getJsonObject("data").getJsonObject("total"))
        .isEqualTo(Events.money(4_998));
    assertThat(counter("storefront_notifications_created", "kind", "order.confirmed"))
        .isEqualTo(createdBefore + 1);
    assertThat(meters.find("storefront_notification_delivery").tag("channel", "email").timer())
        .satisfies(timer -> assertThat(timer.count()).isPositive());
  }

  @Test
  void mailsTellOfConfirmationsFailedPaymentsTimeoutsAndRefundsButNotOfPaymentCancellations()
      throws Exception {
    String account = account();
    UUID confirmedOrder = UUID.randomUUID();
    UUID declinedOrder = UUID.randomUUID();
    UUID timedOutOrder = UUID.randomUUID();
    UUID refundedOrder = UUID.randomUUID();
    String confirmedTo = address("confirmed");
    String declinedTo = address("declined");
    String timedOutTo = address("timeout");
    String refundedTo = address("refunded");
    system.publish(Events.orderCreated(confirmedOrder, account, confirmedTo));
    system.publish(Events.orderCreated(declinedOrder, account, declinedTo));
    system.publish(Events.orderCreated(timedOutOrder, account, timedOutTo));
    system.publish(Events.orderCreated(refundedOrder, account, refundedTo));
    system.publish(Events.orderConfirmed(confirmedOrder, account));
    system.publish(Events.paymentFailed(declinedOrder, account, "declined"));
    JsonObject declinedCancellation =
        Events.orderCancelled(declinedOrder, account, "payment_declined");
    system.publish(declinedCancellation);
    system.publish(Events.orderCancelled(timedOutOrder, account, "payment_timeout"));
    // A checkout abandoned before its order was written: cancelled, but never created.
    UUID abandoned = UUID.randomUUID();
    JsonObject abandonedCancellation = Events.orderCancelled(abandoned, account, "payment_timeout");
    system.publish(abandonedCancellation);
    JsonObject succeeded = Events.paymentSucceeded(refundedOrder, account);
    system.publish(succeeded);
    system.publish(Events.paymentRefunded(refundedOrder, account));

    assertThat(system.awaitMail(confirmedTo).getSubject()).containsIgnoringCase("confirmed");
    assertThat(system.awaitMail(declinedTo).getSubject())
        .containsIgnoringCase("payment")
        .containsIgnoringCase("failed");
    assertThat(system.awaitMail(timedOutTo).getSubject()).containsIgnoringCase("cancelled");
    assertThat(system.awaitMail(refundedTo).getSubject()).containsIgnoringCase("refund");
    settle();

    // The declined order's cancellation was told by its PaymentFailed; a payment that went
    // through is told by the order's confirmation.
    assertThat(system.mailsTo(declinedTo)).hasSize(1);
    assertThat(system.mailsTo(refundedTo)).hasSize(1);
    assertThat(system.deliveriesOf(Events.eventId(declinedCancellation))).isEmpty();
    assertThat(system.deliveriesOf(Events.eventId(succeeded))).isEmpty();
    waitUntil(
        () ->
            system.queryLong(
                    "SELECT count(*) FROM processed_events WHERE event_id = '"
                        + Events.eventId(abandonedCancellation)
                        + "'")
                == 1,
        "the abandoned checkout's cancellation to be consumed");
    assertThat(system.deliveriesOf(Events.eventId(abandonedCancellation))).isEmpty();
    assertThat(system.queryLong("SELECT count(*) FROM feed WHERE account_id = '" + account + "'"))
        .isEqualTo(4);
    assertThat(
            system.rows("SELECT kind FROM feed WHERE account_id = '" + account + "' ORDER BY kind"))
        .extracting(r -> r.get("kind"))
        .containsExactly(
            "order.cancelled", "order.confirmed", "payment.failed", "payment.refunded");
  }

  @Test
  void aPaymentFailedConsumedBeforeItsOrderCreatedIsMailedOnceTheContactArrives() throws Exception {
    UUID order = UUID.randomUUID();
    String account = account();
    String email = address("overtaken");
    JsonObject failed = Events.paymentFailed(order, account, "insufficient_funds");
    system.publish(failed);
    String eventId = Events.eventId(failed);
    waitUntil(
        () -> {
          List<Map<String, Object>> rows =
              system.rows(
                  "SELECT * FROM deliveries WHERE channel = 'email' AND event_id = '"
                      + eventId
                      + "' AND attempts >= 1");
          return !rows.isEmpty()
              && String.valueOf(rows.get(0).get("last_error")).startsWith("no contact known yet");
        },
        "an attempt that found no contact");
    assertThat(system.mailsTo(email)).isEmpty();

    system.publish(Events.orderCreated(order, account, email));

    MimeMessage mail = system.awaitMail(email);
    assertThat(mail.getSubject()).containsIgnoringCase("payment");
    waitUntil(() -> statusOf(eventId, "email").equals("sent"), "the e-mail recorded as sent");
    settle();
    assertThat(system.mailsTo(email)).hasSize(1);
  }

  @Test
  void anEmailThatGaveUpWaitingForItsContactGoesOutWhenTheContactArrivesAfterAll() {
    UUID order = UUID.randomUUID();
    String account = account();
    String email = address("late-contact");
    JsonObject failed = Events.paymentFailed(order, account, "declined");
    system.publish(failed);
    String eventId = Events.eventId(failed);
    waitUntil(() -> statusOf(eventId, "email").equals("failed"), "the e-mail to give up");
    assertThat(system.delivery(eventId, "email").get("attempts")).isEqualTo(4);

    system.publish(Events.orderCreated(order, account, email));

    system.awaitMail(email);
    waitUntil(() -> statusOf(eventId, "email").equals("sent"), "the e-mail recorded as sent");
    settle();
    assertThat(system.mailsTo(email)).hasSize(1);
  }

  @Test
  void anEventConsumedPastTheMaximumAgeTellsNobody() {
    UUID order = UUID.randomUUID();
    String account = account();
    String email = address("old-news");
    system.publish(Events.orderCreated(order, account, email));
    JsonObject old = Events.orderConfirmed(order, account);
    old.put("occurredAt", java.time.Instant.now().minus(java.time.Duration.ofHours(73)).toString());
    system.publish(old);
    JsonObject recent = Events.orderConfirmed(UUID.randomUUID(), account);
    system.publish(
        Events.orderCreated(UUID.fromString(recent.getString("orderId")), account, email));
    system.publish(recent);

    system.awaitMail(email);
    waitUntil(
        () ->
            system.queryLong(
                    "SELECT count(*) FROM processed_events WHERE event_id = '"
                        + Events.eventId(old)
                        + "'")
                == 1,
        "the old event to be consumed");
    settle();
    assertThat(system.deliveriesOf(Events.eventId(old))).isEmpty();
    assertThat(system.mailsTo(email)).hasSize(1);
    assertThat(system.queryLong("SELECT count(*) FROM feed WHERE account_id = '" + account + "'"))
        .isEqualTo(1);
  }

  @Test
  void anOrderWithoutAnAddressHasItsEmailSkippedAndStillReachesTheFeedAndTheShop() {
    UUID order = UUID.randomUUID();
    String account = account();
    double skippedBefore =
        counter("storefront_notification_deliveries", "channel", "email", "outcome", "skipped");
    system.publish(Events.orderCreated(order, account, null));
    JsonObject confirmed = Events.orderConfirmed(order, account);
    system.publish(confirmed);
    String eventId = Events.eventId(confirmed);

    waitUntil(() -> statusOf(eventId, "email").equals("skipped"), "the e-mail to be skipped");
    assertThat(system.delivery(eventId, "email").get("last_error").toString())
        .contains("no e-mail address");
    assertThat(system.delivery(eventId, "in_app").get("status")).isEqualTo("sent");
    waitUntil(() -> statusOf(eventId, "webhook").equals("sent"), "the shop's request");
    assertThat(
            counter("storefront_notification_deliveries", "channel", "email", "outcome", "skipped"))
        .isGreaterThan(skippedBefore);
  }

  // --- webhooks --------------------------------------------------------------------------------

  @Test
  void aWebhookIsRetriedAfter500sThenSentWithAValidSignatureEachTime() {
    try (WebhookReceiver receiver = WebhookReceiver.start(system.vertx, 200).script(500, 500)) {
      String account = account();
      JsonObject webhook = register(account, receiver.url("/hooks/retry"));
      receiver.secret(webhook.getString("secret"));
      UUID order = UUID.randomUUID();
      JsonObject confirmed = Events.orderConfirmed(order, account);
      system.publish(Events.orderCreated(order, account, address("retry")));
      system.publish(confirmed);
      String eventId = Events.eventId(confirmed);

      waitUntil(
          () -> "sent".equals(webhookRow(eventId, webhook).get("status")),
          "the webhook delivery to be sent");
      Map<String, Object> row = webhookRow(eventId, webhook);
      assertThat(row.get("attempts")).isEqualTo(3);

      List<Received> received = receiver.received();
      assertThat(received).extracting(Received::answered).containsExactly(500, 500, 200);
      assertThat(received).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
      assertThat(received).extracting(Received::deliveryId).containsOnly(row.get("id").toString());
      JsonObject body = received.get(2).json();
      assertThat(body.getString("id")).isEqualTo(row.get("id").toString());
      assertThat(body.getString("type")).isEqualTo("order.confirmed");
      assertThat(body.getString("accountId")).isEqualTo(account);
      assertThat(body.getString("orderId")).isEqualTo(order.toString());
      assertThat(body.getJsonObject("notification").getString("body")).contains("confirmed");
      // A receiver with another secret would have refused every one of them.
      Received last = received.get(2);
      assertThat(
              dev.storefront.notification.delivery.WebhookSignature.verify(
                  "whsec_someone-else",
                  last.signature(),
                  last.timestamp(),
                  last.body(),
                  Instant.now().getEpochSecond()))
          .isFalse();

      JsonObject log = deliveryLog(account, webhook);
      assertThat(log.getLong("total")).isEqualTo(1);
      JsonObject entry = log.getJsonArray("items").getJsonObject(0);
      assertThat(entry.getString("status")).isEqualTo("sent");
      assertThat(entry.getInteger("attempts")).isEqualTo(3);
      assertThat(entry.getString("sentAt")).isNotNull();
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeIsRetried() {
    try (WebhookReceiver receiver =
        WebhookReceiver.start(system.vertx, 200).script(WebhookReceiver.HANG)) {
      String account = account();
      JsonObject webhook = register(account, receiver.url("/hooks/slow"));
      receiver.secret(webhook.getString("secret"));
      JsonObject refunded = Events.paymentRefunded(UUID.randomUUID(), account);
      system.publish(refunded);
      String eventId = Events.eventId(refunded);

      waitUntil(
          () -> "sent".equals(webhookRow(eventId, webhook).get("status")),
          "the webhook delivery to be sent after a timeout");
      Map<String, Object> row = webhookRow(eventId, webhook);
      assertThat(row.get("attempts")).isEqualTo(2);
      assertThat(row.get("last_error").toString()).isEqualTo("no answer within 3000 ms");
      assertThat(receiver.received()).hasSize(2);
      assertThat(receiver.received()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
    }
  }

  @Test
  void aWebhookThatKeepsFailingIsGivenUpAfterMaxAttemptsWithTheErrorInItsLog() {
    try (WebhookReceiver receiver = WebhookReceiver.start(system.vertx, 500)) {
      String account = account();
      JsonObject webhook = register(account, receiver.url("/hooks/down"));
      receiver.secret(webhook.getString("secret"));
      double failedBefore =
          counter("storefront_notification_deliveries", "channel", "webhook", "outcome", "failed");
      UUID order = UUID.randomUUID();
      JsonObject refunded = Events.paymentRefunded(order, account);
      system.publish(refunded);
      String eventId = Events.eventId(refunded);

      waitUntil(
          () -> "failed".equals(webhookRow(eventId, webhook).get("status")),
          "the webhook delivery to be given up");
      Map<String, Object> row = webhookRow(eventId, webhook);
      assertThat(row.get("attempts")).isEqualTo(3);
      assertThat(row.get("last_error").toString()).isEqualTo("HTTP 500 Internal Server Error");
      settle();
      assertThat(receiver.received()).hasSize(3);
      assertThat(receiver.received()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());

      JsonObject log = deliveryLog(account, webhook);
      assertThat(log.getLong("total")).isEqualTo(1);
      JsonObject entry = log.getJsonArray("items").getJsonObject(0);
      assertThat(entry.getString("id")).isEqualTo(row.get("id").toString());
      assertThat(entry.getString("eventId")).isEqualTo(eventId);
      assertThat(entry.getString("kind")).isEqualTo("payment.refunded");
      assertThat(entry.getString("status")).isEqualTo("failed");
      assertThat(entry.getInteger("attempts")).isEqualTo(3);
      assertThat(entry.getString("lastError")).contains("500");
      assertThat(entry.getValue("sentAt")).isNull();
      assertThat(
              counter(
                  "storefront_notification_deliveries", "channel", "webhook", "outcome", "failed"))
          .isGreaterThan(failedBefore);
    }
  }

  @Test
  void aWebhookAnswering410IsDeactivatedAndNoLongerSentTo() {
    try (WebhookReceiver receiver = WebhookReceiver.start(system.vertx, 410)) {
      String account = account();
      JsonObject webhook = register(account, receiver.url("/hooks/gone"));
      receiver.secret(webhook.getString("secret"));
      UUID order = UUID.randomUUID();
      JsonObject first = Events.orderConfirmed(order, account);
      system.publish(first);
      String firstId = Events.eventId(first);

      waitUntil(
          () -> "failed".equals(webhookRow(firstId, webhook).get("status")),
          "the delivery to fail");
      Map<String, Object> row = webhookRow(firstId, webhook);
      assertThat(row.get("attempts")).isEqualTo(1);
      assertThat(row.get("last_error").toString()).contains("410");
      JsonObject listed =
          system
              .call(service, HttpMethod.GET, "/api/notifications/webhooks", customer(account), null)
              .bodyAsJsonObject()
              .getJsonArray("items")
              .getJsonObject(0);
      assertThat(listed.getString("id")).isEqualTo(webhook.getString("id"));
      assertThat(listed.getBoolean("active")).isFalse();
      assertThat(listed.getString("disabledReason")).contains("410");

      JsonObject second = Events.paymentRefunded(order, account);
      system.publish(second);
      String secondId = Events.eventId(second);
      waitUntil(
          () -> "sent".equals(statusOf(secondId, "in_app")), "the second event to be recorded");
      settle();
      assertThat(
              system.rows(
                  "SELECT * FROM deliveries WHERE event_id = '"
                      + secondId
                      + "' AND destination = '"
                      + webhook.getString("id")
                      + "'"))
          .isEmpty();
      assertThat(receiver.received()).hasSize(1);
    }
  }

  @Test
  void anOpenBreakerPostponesDeliveriesToItsDestinationWithoutSpendingAttempts() {
    try (WebhookReceiver receiver = WebhookReceiver.start(system.vertx, 503)) {
      String account = account();
      JsonObject webhook = register(account, receiver.url("/hooks/flaky"));
      receiver.secret(webhook.getString("secret"));
      double postponedBefore =
          counter("storefront_notification_deliveries_postponed", "channel", "webhook");
      UUID order = UUID.randomUUID();
      JsonObject first = Events.orderConfirmed(order, account);
      system.publish(first);
      String firstId = Events.eventId(first);
      // Three failures: out of attempts, and the destination's breaker opens.
      waitUntil(
          () -> "failed".equals(webhookRow(firstId, webhook).get("status")),
          "the first delivery to be given up");

      JsonObject second = Events.paymentRefunded(order, account);
      system.publish(second);
      String secondId = Events.eventId(second);
      waitUntil(
          () -> {
            Map<String, Object> row = webhookRow(secondId, webhook);
            return String.valueOf(row.get("last_error")).contains("circuit open");
          },
          "the second delivery to be postponed");
      Map<String, Object> postponed = webhookRow(secondId, webhook);
      assertThat(postponed.get("status")).isIn("pending", "sending");
      assertThat(postponed.get("attempts")).isEqualTo(0);
      assertThat(receiver.received()).hasSize(3);

      receiver.fallback(200);
      waitUntil(
          () -> "sent".equals(webhookRow(secondId, webhook).get("status")),
          "the second delivery to go out once the breaker lets it");
      assertThat(webhookRow(secondId, webhook).get("attempts")).isEqualTo(1);
      assertThat(receiver.received())
          .extracting(Received::answered)
          .containsExactly(503, 503, 503, 200);
      assertThat(counter("storefront_notification_deliveries_postponed", "channel", "webhook"))
          .isGreaterThan(postponedBefore);
    }
  }

  @Test
  void aDeliveryLeftSendingByAProcessThatDiedGoesOutOnceItsLeaseIsOver() {
    UUID id = UUID.randomUUID();
    UUID order = UUID.randomUUID();
    String account = account();
    JsonObject payload =
        new JsonObject()
            .put("id", id.toString())
            .put("type", "order.confirmed")
            .put("occurredAt", Instant.now().toString())
            .put("accountId", account)
            .put("orderId", order.toString())
            .put(
                "notification",
                new JsonObject()
                    .put("title", "Order confirmed")
                    .put("body", "left behind")
                    .put("data", new JsonObject()));
    system.sql(
        "INSERT INTO deliveries (id, event_id, channel, destination, kind, account_id, order_id,"
            + " payload, status, lease_until) VALUES ('"
            + id
            + "', gen_random_uuid(), 'webhook', 'shop', 'order.confirmed', '"
            + account
            + "', '"
            + order
            + "', '"
            + payload.encode()
            + "', 'sending', now() - interval '1 second')");

    waitUntil(() -> !shop.about(order.toString()).isEmpty(), "the abandoned delivery to go out");
    Received received = shop.about(order.toString()).get(0);
    assertThat(received.deliveryId()).isEqualTo(id.toString());
    assertThat(received.signatureValid()).isTrue();
    waitUntil(
        () ->
            "sent"
                .equals(
                    system
                        .rows("SELECT status FROM deliveries WHERE id = '" + id + "'")
                        .get(0)
                        .get("status")),
        "the delivery recorded as sent");
  }

  // --- the consumer ----------------------------------------------------------------------------

  @Test
  void malformedEventsGoToTheDeadLetterTopicAndDoNotHoldUpTheNextOne() {
    UUID order = UUID.randomUUID();
    String key = order.toString();
    String account = account();
    String email = address("after-dead-letters");
    List<JsonObject> deadLetters = new CopyOnWriteArrayList<>();
    KafkaConsumer<String, String> dlq =
        KafkaClients.consumer(
            system.vertx,
            new KafkaConfig(system.broker.bootstrapServers(), "dlq-" + key, "dlq-" + key));
    dlq.handler(
        r -> {
          if (key.equals(r.key())) {
            JsonObject headers = new JsonObject();
            r.headers().forEach(h -> headers.put(h.key(), h.value().toString()));
            deadLetters.add(new JsonObject().put("value", r.value()).put("headers", headers));
          }
        });
    try {
      TestSystem.await(dlq.subscribe("orders.events.dlq"));
      JsonObject withoutAccount = Events.orderConfirmed(order, account);
      withoutAccount.getJsonObject("data").remove("accountId");
      JsonObject newerVersion = Events.orderConfirmed(order, account).put("version", 2);
      // Same key, so same partition: each of them stands before the good ones.
      system.publish("orders.events", key, "this is not an event {");
      system.publish("orders.events", key, withoutAccount.encode());
      system.publish("orders.events", key, newerVersion.encode());
      system.publish(Events.orderCreated(order, account, email));
      JsonObject good = Events.orderConfirmed(order, account);
      system.publish(good);

      system.awaitMail(email);
      waitUntil(() -> deadLetters.size() == 3, "three dead letters");
      assertThat(deadLetters)
          .extracting(d -> d.getString("value"))
          .containsExactly(
              "this is not an event {", withoutAccount.encode(), newerVersion.encode());
      assertThat(deadLetters)
          .allSatisfy(
              d ->
                  assertThat(d.getJsonObject("headers").getString("storefront-consumer-group"))
                      .isEqualTo("notification"));
      assertThat(deadLetters.get(1).getJsonObject("headers").getString("storefront-error"))
          .contains("accountId");
      assertThat(system.deliveriesOf(Events.eventId(withoutAccount))).isEmpty();
      assertThat(system.deliveriesOf(Events.eventId(newerVersion))).isEmpty();
      assertThat(system.deliveriesOf(Events.eventId(good))).hasSize(3);
    } finally {
      TestSystem.await(dlq.close());
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static String account() {
    return "acc-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String address(String label) {
    return label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  private static Caller customer(String account) {
    return TestSystem.customer(account);
  }

  private static JsonObject register(String account, String url) {
    HttpResponse<Buffer> created =
        system.call(
            service,
            HttpMethod.POST,
            "/api/notifications/webhooks",
            customer(account),
            new JsonObject().put("url", url).put("description", "test receiver"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject deliveryLog(String account, JsonObject webhook) {
    HttpResponse<Buffer> response =
        system.call(
            service,
            HttpMethod.GET,
            "/api/notifications/webhooks/" + webhook.getString("id") + "/deliveries",
            customer(account),
            null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static Map<String, Object> webhookRow(String eventId, JsonObject webhook) {
    List<Map<String, Object>> rows =
        system.rows(
            "SELECT * FROM deliveries WHERE channel = 'webhook' AND event_id = '"
                + eventId
                + "' AND destination = '"
                + webhook.getString("id")
                + "'");
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  /** The status of an event's delivery on {@code channel}; for webhooks, the shop's. */
  private static String statusOf(String eventId, String channel) {
    List<Map<String, Object>> rows =
        system.rows(
            "SELECT status FROM deliveries WHERE event_id = '"
                + eventId
                + "' AND channel = '"
                + channel
                + "' AND (channel <> 'webhook' OR destination = 'shop')");
    return rows.isEmpty() ? "" : String.valueOf(rows.get(0).get("status"));
  }

  private static String processed(String eventId) {
    return "SELECT count(*) FROM processed_events WHERE event_id = '" + eventId + "'";
  }

  private static List<JsonObject> announcementsFor(String account) {
    return announcements.stream().filter(a -> account.equals(a.getString("accountId"))).toList();
  }

  private static double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
