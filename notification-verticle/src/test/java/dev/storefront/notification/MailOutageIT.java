package dev.storefront.notification;

import static dev.storefront.notification.TestSystem.settle;
import static dev.storefront.notification.TestSystem.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMTP server goes away while notifications are due: their e-mails are retried, the server's
 * circuit breaker opens and holds them without spending attempts, and once the server is back every
 * one of them is delivered, once.
 */
class MailOutageIT {

  @TempDir static Path kafkaDir;

  private static TestSystem system;
  private static SimpleMeterRegistry meters;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("notification_mail_outage", kafkaDir);
    meters = new SimpleMeterRegistry();
    NotificationVerticle service =
        system.deploy(
            system.env(
                Map.of(
                    "MAIL_MAX_ATTEMPTS", "50",
                    "MAIL_TIMEOUT_MS", "3000",
                    "MAIL_BREAKER_MAX_FAILURES", "2",
                    "MAIL_BREAKER_RESET_MS", "1000")),
            meters);
    system.awaitReady(service);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void emailsDueWhileTheSmtpServerIsDownAreDeliveredOnceItIsBack() throws Exception {
    system.stopSmtp();
    List<String> addresses = new ArrayList<>();
    List<String> eventIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID order = UUID.randomUUID();
      String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
      String email = "outage-" + i + "-" + account + "@example.com";
      addresses.add(email);
      system.publish(Events.orderCreated(order, account, email));
      JsonObject confirmed = Events.orderConfirmed(order, account);
      system.publish(confirmed);
      eventIds.add(Events.eventId(confirmed));
    }

    String first = eventIds.get(0);
    waitUntil(
        () ->
            ((Number) system.deliveryIfAny(first, "email").getOrDefault("attempts", 0)).intValue()
                >= 1,
        "a failed attempt");
    Map<String, Object> failing = system.delivery(first, "email");
    assertThat(failing.get("status")).isIn("pending", "sending");
    assertThat(failing.get("last_error")).isNotNull();
    waitUntil(
        () ->
            eventIds.stream()
                .anyMatch(
                    id ->
                        String.valueOf(system.deliveryIfAny(id, "email").get("last_error"))
                            .contains("circuit open")),
        "the SMTP server's breaker to hold an e-mail back");
    assertThat(meters.find("storefront_notification_deliveries_postponed").counter().count())
        .isPositive();
    assertThat(
            meters
                .find("storefront_notification_deliveries")
                .tags("channel", "email", "outcome", "retried")
                .counter()
                .count())
        .isPositive();

    waitUntil(
        () ->
            meters
                    .find("storefront_notification_deliveries_pending")
                    .tag("channel", "email")
                    .gauge()
                    .value()
                >= 3,
        "the pending e-mails to show in the gauge");

    system.restartSmtp();

    for (String address : addresses) {
      system.awaitMail(address);
    }
    waitUntil(
        () ->
            eventIds.stream()
                .allMatch(id -> "sent".equals(system.deliveryIfAny(id, "email").get("status"))),
        "every e-mail recorded as sent");
    settle();
    for (int i = 0; i < addresses.size(); i++) {
      List<MimeMessage> mails = system.mailsTo(addresses.get(i));
      assertThat(mails).as(addresses.get(i)).hasSize(1);
      Map<String, Object> row = system.delivery(eventIds.get(i), "email");
      assertThat(mails.get(0).getHeader("Message-ID"))
          .containsExactly("<" + row.get("id") + "@storefront>");
      assertThat(((Number) row.get("attempts")).intValue()).isLessThan(50);
    }
    assertThat(((Number) system.delivery(first, "email").get("attempts")).intValue())
        .isGreaterThan(1);
  }
}
