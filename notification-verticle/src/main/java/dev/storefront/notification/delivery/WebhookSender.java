package dev.storefront.notification.delivery;

import dev.storefront.notification.config.WebhookConfig;
import dev.storefront.notification.model.Delivery;
import dev.storefront.notification.model.Webhook;
import dev.storefront.notification.repository.WebhookRepository;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a webhook delivery: {@code POST} of its payload, signed ({@link WebhookSignature}), within
 * {@code WEBHOOK_TIMEOUT_MS}. A 2xx answer is success; {@code 410 Gone} fails the delivery at once
 * and deactivates the webhook; anything else, a network error or a timeout is retried. Redirects
 * are not followed: a receiver that moved says so with a new URL, not a 3xx.
 *
 * <p>Each destination (scheme, host, port) has its circuit breaker: errors, timeouts, 5xx and 429
 * count against it; other answers, meant for one webhook, do not. While it is open, deliveries to
 * that destination are postponed without spending an attempt.
 */
public final class WebhookSender {

  /** The destination of the shop's own webhook in the delivery log. */
  public static final String SHOP = "shop";

  private final Vertx vertx;
  private final WebhookConfig config;
  private final WebhookRepository webhooks;
  private final WebhookUrlPolicy policy;
  private final WebClient web;
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

  /** One destination's breaker and when it last opened. */
  private static final class Destination {
    final CircuitBreaker breaker;
    volatile long openedAtMillis;

    Destination(CircuitBreaker breaker) {
      this.breaker = breaker;
    }
  }

  /** Where to send and with which secret; or, with {@code outcome}, why not. */
  private record Target(String url, String secret, UUID webhookId, Outcome outcome) {}

  /** An answer that counts against the destination's breaker. */
  private static final class ReceiverFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReceiverFailure(String message) {
      super(message, null, false, false);
    }
  }

  public WebhookSender(
      Vertx vertx, WebhookConfig config, WebhookRepository webhooks, WebhookUrlPolicy policy) {
    this.vertx = vertx;
    this.config = config;
    this.webhooks = webhooks;
    this.policy = policy;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setName("webhooks")
                .setUserAgent("Storefront-Webhooks/1")
                .setFollowRedirects(false)
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis())),
            new PoolOptions().setHttp1MaxSize(8));
  }

  public Future<Outcome> send(Delivery delivery) {
    return target(delivery)
        .compose(
            target ->
                target.outcome() != null
                    ? Future.succeededFuture(target.outcome())
                    : post(delivery, target));
  }

  private Future<Target> target(Delivery delivery) {
    if (SHOP.equals(delivery.destination())) {
      return Future.succeededFuture(
          config
              .shop()
              .map(shop -> new Target(shop.url(), shop.secret(), null, null))
              .orElseGet(
                  () ->
                      new Target(
                          null, null, null, Outcome.skipped("no shop webhook is configured"))));
    }
    UUID id;
    try {
      id = UUID.fromString(delivery.destination());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(
          new Target(null, null, null, Outcome.skipped("no webhook " + delivery.destination())));
    }
    return webhooks
        .find(id)
        .map(
            found -> {
              if (found.isEmpty()) {
                return new Target(null, null, id, Outcome.skipped("the webhook was deleted"));
              }
              Webhook webhook = found.get();
              if (!webhook.active()) {
                return new Target(
                    null,
                    null,
                    id,
                    Outcome.skipped("the webhook is deactivated: " + webhook.disabledReason()));
              }
              // The policy may have become stricter since the webhook was registered.
              return policy
                  .check(webhook.url())
                  .map(problem -> new Target(null, null, id, Outcome.refused(problem)))
                  .orElseGet(() -> new Target(webhook.url(), webhook.secret(), id, null));
            });
  }

  private Future<Outcome> post(Delivery delivery, Target target) {
    Destination destination;
    try {
      destination = destination(target.url());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Outcome.refused("invalid webhook URL: " + e.getMessage()));
    }
    String body = delivery.payload().encode();
    long timeout = config.timeout().toMillis();
    return destination
        .breaker
        .<Outcome>execute(
            () -> {
              long timestamp = Instant.now().getEpochSecond();
              return web.postAbs(target.url())
                  .putHeader("Content-Type", "application/json")
                  .putHeader(WebhookSignature.ID_HEADER, delivery.id().toString())
                  .putHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                  .putHeader(
                      WebhookSignature.SIGNATURE_HEADER,
                      WebhookSignature.sign(target.secret(), timestamp, body))
                  .timeout(timeout)
                  .as(BodyCodec.none())
                  .sendBuffer(Buffer.buffer(body))
                  .timeout(timeout, TimeUnit.MILLISECONDS)
                  .compose(response -> answered(response, target));
            })
        .recover(
            e -> {
              if (e instanceof OpenCircuitException) {
                return Future.succeededFuture(
                    Outcome.postponed(
                        Breakers.remaining(
                            destination.breaker,
                            destination.openedAtMillis,
                            config.breaker().reset().toMillis()),
                        destination.breaker.name() + " unavailable (circuit open)"));
              }
              return Future.succeededFuture(Outcome.retry(describe(e, timeout)));
            });
  }

  private Future<Outcome> answered(HttpResponse<Void> response, Target target) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Future.succeededFuture(Outcome.sent());
    }
    String error = "HTTP " + status + " " + reason(status);
    if (status == 410) {
      String reason = "the receiver answered 410 Gone at " + Instant.now();
      Future<Void> deactivated =
          target.webhookId() == null
              ? Future.succeededFuture()
              : webhooks.deactivate(target.webhookId(), reason);
      // Failed whether or not the deactivation was recorded; the next 410 records it again.
      return deactivated.transform(ar -> Future.succeededFuture(Outcome.failed(error)));
    }
    if (status >= 500 || status == 429) {
      return Future.failedFuture(new ReceiverFailure(error));
    }
    return Future.succeededFuture(Outcome.retry(error));
  }

  private Destination destination(String url) {
    String origin = origin(url);
    return destinations.computeIfAbsent(
        origin,
        key -> {
          Destination destination =
              new Destination(
                  CircuitBreaker.create(
                      "webhook " + key,
                      vertx,
                      new CircuitBreakerOptions()
                          .setMaxFailures(config.breaker().maxFailures())
                          .setResetTimeout(config.breaker().reset().toMillis())
                          .setFailuresRollingWindow(60_000)
                          .setTimeout(-1)
                          .setNotificationAddress(null)));
          destination.breaker.openHandler(
              v -> destination.openedAtMillis = System.currentTimeMillis());
          return destination;
        });
  }

  /** {@code scheme://host:port}, the port made explicit: what one breaker stands for. */
  static String origin(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + url);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static String reason(int status) {
    try {
      return HttpResponseStatus.valueOf(status).reasonPhrase();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String describe(Throwable e, long timeout) {
    if (e instanceof TimeoutException) {
      return "no answer within " + timeout + " ms";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  public Future<Void> close() {
    destinations.values().forEach(d -> d.breaker.close());
    web.close();
    return Future.succeededFuture();
  }
}
