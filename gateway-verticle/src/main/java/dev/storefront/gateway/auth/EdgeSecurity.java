package dev.storefront.gateway.auth;

import dev.storefront.common.config.Env;
import dev.storefront.common.metrics.Metrics;
import dev.storefront.common.security.EcKeys.SigningKey;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.gateway.http.Paths;
import dev.storefront.gateway.identity.AccountRepository;
import dev.storefront.gateway.identity.Accounts;
import dev.storefront.gateway.identity.CommonPasswords;
import dev.storefront.gateway.identity.IdentityConfig;
import dev.storefront.gateway.identity.LoginAttemptRepository;
import dev.storefront.gateway.identity.LoginThrottle;
import dev.storefront.gateway.identity.PasswordHasher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.Consumer;

/**
 * Accounts, tokens and authorization at the edge, in one piece to wire in. Keys are loaded once per
 * process by {@link #start}; {@link #mount} gives each router (one per event loop) its own signer
 * and verifier, since vertx-auth-jwt serialises signing and checking per key object.
 *
 * <pre>
 *   EdgeSecurity.start(vertx, env, pool)                  // in GatewayVerticle.start, after the pool
 *   security.mount(router)                                // in GatewayRouter, before the proxy routes
 *   security.close()                                      // in GatewayVerticle.stop
 * </pre>
 */
public final class EdgeSecurity {

  private final Vertx vertx;
  private final IdentityConfig config;
  private final TokenIssuer.Keys keys;
  private final SigningKey internalKey;
  private final AccountRepository repository;
  private final PasswordHasher hasher;
  private final TokenChecks checks;
  private final CommonPasswords common;
  private final LoginThrottle throttle;
  private final long sweeper;

  private EdgeSecurity(
      Vertx vertx,
      IdentityConfig config,
      TokenIssuer.Keys keys,
      SigningKey internalKey,
      Pool pool,
      TokenChecks checks,
      CommonPasswords common) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.internalKey = internalKey;
    this.repository = new AccountRepository(pool);
    this.hasher = new PasswordHasher(vertx, config, Metrics.registry());
    this.checks = checks;
    this.common = common;
    this.throttle =
        new LoginThrottle(
            new LoginAttemptRepository(pool), config.loginLimit(), Metrics.registry());
    this.sweeper = config.loginLimit().enabled() ? throttle.sweepPeriodically(vertx) : -1;
  }

  /**
   * Reads {@link IdentityConfig} from {@code env}, loads (or shares) the signing keys and reads the
   * list of common passwords.
   */
  public static Future<EdgeSecurity> start(Vertx vertx, Env env, Pool pool) {
    IdentityConfig config = IdentityConfig.from(env);
    TokenChecks checks = TokenChecks.from(env, vertx, Metrics.registry());
    return CommonPasswords.load(vertx)
        .compose(
            common ->
                TokenIssuer.Keys.load(vertx, config)
                    .compose(
                        keys ->
                            InternalTokens.signingKey(vertx, env)
                                .map(
                                    internal ->
                                        new EdgeSecurity(
                                            vertx, config, keys, internal, pool, checks, common))));
  }

  /**
   * {@link #mount(Router, Handler, Consumer)} with nothing between the rate limit and the auth
   * endpoints.
   */
  public Router mount(Router router, Handler<RoutingContext> afterAuthentication) {
    return mount(router, afterAuthentication, r -> {});
  }

  /**
   * Mounts the edge authenticator on every {@code /api/*} path, then {@code afterAuthentication}
   * (which may rely on the caller being known, such as a per-account rate limit), then the routes
   * {@code beforeAuthEndpoints} mounts (the API contract's validation, which the auth endpoints
   * rely on), then the auth endpoints, so that logins are limited and checked too. Call after
   * {@code ServiceRouter.create} and before the proxy routes.
   */
  public Router mount(
      Router router,
      Handler<RoutingContext> afterAuthentication,
      Consumer<Router> beforeAuthEndpoints) {
    TokenIssuer tokens = new TokenIssuer(vertx, keys);
    // One route without a path: a route with one would name every /api request in the HTTP
    // metrics' route label ("/api/>/api/>/api/products/"), where the resource alone should.
    router.route().handler(underApi(authenticator(tokens))).handler(underApi(afterAuthentication));
    beforeAuthEndpoints.accept(router);
    new AuthRoutes(new Accounts(repository, hasher, config, common, throttle), repository, tokens)
        .mount(router);
    return router;
  }

  /** {@code handler} for paths under {@code /api}; any other request passes on untouched. */
  static Handler<RoutingContext> underApi(Handler<RoutingContext> handler) {
    return ctx -> {
      String path = ctx.normalizedPath();
      if (path != null && Paths.under(path, "/api")) {
        handler.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  /** An authenticator with its own signer and verifier, for one event loop. */
  public EdgeAuthenticator authenticator() {
    return authenticator(new TokenIssuer(vertx, keys));
  }

  private EdgeAuthenticator authenticator(TokenIssuer tokens) {
    return new EdgeAuthenticator(tokens, new InternalTokens.Issuer(vertx, internalKey), checks);
  }

  /**
   * Lets go of what {@link #start} took: the sweep of old login attempts and this instance's hold
   * on the password hashing threads.
   */
  public Future<Void> close() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    return hasher.close();
  }

  public TokenIssuer.Keys keys() {
    return keys;
  }

  public IdentityConfig config() {
    return config;
  }
}
