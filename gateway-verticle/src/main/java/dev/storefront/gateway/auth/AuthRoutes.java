package dev.storefront.gateway.auth;

import dev.storefront.common.http.Problems;
import dev.storefront.common.security.Caller;
import dev.storefront.gateway.identity.Account;
import dev.storefront.gateway.identity.AccountRepository;
import dev.storefront.gateway.identity.Accounts;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The gateway's own account endpoints:
 *
 * <ul>
 *   <li>{@code POST /api/auth/register} {@code {email, password}} → 201 {@code {id, email, roles}};
 *       400 naming the broken rule (control characters included), 422 for a common or breached
 *       password, 409 for a taken address, 415 for a body not JSON; 503 with {@code Retry-After}
 *       when too many sign-ups and logins are under way at once;
 *   <li>{@code POST /api/auth/login} {@code {email, password}} → 200 {@code {access_token,
 *       token_type, expires_in}}; 401, one message for a wrong address and a wrong password; 400
 *       for a missing, over-long or control-character field; 429 with {@code Retry-After} while the
 *       address is locked after failed logins; 503 as for register;
 *   <li>{@code POST /api/auth/refresh} with a valid, unexpired {@code Authorization: Bearer} token
 *       → a new token with the account's current roles (no body needed);
 *   <li>{@code GET /.well-known/jwks.json} → the public keys that verify access tokens.
 * </ul>
 *
 * Bodies are buffered (these are the only gateway routes that read one), up to {@value #BODY_LIMIT}
 * bytes.
 */
public final class AuthRoutes {

  public static final long BODY_LIMIT = 16 * 1024;

  private final Accounts accounts;
  private final AccountRepository repository;
  private final TokenIssuer tokens;

  public AuthRoutes(Accounts accounts, AccountRepository repository, TokenIssuer tokens) {
    this.accounts = accounts;
    this.repository = repository;
    this.tokens = tokens;
  }

  /** Adds the routes to {@code router}; call before the router's catch-all routes. */
  public Router mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router.post("/api/auth/register").handler(body).handler(this::register);
    router.post("/api/auth/login").handler(body).handler(this::login);
    router.post("/api/auth/refresh").handler(body).handler(this::refresh);
    router.get("/.well-known/jwks.json").handler(this::jwks);
    return router;
  }

  private void register(RoutingContext ctx) {
    credentials(ctx)
        .compose(c -> accounts.register(c.getString("email"), c.getString("password")))
        .onSuccess(
            account ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(account.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    credentials(ctx)
        .compose(c -> accounts.login(c.getString("email"), c.getString("password")))
        .map(account -> tokens.issue(Accounts.caller(account)))
        .onSuccess(token -> sendToken(ctx, token))
        .onFailure(ctx::fail);
  }

  private void refresh(RoutingContext ctx) {
    var verified = Caller.of(ctx);
    if (verified.isPresent()) {
      // The edge authenticator has checked the token already (and taken it off the request).
      current(verified.get())
          .map(account -> tokens.issue(Accounts.caller(account)))
          .onSuccess(fresh -> sendToken(ctx, fresh))
          .onFailure(ctx::fail);
      return;
    }
    String token = EdgeAuthenticator.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      ctx.response().putHeader(EdgeAuthenticator.WWW_AUTHENTICATE, "Bearer");
      ctx.fail(Problems.of(401, "Refreshing needs a valid access token"));
      return;
    }
    tokens
        .authenticate(token)
        .recover(
            e -> {
              ctx.response()
                  .putHeader(EdgeAuthenticator.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
              return Problems.fail(401, "The access token is not valid");
            })
        // Roles may have changed, or the account gone, since the token was issued.
        .compose(caller -> current(caller))
        .map(account -> tokens.issue(Accounts.caller(account)))
        .onSuccess(fresh -> sendToken(ctx, fresh))
        .onFailure(ctx::fail);
  }

  private Future<Account> current(Caller caller) {
    if (caller.email() == null) {
      return Problems.fail(401, "The access token is not valid");
    }
    return repository
        .findByEmail(caller.email())
        .compose(
            found ->
                found.isPresent() && found.get().id().toString().equals(caller.accountId())
                    ? Future.succeededFuture(found.get())
                    : Problems.fail(401, "The account no longer exists"));
  }

  private void jwks(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/jwk-set+json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
        .end(tokens.jwks().encode());
  }

  private static void sendToken(RoutingContext ctx, TokenIssuer.AccessToken token) {
    // RFC 6749 5.1: responses carrying tokens must not be cached.
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Pragma", "no-cache")
        .end(token.toJson().encode());
  }

  private static Future<JsonObject> credentials(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !isJson(type)) {
      return Problems.fail(415, "The request body must be application/json");
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        return Problems.fail(400, "The request body must be a JSON object");
      }
      if (!(body.getValue("email") instanceof String || body.getValue("email") == null)
          || !(body.getValue("password") instanceof String || body.getValue("password") == null)) {
        return Problems.fail(400, "email and password must be strings");
      }
      return Future.succeededFuture(body);
    } catch (DecodeException | ClassCastException e) {
      return Problems.fail(400, "The request body must be a JSON object");
    }
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }
}
