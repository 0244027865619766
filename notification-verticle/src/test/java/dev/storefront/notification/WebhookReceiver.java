package dev.storefront.notification;

import dev.storefront.notification.delivery.WebhookSignature;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver as a shop would write one: an HTTP server on a free port that checks every
 * request's signature with the documented scheme ({@link WebhookSignature#verify}) and answers with
 * the statuses it is told to, then with {@code fallback}. Each test that cares about a
 * destination's circuit breaker starts its own: the breaker is per scheme, host and port.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as received; {@code signatureValid} as checked on arrival. */
  record Received(
      String deliveryId,
      String timestamp,
      String signature,
      String contentType,
      String body,
      boolean signatureValid,
      int answered) {

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Scripted as a status: the request is read and never answered. */
  static final int HANG = 0;

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> scripted = new ConcurrentLinkedQueue<>();
  private volatile int fallback;
  private volatile String secret;

  private WebhookReceiver(Vertx vertx, int fallback) {
    this.fallback = fallback;
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              String text = body.toString();
                              String timestamp =
                                  request.getHeader(WebhookSignature.TIMESTAMP_HEADER);
                              String signature =
                                  request.getHeader(WebhookSignature.SIGNATURE_HEADER);
                              boolean valid =
                                  WebhookSignature.verify(
                                      secret,
                                      signature,
                                      timestamp,
                                      text,
                                      Instant.now().getEpochSecond());
                              Integer next = scripted.poll();
                              int status = next != null ? next : this.fallback;
                              received.add(
                                  new Received(
                                      request.getHeader(WebhookSignature.ID_HEADER),
                                      timestamp,
                                      signature,
                                      request.getHeader("Content-Type"),
                                      text,
                                      valid,
                                      status));
                              if (status != HANG) {
                                request.response().setStatusCode(status).end();
                              }
                            }));
  }

  /** Answers {@code fallback} to everything not scripted. */
  static WebhookReceiver start(Vertx vertx, int fallback) {
    WebhookReceiver receiver = new WebhookReceiver(vertx, fallback);
    TestSystem.await(receiver.server.listen(0, "127.0.0.1"));
    return receiver;
  }

  /** The next requests are answered with {@code statuses}, in order. */
  WebhookReceiver script(Integer... statuses) {
    scripted.addAll(List.of(statuses));
    return this;
  }

  WebhookReceiver fallback(int status) {
    this.fallback = status;
    return this;
  }

  /** The secret signatures are checked with (known once the webhook is registered). */
  WebhookReceiver secret(String value) {
    this.secret = value;
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests about order {@code orderId}. */
  List<Received> about(String orderId) {
    return received.stream().filter(r -> orderId.equals(r.json().getString("orderId"))).toList();
  }

  @Override
  public void close() {
    TestSystem.await(server.close());
  }
}
