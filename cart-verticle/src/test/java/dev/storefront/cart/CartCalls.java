package dev.storefront.cart;

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
 * Cart requests as the gateway sends them: with a signed internal identity token for the caller.
 * Blocking helpers, for test threads only.
 */
public final class CartCalls {

  private final WebClient web;
  private final InternalTokens.Issuer issuer;

  public CartCalls(WebClient web, InternalTokens.Issuer issuer) {
    this.web = web;
    this.issuer = issuer;
  }

  public static Caller caller(String accountId) {
    return new Caller(accountId, accountId + "@example.com", Set.of(Caller.CUSTOMER));
  }

  public HttpResponse<Buffer> get(int port, String account) {
    return send(port, HttpMethod.GET, "/api/cart", account, null, null);
  }

  public HttpResponse<Buffer> put(int port, String account, String productId, int quantity) {
    return send(
        port,
        HttpMethod.PUT,
        "/api/cart/items/" + productId,
        account,
        "application/json",
        Buffer.buffer(new JsonObject().put("quantity", quantity).encode()));
  }

  public HttpResponse<Buffer> deleteItem(int port, String account, String productId) {
    return send(port, HttpMethod.DELETE, "/api/cart/items/" + productId, account, null, null);
  }

  public HttpResponse<Buffer> clear(int port, String account) {
    return send(port, HttpMethod.DELETE, "/api/cart", account, null, null);
  }

  /** Any request; {@code account} null sends no identity. */
  public HttpResponse<Buffer> send(
      int port, HttpMethod method, String uri, String account, String contentType, Buffer body) {
    return await(sendAsync(port, method, uri, account, contentType, body));
  }

  public Future<HttpResponse<Buffer>> sendAsync(
      int port, HttpMethod method, String uri, String account, String contentType, Buffer body) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", uri);
    if (account != null) {
      request.putHeader(InternalTokens.HEADER, issuer.issue(caller(account)));
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return body == null ? request.send() : request.sendBuffer(body);
  }

  public Future<HttpResponse<Buffer>> putAsync(
      int port, String account, String productId, int quantity) {
    return sendAsync(
        port,
        HttpMethod.PUT,
        "/api/cart/items/" + productId,
        account,
        "application/json",
        Buffer.buffer(new JsonObject().put("quantity", quantity).encode()));
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
