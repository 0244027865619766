package dev.storefront.notification;

import static dev.storefront.notification.TestSystem.settle;
import static dev.storefront.notification.TestSystem.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.notification.WebhookReceiver.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two notification processes over one database, each with its consumer and its dispatcher. The
 * second consumes in a group of its own, so every event reaches both at about the same time (what a
 * redelivery after a rebalance does now and then, here always), and every event is published twice
 * besides. Each event still gives one feed entry, one e-mail and one request to the shop's webhook.
 */
class NotificationInstancesIT {

  private static final int ORDERS = 20;
  private static final String SHOP_SECRET = "whsec_instances-shop";

  @TempDir static Path kafkaDir;

  private static TestSystem system;
  private static WebhookReceiver shop;
  private static final List<SimpleMeterRegistry> registries = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("notification_instances", kafkaDir);
    shop = WebhookReceiver.start(system.vertx, 204).secret(SHOP_SECRET);
    Map<String, String> common =
        Map.of(
            "SHOP_WEBHOOK_URL",
            shop.url("/shop"),
            "SHOP_WEBHOOK_SECRET",
            SHOP_SECRET,
            "KAFKA_TOPIC_PARTITIONS",
            "4");
    for (String group : List.of("notification", "notification-replay")) {
      Map<String, String> overrides = new HashMap<>(common);
      overrides.put("KAFKA_GROUP_ID", group);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      registries.add(registry);
      system.awaitReady(system.deploy(system.env(overrides), registry));
    }
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void everyEventGivesOneFeedEntryOneMailAndOneShopRequestWhateverProcessHandlesIt()
      throws Exception {
    Map<String, String> addresses = new HashMap<>();
    List<String> accounts = new ArrayList<>();
    List<String> eventIds = new ArrayList<>();
    List<JsonObject> confirmations = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      UUID order = UUID.randomUUID();
      String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
      String email = account + "@example.com";
      addresses.put(account, email);
      accounts.add(account);
      system.publish(Events.orderCreated(order, account, email));
      JsonObject confirmed = Events.orderConfirmed(order, account);
      confirmations.add(confirmed);
      eventIds.add(Events.eventId(confirmed));
    }
    // Every confirmation twice, the copies interleaved with the other orders'.
    for (int round = 0; round < 2; round++) {
      confirmations.forEach(system::publish);
    }

    waitUntil(
        () -> addresses.values().stream().allMatch(a -> !system.mailsTo(a).isEmpty()),
        "a mail to every shopper");
    waitUntil(() -> shop.received().size() >= ORDERS, "a shop request for every event");
    String ids = eventIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
    waitUntil(
        () ->
            system.queryLong(
                    "SELECT count(*) FROM deliveries WHERE status = 'sent' AND event_id IN ("
                        + ids
                        + ")")
                == 3L * ORDERS,
        "every delivery recorded as sent");
    settle();

    for (String account : accounts) {
      List<MimeMessage> mails = system.mailsTo(addresses.get(account));
      assertThat(mails).as(account).hasSize(1);
      Object emailId =
          system
              .rows(
                  "SELECT id FROM deliveries WHERE channel = 'email' AND account_id = '"
                      + account
                      + "'")
              .get(0)
              .get("id");
      assertThat(mails.get(0).getHeader("Message-ID"))
          .containsExactly("<" + emailId + "@storefront>");
    }
    assertThat(system.queryLong("SELECT count(*) FROM deliveries WHERE event_id IN (" + ids + ")"))
        .isEqualTo(3L * ORDERS);
    assertThat(system.queryLong("SELECT count(*) FROM feed WHERE event_id IN (" + ids + ")"))
        .isEqualTo(ORDERS);
    String accountList =
        accounts.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
    // One number per account, 1: no process took a number for an event the other one had.
    assertThat(
            system.rows(
                "SELECT DISTINCT last_seq FROM feed_heads WHERE account_id IN ("
                    + accountList
                    + ")"))
        .extracting(r -> ((Number) r.get("last_seq")).longValue())
        .containsExactly(1L);

    List<Received> requests = shop.received();
    assertThat(requests).hasSize(ORDERS);
    assertThat(requests).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
    assertThat(requests.stream().map(Received::deliveryId).distinct()).hasSize(ORDERS);

    // Whichever process sent a delivery counted it; together, each once.
    assertThat(sum("storefront_notification_deliveries", "channel", "email", "outcome", "sent"))
        .isEqualTo(ORDERS);
    assertThat(sum("storefront_notification_deliveries", "channel", "webhook", "outcome", "sent"))
        .isEqualTo(ORDERS);
    assertThat(sum("storefront_notifications_created", "kind", "order.confirmed"))
        .isEqualTo(ORDERS);
  }

  private static double sum(String name, String... tags) {
    double total = 0;
    for (SimpleMeterRegistry registry : registries) {
      var counter = registry.find(name).tags(tags).counter();
      total += counter == null ? 0 : counter.count();
    }
    return total;
  }
}
