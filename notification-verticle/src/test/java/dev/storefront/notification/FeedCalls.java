package dev.storefront.notification;

import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Feed requests as the gateway sends them: with a signed internal identity token for the caller.
 * Blocking helpers, for test threads only.
 */
public final class FeedCalls {

  private final WebClient web;
  private final InternalTokens.Issuer issuer;

  public FeedCalls(WebClient web, InternalTokens.Issuer issuer) {
    this.web = web;
    this.issuer = issuer;
  }

  public String token(String accountId) {
    return issuer.issue(new Caller(accountId, accountId + "@example.com", Set.of(Caller.CUSTOMER)));
  }

  /** {@code GET /api/notifications?<query>}; 200 expected, the body returned. */
  public JsonObject list(int port, String account, String query) {
    HttpResponse<Buffer> response = send(port, HttpMethod.GET, listUri(query), account);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "list answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  public static String listUri(String query) {
    return "/api/notifications" + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /** {@code PUT} (read) or {@code DELETE} (unread) {@code /api/notifications/{id}/read}. */
  public HttpResponse<Buffer> mark(int port, String account, String id, boolean read) {
    return send(
        port,
        read ? HttpMethod.PUT : HttpMethod.DELETE,
        "/api/notifications/" + id + "/read",
        account);
  }

  /** Any request; {@code account} null sends no identity. */
  public HttpResponse<Buffer> send(int port, HttpMethod method, String uri, String account) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", uri);
    if (account != null) {
      request.putHeader(InternalTokens.HEADER, token(account));
    }
    return await(request.send());
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
