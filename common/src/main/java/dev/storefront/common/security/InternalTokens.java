package dev.storefront.common.security;

import dev.storefront.common.config.Env;
import dev.storefront.common.security.EcKeys.SigningKey;
import dev.storefront.common.security.EcKeys.VerificationKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How services learn who the gateway let in. The gateway signs a short-lived ES256 JWT about the
 * caller (its own key pair, not the one for public tokens; {@code iss} {@value #ISSUER}, {@code
 * aud} {@value #AUDIENCE}, {@code sub}, {@code email}, {@code roles}) and sends it in {@value
 * #HEADER}; services verify it with the gateway's public key, so a header a client forges, or sends
 * straight to a service port, is worth nothing.
 *
 * <p>Keys: in production the gateway reads {@code INTERNAL_TOKEN_PRIVATE_KEY_PEM} (PKCS#8 P-256)
 * and services read {@code INTERNAL_TOKEN_PUBLIC_KEY_PEM} (one or more X.509 PEM blocks: current
 * and previous keys during a rotation; key ids are RFC 7638 thumbprints on both sides). When
 * neither is set (development), the first gateway of the cluster generates a pair and keeps it in
 * the clustered map {@value #KEYS_MAP}; every gateway uses that pair and services read its public
 * half from entry {@value #PUBLIC_KEY_ENTRY}.
 */
public final class InternalTokens {

  public static final String HEADER = "X-Storefront-Identity";
  public static final String ISSUER = "storefront-gateway";
  public static final String AUDIENCE = "storefront-internal";
  public static final Duration LIFETIME = Duration.ofSeconds(30);

  /** Clustered map shared with the gateway's development keys for public tokens. */
  public static final String KEYS_MAP = "storefront.identity.keys";

  public static final String PUBLIC_KEY_ENTRY = "internal-public";
  static final String KEY_PAIR_ENTRY = "internal-keypair";

  public static final String PRIVATE_KEY_ENV = "INTERNAL_TOKEN_PRIVATE_KEY_PEM";
  public static final String PUBLIC_KEY_ENV = "INTERNAL_TOKEN_PUBLIC_KEY_PEM";

  private static final Logger LOG = LoggerFactory.getLogger(InternalTokens.class);

  private InternalTokens() {}

  static Future<AsyncMap<String, String>> keysMap(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(KEYS_MAP);
  }

  /**
   * The gateway's internal signing key: from {@value #PRIVATE_KEY_ENV}, else the cluster's shared
   * development pair (created by the first gateway to ask), whose public half is then published for
   * services. Load it once per process; an {@link Issuer} per event loop can share it.
   */
  public static Future<SigningKey> signingKey(Vertx vertx, Env env) {
    String pem = env.string(PRIVATE_KEY_ENV, null);
    if (pem != null) {
      return Future.succeededFuture(EcKeys.fromPrivatePem(pem, null));
    }
    SigningKey candidate = EcKeys.generate();
    return keysMap(vertx)
        .compose(
            map ->
                map.putIfAbsent(KEY_PAIR_ENTRY, candidate.toJson().encode())
                    .map(
                        prior ->
                            prior == null ? candidate : SigningKey.fromJson(new JsonObject(prior)))
                    .compose(
                        key ->
                            map.put(PUBLIC_KEY_ENTRY, key.verification().toJson().encode())
                                .map(v -> key)))
        .onSuccess(
            key ->
                LOG.warn(
                    "{} is not set: internal identity tokens use a development key ({}) shared"
                        + " through the cluster; set it, and {} on services, in production",
                    PRIVATE_KEY_ENV,
                    key.kid(),
                    PUBLIC_KEY_ENV));
  }

  /**
   * The gateway's side: signs identity tokens. Signing costs tens of microseconds, so a token is
   * reused for the same caller until a third of its lifetime is left: at least ten seconds for the
   * request to reach a service, well over the proxy's default upstream time limit for the first
   * byte.
   */
  public static final class Issuer {

    private static final int CACHE_LIMIT = 50_000;
    private static final Duration REUSE = LIFETIME.multipliedBy(2).dividedBy(3);

    private final TokenSigner signer;
    private final Map<Caller, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(String token, long renewAtMillis) {}

    public Issuer(Vertx vertx, SigningKey key) {
      this.signer = new TokenSigner(vertx, key, ISSUER, AUDIENCE);
    }

    /** {@link #signingKey} then an issuer with it. */
    public static Future<Issuer> start(Vertx vertx, Env env) {
      return signingKey(vertx, env).map(key -> new Issuer(vertx, key));
    }

    public VerificationKey publicKey() {
      return signer.key().verification();
    }

    /** A token saying the gateway authenticated {@code caller}. */
    public String issue(Caller caller) {
      long now = System.currentTimeMillis();
      Cached cached = cache.get(caller);
      if (cached != null && now < cached.renewAtMillis) {
        return cached.token;
      }
      String token = signer.sign(caller.toClaims(), LIFETIME);
      if (cache.size() >= CACHE_LIMIT) {
        // Rarely reached; dropping everything is cheaper than tracking age, and only costs a sign.
        cache.clear();
      }
      cache.put(caller, new Cached(token, now + REUSE.toMillis()));
      return token;
    }
  }

  /**
   * The services' side: verifies identity tokens. Keys from {@value #PUBLIC_KEY_ENV}, or else the
   * cluster entry {@value #PUBLIC_KEY_ENTRY}, cached and read again (at most once a second) when a
   * token names a key not yet known, as after a gateway restart in development.
   */
  public static final class Verifier {

    private static final long REREAD_INTERVAL_MS = 1_000;
    private static final int CACHE_LIMIT = 50_000;

    private final Vertx vertx;
    private final boolean fromCluster;
    private volatile TokenVerifier verifier;
    private volatile long lastReadMillis;
    private volatile Future<TokenVerifier> reading;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Caller caller, long expiresAtMillis) {}

    private Verifier(Vertx vertx, TokenVerifier verifier, boolean fromCluster) {
      this.vertx = vertx;
      this.verifier = verifier;
      this.fromCluster = fromCluster;
    }

    public static Verifier create(Vertx vertx, Env env) {
      String pems = env.string(PUBLIC_KEY_ENV, null);
      if (pems != null) {
        return of(vertx, EcKeys.publicKeys(pems));
      }
      return new Verifier(vertx, null, true);
    }

    /** A verifier of tokens signed with any of {@code keys}. */
    public static Verifier of(Vertx vertx, List<VerificationKey> keys) {
      return new Verifier(vertx, new TokenVerifier(vertx, keys, ISSUER, AUDIENCE), false);
    }

    /** The caller a valid token names; else a failed future with an InvalidTokenException. */
    public Future<Caller> verify(String token) {
      long now = System.currentTimeMillis();
      // The gateway reuses a token for many requests: an exact token seen valid before needs only
      // its expiry checked again, not its signature.
      Verified seen = verified.get(token);
      if (seen != null) {
        if (now < seen.expiresAtMillis) {
          return Future.succeededFuture(seen.caller);
        }
        verified.remove(token);
        return Future.failedFuture(new InvalidTokenException("the token has expired"));
      }
      TokenVerifier current = verifier;
      Future<TokenVerifier> ready =
          current != null ? Future.succeededFuture(current) : readKeys(now);
      return ready
          .compose(v -> v.verify(token))
          .recover(
              e -> {
                if (e instanceof UnknownKeyException
                    && fromCluster
                    && now - lastReadMillis >= REREAD_INTERVAL_MS) {
                  return readKeys(now).compose(v -> v.verify(token));
                }
                return Future.failedFuture(e);
              })
          .map(
              claims -> {
                Caller caller = Caller.fromClaims(claims);
                if (verified.size() >= CACHE_LIMIT) {
                  verified.clear();
                }
                long exp = claims.getLong("exp") * 1000 + TokenVerifier.LEEWAY_SECONDS * 1000L;
                verified.put(token, new Verified(caller, exp));
                return caller;
              });
    }

    private synchronized Future<TokenVerifier> readKeys(long now) {
      if (!fromCluster) {
        return Future.succeededFuture(verifier);
      }
      if (reading != null && !reading.isComplete()) {
        return reading;
      }
      if (verifier != null && now - lastReadMillis < REREAD_INTERVAL_MS) {
        return Future.succeededFuture(verifier);
      }
      if (verifier == null && now - lastReadMillis < REREAD_INTERVAL_MS) {
        return Future.failedFuture(new InvalidTokenException("no internal token key is known yet"));
      }
      lastReadMillis = now;
      reading =
          keysMap(vertx)
              .compose(map -> map.get(PUBLIC_KEY_ENTRY))
              .compose(
                  json -> {
                    if (json == null) {
                      return Future.failedFuture(
                          new InvalidTokenException(
                              "no gateway has published an internal key yet"));
                    }
                    VerificationKey key = VerificationKey.fromJson(new JsonObject(json));
                    TokenVerifier current = verifier;
                    if (current == null || !current.kids().contains(key.kid())) {
                      LOG.info("Internal identity key {} read from the cluster", key.kid());
                      current = new TokenVerifier(vertx, List.of(key), ISSUER, AUDIENCE);
                      verifier = current;
                    }
                    return Future.succeededFuture(current);
                  });
      return reading;
    }
  }
}
