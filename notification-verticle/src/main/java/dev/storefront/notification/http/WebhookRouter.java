package dev.storefront.notification.http;

import dev.storefront.common.http.Problems;
import dev.storefront.common.http.RequestBodies;
import dev.storefront.common.security.InternalIdentity;
import dev.storefront.notification.config.WebhookConfig;
import dev.storefront.notification.delivery.WebhookSignature;
import dev.storefront.notification.delivery.WebhookUrlPolicy;
import dev.storefront.notification.model.Delivery;
import dev.storefront.notification.model.Webhook;
import dev.storefront.notification.repository.DeliveryRepository;
import dev.storefront.notification.repository.WebhookRepository;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/**
 * The caller's webhooks, under {@value #BASE}; everything is the caller's own (the service router
 * answers 401 without one), and someone else's webhook is as absent as a missing one.
 *
 * <ul>
 *   <li>{@code GET} → {@code {"items": [Webhook…]}}, oldest first, without secrets
 *   <li>{@code POST {"url", "description"?}} → 201, {@code Location}, the webhook with its secret
 *       (the only time it is shown); 422 for a URL the {@link WebhookUrlPolicy} refuses or a
 *       description over {@value #MAX_DESCRIPTION} characters, 409 past {@code
 *       WEBHOOK_MAX_PER_ACCOUNT}
 *   <li>{@code DELETE /{id}} → 204, or 404
 *   <li>{@code GET /{id}/deliveries?page&size} → that webhook's delivery log, newest first
 * </ul>
 */
public final class WebhookRouter {

  public static final String BASE = "/api/notifications/webhooks";
  static final int MAX_DESCRIPTION = 200;
  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  private final WebhookRepository webhooks;
  private final DeliveryRepository deliveries;
  private final WebhookConfig config;
  private final WebhookUrlPolicy policy;

  private WebhookRouter(
      WebhookRepository webhooks, DeliveryRepository deliveries, WebhookConfig config) {
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.config = config;
    this.policy = new WebhookUrlPolicy(config.allowPrivateTargets());
  }

  /** Adds the webhook routes to {@code router}, after the identity handlers, before completion. */
  public static void mount(
      Router router,
      WebhookRepository webhooks,
      DeliveryRepository deliveries,
      WebhookConfig config) {
    WebhookRouter routes = new WebhookRouter(webhooks, deliveries, config);
    router.get(BASE).respond(routes::list);
    router.post(BASE).handler(jsonBody()).respond(routes::create);
    router.delete(BASE + "/:id").respond(routes::delete);
    router.get(BASE + "/:id/deliveries").respond(routes::deliveries);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    return webhooks
        .list(account)
        .map(
            all -> {
              JsonArray items = new JsonArray();
              all.forEach(webhook -> items.add(webhook.toJson()));
              return new JsonObject().put("items", items);
            });
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    JsonObject body = object(ctx);
    Object url = body.getValue("url");
    if (!(url instanceof String text)) {
      return Problems.fail(422, "url is required and must be a string");
    }
    Optional<String> refused = policy.check(text);
    if (refused.isPresent()) {
      return Problems.fail(422, refused.get());
    }
    Object description = body.getValue("description");
    if (description != null
        && !(description instanceof String words && words.length() <= MAX_DESCRIPTION)) {
      return Problems.fail(
          422, "description must be a string of at most " + MAX_DESCRIPTION + " characters");
    }
    return webhooks
        .create(
            account,
            text,
            (String) description,
            WebhookSignature.newSecret(),
            config.maxPerAccount())
        .compose(
            created -> {
              if (created.isEmpty()) {
                return Problems.fail(
                    409,
                    "An account may have at most "
                        + config.maxPerAccount()
                        + " webhooks; delete one first");
              }
              Webhook webhook = created.get();
              ctx.response()
                  .setStatusCode(201)
                  .putHeader(HttpHeaders.LOCATION, BASE + "/" + webhook.id());
              return Future.succeededFuture(webhook.toJsonWithSecret());
            });
  }

  private Future<Void> delete(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    UUID id = webhookId(ctx);
    return webhooks
        .delete(id, account)
        .compose(deleted -> deleted ? Future.succeededFuture() : notFound(id));
  }

  private Future<JsonObject> deliveries(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    UUID id = webhookId(ctx);
    // Pages count from 1, as everywhere else in the public API.
    int page = queryInt(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
    int size = queryInt(ctx, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    return webhooks
        .findOwned(id, account)
        .compose(
            owned ->
                owned.isEmpty()
                    ? WebhookRouter.<DeliveryRepository.Page>notFound(id)
                    : deliveries.webhookLog(id, page, size))
        .map(
            log -> {
              JsonArray items = new JsonArray();
              for (Delivery delivery : log.items()) {
                items.add(delivery.toLogJson());
              }
              return new JsonObject()
                  .put("items", items)
                  .put("page", page)
                  .put("size", size)
                  .put("total", log.total());
            });
  }

  private static <T> Future<T> notFound(UUID id) {
    return Problems.fail(404, "No webhook " + id);
  }

  /** A path id that is no UUID names no webhook. */
  private static UUID webhookId(RoutingContext ctx) {
    String text = ctx.pathParam("id");
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // Answered below.
    }
    throw Problems.of(404, "No webhook " + text);
  }

  private static int queryInt(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw Problems.of(400, name + " must be an integer between " + min + " and " + max);
  }

  /**
   * Refuses a body that is not JSON in UTF-8 with 415 (a malformed Content-Type with 400), reads at
   * most {@value #MAX_BODY_BYTES} bytes.
   */
  private static Handler<RoutingContext> jsonBody() {
    return RequestBodies.json(MAX_BODY_BYTES);
  }

  private static JsonObject object(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw Problems.of(400, "The request body is empty; a JSON object is expected");
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw Problems.of(400, "The request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw Problems.of(400, "The request body must be a JSON object");
    }
    return object;
  }
}
