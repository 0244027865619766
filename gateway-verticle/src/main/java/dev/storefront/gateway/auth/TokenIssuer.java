package dev.storefront.gateway.auth;

import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.EcKeys.SigningKey;
import dev.storefront.common.security.EcKeys.VerificationKey;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.common.security.InvalidTokenException;
import dev.storefront.common.security.TokenSigner;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.gateway.identity.IdentityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens: ES256 JWTs with {@code kid}, {@code iss} {@value #ISSUER}, {@code sub} (account
 * id), {@code email}, {@code roles}, {@code iat}, {@code exp}. Signs with the current key; verifies
 * with the current key and any previous ones (rotation), and publishes all of them as a JWKS.
 *
 * <p>Rotation: configure the new private key (and its {@code JWT_KEY_ID}); move the old public key
 * into {@code JWT_PREVIOUS_PUBLIC_KEYS_PEM} (and its id into {@code JWT_PREVIOUS_KEY_IDS}) for at
 * least {@code JWT_TTL_S}; then drop it. Clients keep a session alive with {@code POST
 * /api/auth/refresh} before their token expires, or log in again.
 */
public final class TokenIssuer {

  private static final int MAX_REMEMBERED = 10_000;
  private final java.util.Map<TokenKey, Verified> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Tokens refused in the last {@value #REFUSAL_MEMORY_MS} ms, each with why: a client that keeps
   * sending a bad token is answered from here rather than with a signature check per request. Not
   * for ever, as a token refused for an issue time ahead of this clock becomes good.
   */
  private final java.util.Map<TokenKey, Refusal> refused =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final long REFUSAL_MEMORY_MS = 60_000;

  public static final String ISSUER = "storefront";

  /** Entry of the development signing key in {@link InternalTokens#KEYS_MAP}. */
  static final String DEV_KEY_ENTRY = "jwt-dev";

  private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

  private final TokenSigner signer;
  private final TokenVerifier verifier;
  private final List<VerificationKey> keys;
  private final Duration ttl;

  /** An access token and its lifetime in seconds. */
  public record AccessToken(String token, long expiresIn) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("access_token", token)
          .put("token_type", "Bearer")
          .put("expires_in", expiresIn);
    }
  }

  /** An issuer over keys loaded once per process; cheap, so one per event loop. */
  public TokenIssuer(Vertx vertx, Keys keys) {
    List<VerificationKey> all = new ArrayList<>();
    all.add(keys.current().verification());
    keys.previous().stream().filter(k -> !k.kid().equals(keys.current().kid())).forEach(all::add);
    this.keys = List.copyOf(all);
    this.ttl = keys.ttl();
    this.signer = new TokenSigner(vertx, keys.current(), ISSUER, null);
    this.verifier = new TokenVerifier(vertx, this.keys, ISSUER, null);
  }

  /** The signing key, the keys that still verify, and the lifetime of a token. */
  public record Keys(SigningKey current, List<VerificationKey> previous, Duration ttl) {

    /**
     * From the configuration, or else the cluster's development key: the first gateway to start
     * generates it and every other gateway of the cluster takes the same, so a token from one is
     * good at all.
     */
    public static Future<Keys> load(Vertx vertx, IdentityConfig config) {
      List<VerificationKey> previous = previousKeys(config);
      if (config.privateKeyPem() != null) {
        SigningKey key = EcKeys.fromPrivatePem(config.privateKeyPem(), config.keyId());
        return Future.succeededFuture(new Keys(key, previous, config.accessTokenTtl()));
      }
      SigningKey candidate = EcKeys.generate();
      return vertx
          .sharedData()
          .<String, String>getAsyncMap(InternalTokens.KEYS_MAP)
          .compose(map -> sharedKey(map, candidate))
          .map(
              key -> {
                LOG.warn(
                    "JWT_PRIVATE_KEY_PEM is not set: access tokens are signed with development key"
                        + " {} kept in the cluster; they stop working once every member of the"
                        + " cluster has stopped. Set JWT_PRIVATE_KEY_PEM in production",
                    key.kid());
                return new Keys(key, previous, config.accessTokenTtl());
              });
    }
  }

  private static Future<SigningKey> sharedKey(AsyncMap<String, String> map, SigningKey candidate) {
    return map.putIfAbsent(DEV_KEY_ENTRY, candidate.toJson().encode())
        .map(prior -> prior == null ? candidate : SigningKey.fromJson(new JsonObject(prior)));
  }

  private static List<VerificationKey> previousKeys(IdentityConfig config) {
    List<VerificationKey> parsed = EcKeys.publicKeys(config.previousPublicKeysPem());
    List<VerificationKey> named = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      String id = i < config.previousKeyIds().size() ? config.previousKeyIds().get(i) : null;
      VerificationKey key = parsed.get(i);
      named.add(id == null ? key : new VerificationKey(id, key.publicPem()));
    }
    return named;
  }

  public AccessToken issue(Caller caller) {
    return new AccessToken(signer.sign(caller.toClaims(), ttl), ttl.toSeconds());
  }

  /**
   * The caller a valid access token names; else a failed future (InvalidTokenException). A token
   * seen before is not verified again until it expires: a shopper sends the same token with every
   * request, and an ECDSA verification per request would be the edge's largest cost.
   */
  public Future<Caller> authenticate(String token) {
    Future<Caller> known = remembered(token);
    return known != null ? known : verify(token);
  }

  /**
   * The answer to a token verified before or refused lately, from memory; null for a token that
   * needs its signature checked ({@link #verify}).
   */
  public Future<Caller> remembered(String token) {
    long now = System.currentTimeMillis();
    TokenKey key = TokenKey.of(token);
    Verified seen = verified.get(key);
    if (seen != null) {
      if (now < seen.expiresAtMillis()) {
        return Future.succeededFuture(seen.caller());
      }
      // Its signature was good; only time has run out, and checking again cannot change that.
      verified.remove(key);
      return Future.failedFuture(remember(key, new InvalidTokenException("the token has expired")));
    }
    Refusal known = refused.get(key);
    if (known != null && now < known.untilMillis()) {
      return Future.failedFuture(known.reason());
    }
    return null;
  }

  /** Checks the token's signature and claims, and remembers the answer either way. */
  public Future<Caller> verify(String token) {
    return verifier
        .verify(token)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof InvalidTokenException invalid
                        ? remember(TokenKey.of(token), invalid)
                        : e))
        .map(
            claims -> {
              Caller caller = Caller.fromClaims(claims);
              if (verified.size() >= MAX_REMEMBERED) {
                // Crude but bounded: a full cache starts over rather than growing.
                verified.clear();
              }
              // Good for as long as the verifier would still take it, leeway included.
              long expiresAtMillis =
                  (claims.getLong("exp", 0L) + TokenVerifier.LEEWAY_SECONDS) * 1_000;
              verified.put(TokenKey.of(token), new Verified(caller, expiresAtMillis));
              return caller;
            });
  }

  /**
   * Keeps {@code refusal} as the answer to the token of {@code key} from now on; bounded like the
   * cache.
   */
  private InvalidTokenException remember(TokenKey key, InvalidTokenException refusal) {
    if (refused.size() >= MAX_REMEMBERED) {
      refused.clear();
    }
    refused.put(key, new Refusal(refusal, System.currentTimeMillis() + REFUSAL_MEMORY_MS));
    return refusal;
  }

  private record Refusal(InvalidTokenException reason, long untilMillis) {}

  /**
   * A token as a key of the maps above, hashed on its last {@value #HASHED_TAIL} characters: those
   * are the signature, which nobody without the key can choose, while hashing the whole token (some
   * 400 characters, on every request) cost more than the rest of the look-up. Keys are equal when
   * their tokens are; they compare by token, so that the map keeps a bin of colliding keys (tokens
   * forged to share a tail) a tree rather than a list.
   */
  record TokenKey(String token, int hash) implements Comparable<TokenKey> {

    static final int HASHED_TAIL = 32;

    static TokenKey of(String token) {
      int hash = token.length();
      for (int i = Math.max(0, token.length() - HASHED_TAIL); i < token.length(); i++) {
        hash = 31 * hash + token.charAt(i);
      }
      return new TokenKey(token, hash);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TokenKey key && key.token.equals(token);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(TokenKey other) {
      return token.compareTo(other.token);
    }
  }

  private record Verified(Caller caller, long expiresAtMillis) {}

  public String currentKeyId() {
    return signer.key().kid();
  }

  /** The JWKS document (RFC 7517) of every key that verifies access tokens. */
  public JsonObject jwks() {
    JsonArray list = new JsonArray();
    keys.forEach(k -> list.add(EcKeys.jwk(k.kid(), k.publicPem())));
    return new JsonObject().put("keys", list);
  }
}
