package dev.storefront.notification.delivery;

import dev.storefront.common.metrics.BreakerMetrics;
import dev.storefront.notification.config.MailConfig;
import dev.storefront.notification.delivery.MailTemplates.RenderedMail;
import dev.storefront.notification.events.NotificationEvents;
import dev.storefront.notification.model.Delivery;
import dev.storefront.notification.model.Money;
import dev.storefront.notification.model.NotificationKind;
import dev.storefront.notification.repository.ContactRepository;
import dev.storefront.notification.repository.DeliveryRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends the e-mail of a delivery through the SMTP server, behind one circuit breaker.
 *
 * <p>The address is the order's contact, read when the e-mail is sent: while the order's {@code
 * OrderCreated} has not been consumed yet the attempt is retried like a failure, and an order
 * without an address is skipped. Every e-mail has {@code Message-ID: <delivery id@storefront>}, so
 * that one sent again after a crash between the server's answer and the recording of it can be
 * recognised as the same message.
 *
 * <p>Template values: {@code title} and {@code body} of the notification, {@code orderId}, {@code
 * orderRef} (its first eight digits), {@code amount} (the notification's amount or order total,
 * formatted).
 */
public final class EmailSender {

  // Refusals of the recipient that sending again cannot change.
  private static final Set<Integer> PERMANENT_REPLIES = Set.of(501, 550, 551, 553);

  private final MailConfig config;
  private final MailTemplates templates;
  private final ContactRepository contacts;
  private final MailClient mail;
  private final CircuitBreaker breaker;
  private final Runnable unbindMetrics;
  private volatile long openedAtMillis;

  public EmailSender(
      Vertx vertx,
      MailConfig config,
      MailTemplates templates,
      ContactRepository contacts,
      MeterRegistry registry) {
    this.config = config;
    this.templates = templates;
    this.contacts = contacts;
    this.mail = MailClient.create(vertx, clientConfig(config));
    this.breaker =
        CircuitBreaker.create(
                "notification-smtp",
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(config.breaker().maxFailures())
                    .setResetTimeout(config.breaker().reset().toMillis())
                    .setFailuresRollingWindow(60_000)
                    // The send has its own time limit, which the breaker counts as a failure.
                    .setTimeout(-1)
                    .setNotificationAddress(null))
            .openHandler(v -> openedAtMillis = System.currentTimeMillis());
    this.unbindMetrics = BreakerMetrics.bind(registry, breaker, Tags.of("service", "notification"));
  }

  static io.vertx.ext.mail.MailConfig clientConfig(MailConfig config) {
    io.vertx.ext.mail.MailConfig client =
        new io.vertx.ext.mail.MailConfig()
            .setHostname(config.host())
            .setPort(config.port())
            .setStarttls(config.starttls())
            .setSsl(config.ssl())
            .setKeepAlive(true)
            .setMaxPoolSize(4)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    if (config.username() != null) {
      client
          .setLogin(LoginOption.REQUIRED)
          .setUsername(config.username())
          .setPassword(config.password());
    } else {
      client.setLogin(LoginOption.DISABLED);
    }
    return client;
  }

  public Future<Outcome> send(Delivery delivery) {
    if (delivery.orderId() == null) {
      return Future.succeededFuture(Outcome.skipped("the notification concerns no order"));
    }
    return contacts
        .find(delivery.orderId())
        .compose(
            contact -> {
              if (contact.isEmpty()) {
                return Future.succeededFuture(
                    Outcome.retry(DeliveryRepository.NO_CONTACT + " " + delivery.orderId()));
              }
              String to = contact.get().email();
              if (to == null || to.isBlank()) {
                return Future.succeededFuture(
                    Outcome.skipped("order " + delivery.orderId() + " has no e-mail address"));
              }
              MailMessage message;
              try {
                message = message(delivery, to);
              } catch (RuntimeException e) {
                return Future.succeededFuture(
                    Outcome.refused("the e-mail cannot be rendered: " + e.getMessage()));
              }
              return deliver(message);
            });
  }

  private Future<Outcome> deliver(MailMessage message) {
    return breaker
        .<Outcome>execute(
            () ->
                mail.sendMail(message)
                    .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .map(sent -> Outcome.sent())
                    // A refused recipient says nothing about the server: not the breaker's
                    // business.
                    .recover(
                        e ->
                            permanent(e)
                                ? Future.succeededFuture(Outcome.failed(describe(e)))
                                : Future.failedFuture(e)))
        .recover(
            e -> {
              if (e instanceof OpenCircuitException) {
                return Future.succeededFuture(
                    Outcome.postponed(
                        Breakers.remaining(
                            breaker, openedAtMillis, config.breaker().reset().toMillis()),
                        "SMTP server "
                            + config.host()
                            + ":"
                            + config.port()
                            + " unavailable"
                            + " (circuit open)"));
              }
              return Future.succeededFuture(Outcome.retry(describe(e)));
            });
  }

  MailMessage message(Delivery delivery, String to) {
    NotificationKind kind = NotificationKind.fromWireName(delivery.kind());
    RenderedMail rendered = templates.render(kind, values(delivery));
    MailMessage message =
        new MailMessage()
            .setFrom(config.from())
            .setTo(to)
            .setSubject(rendered.subject())
            .setText(rendered.text())
            .setHtml(rendered.html());
    message.addHeader("Message-ID", messageId(delivery));
    return message;
  }

  /** The Message-ID of a delivery's e-mail, the same on every attempt. */
  public static String messageId(Delivery delivery) {
    return "<" + delivery.id() + "@storefront>";
  }

  static Map<String, String> values(Delivery delivery) {
    JsonObject notification = delivery.payload().getJsonObject("notification", new JsonObject());
    JsonObject data = notification.getJsonObject("data", new JsonObject());
    Map<String, String> values = new HashMap<>();
    values.put("title", notification.getString("title", ""));
    values.put("body", notification.getString("body", ""));
    values.put("orderId", delivery.orderId() == null ? "" : delivery.orderId().toString());
    values.put(
        "orderRef",
        delivery.orderId() == null ? "" : NotificationEvents.orderRef(delivery.orderId()));
    values.put("amount", amount(data));
    return values;
  }

  private static String amount(JsonObject data) {
    for (String field : new String[] {"amount", "total"}) {
      Object value = data.getValue(field);
      if (value instanceof JsonObject money) {
        try {
          return Money.fromJson(money).format();
        } catch (IllegalArgumentException e) {
          return "";
        }
      }
    }
    return "";
  }

  private static boolean permanent(Throwable e) {
    if (e instanceof SMTPException smtp) {
      return smtp.isPermanent() && PERMANENT_REPLIES.contains(smtp.getReplyCode());
    }
    // The client refuses an address it cannot even encode before talking to the server.
    return e instanceof IllegalArgumentException;
  }

  static String describe(Throwable e) {
    if (e instanceof SMTPException smtp) {
      return "SMTP " + smtp.getReplyCode() + ": " + smtp.getReplyMessage();
    }
    if (e instanceof java.util.concurrent.TimeoutException) {
      return "no answer from the SMTP server in time";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  public Future<Void> close() {
    unbindMetrics.run();
    breaker.close();
    return mail.close();
  }
}
