package dev.storefront.notification.http;

import dev.storefront.common.http.Problems;
import dev.storefront.common.security.InternalIdentity;
import dev.storefront.notification.config.FeedConfig;
import dev.storefront.notification.repository.FeedRepository;
import dev.storefront.notification.stream.FeedStreams;
import dev.storefront.notification.stream.ResumePoint;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.OptionalLong;

/**
 * The in-app feed's HTTP API. Everything is the caller's own: the account is the one the gateway
 * signed, and nothing in a path or query names an account, so another account's notification is as
 * absent as one that never existed.
 *
 * <ul>
 *   <li>{@code GET /api/notifications?page&size&unread}: a page of the feed, newest first, with the
 *       total and the count of unread ones.
 *   <li>{@code PUT /api/notifications/{id}/read}: marks it read, 204; {@code DELETE}: unread, 204.
 *   <li>{@code GET /api/notifications/stream}: the feed as it grows, as server-sent events (see
 *       {@link FeedStreams}).
 * </ul>
 */
public final class FeedRouter {

  private static final String BASE = "/api/notifications";

  private final FeedRepository feed;
  private final FeedStreams streams;
  private final FeedConfig config;

  private FeedRouter(FeedRepository feed, FeedStreams streams, FeedConfig config) {
    this.feed = feed;
    this.streams = streams;
    this.config = config;
  }

  /**
   * Adds the feed's routes to {@code router}, which must already carry the caller's identity
   * ({@code ServiceRouter.withIdentity}); call before {@code ServiceRouter.complete}.
   */
  public static Router mount(
      Router router, FeedRepository feed, FeedStreams streams, FeedConfig config) {
    FeedRouter handlers = new FeedRouter(feed, streams, config);
    // Also enforced for "/api/*" by the service's router; said again so these routes never
    // depend on how the router they were mounted on was made.
    router.route(BASE + "*").handler(InternalIdentity.required());
    router.get(BASE + "/stream").handler(handlers::stream);
    router.get(BASE).respond(handlers::list);
    router.put(BASE + "/:id/read").respond(ctx -> handlers.mark(ctx, true));
    router.delete(BASE + "/:id/read").respond(ctx -> handlers.mark(ctx, false));
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    PageRequest request;
    try {
      request = PageRequest.from(ctx.queryParams(), config.maxPageSize());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return feed.page(account, request.page(), request.size(), request.unread())
        .map(page -> page.toJson());
  }

  private Future<Void> mark(RoutingContext ctx, boolean read) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    String raw = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return Problems.fail(400, "A notification id is a whole number, got '" + raw + "'");
    }
    return feed.mark(account, id, read)
        .compose(
            found ->
                found
                    ? Future.<Void>succeededFuture()
                    : Problems.<Void>fail(404, "No notification with id " + raw));
  }

  private void stream(RoutingContext ctx) {
    String account = InternalIdentity.requireCaller(ctx).accountId();
    OptionalLong resume;
    try {
      resume =
          ResumePoint.parse(
              ctx.request().getHeader(ResumePoint.HEADER),
              ctx.queryParams().get(ResumePoint.QUERY));
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    streams.open(ctx, account, resume);
  }
}
