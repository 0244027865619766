package dev.storefront.gateway.identity;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Accounts and public tokens. Read once at start:
 *
 * <table>
 *   <tr><td>JWT_TTL_S</td><td>900</td><td>lifetime of an access token, seconds</td></tr>
 *   <tr><td>JWT_PRIVATE_KEY_PEM</td><td>—</td><td>PKCS#8 PEM of the P-256 key that signs access
 *   tokens (ES256). Unset: a development key shared through the cluster, lost when the whole
 *   cluster stops</td></tr>
 *   <tr><td>JWT_KEY_ID</td><td>the key's RFC 7638 thumbprint</td><td>{@code kid} of that key</td></tr>
 *   <tr><td>JWT_PREVIOUS_PUBLIC_KEYS_PEM</td><td>—</td><td>public PEMs of keys that signed
 *   tokens still in circulation (rotation): they verify, never sign</td></tr>
 *   <tr><td>JWT_PREVIOUS_KEY_IDS</td><td>thumbprints</td><td>comma-separated {@code kid}s of those
 *   keys, in the same order</td></tr>
 *   <tr><td>ADMIN_EMAILS</td><td>—</td><td>comma-separated e-mail addresses that get the admin
 *   role when they register; the only way to an admin account</td></tr>
 *   <tr><td>PASSWORD_HASH_THREADS</td><td>available processors</td><td>threads of the executor
 *   that hashes and checks passwords (argon2id, 19 MiB and about 30 ms of a core each); bounds the
 *   memory they hold to threads × 19 MiB</td></tr>
 *   <tr><td>PASSWORD_HASH_QUEUE</td><td>64</td><td>hashes and checks (sign-ups, logins) that may
 *   wait or run at once in the process; beyond it a sign-up or login is a 503 with {@code
 *   Retry-After: 1}</td></tr>
 *   <tr><td>LOGIN_FAILURE_LIMIT</td><td>10</td><td>logins of one e-mail address that may fail
 *   within {@code LOGIN_FAILURE_WINDOW_S}, from any client address, before further logins of it
 *   are refused for a while (429); 0 turns the limit off</td></tr>
 *   <tr><td>LOGIN_FAILURE_WINDOW_S</td><td>900</td><td>the window those failures are counted
 *   in</td></tr>
 *   <tr><td>LOGIN_LOCK_S</td><td>60</td><td>how long the first lock lasts; each further lock within
 *   a day of the last attempt doubles it</td></tr>
 *   <tr><td>LOGIN_LOCK_MAX_S</td><td>900</td><td>the longest a lock lasts, so an attacker can keep
 *   an account's owner out for at most this long after their last burst</td></tr>
 * </table>
 *
 * <p>The internal token key ({@code INTERNAL_TOKEN_PRIVATE_KEY_PEM}) is read by {@code
 * InternalTokens.Issuer}.
 */
public record IdentityConfig(
    Duration accessTokenTtl,
    String privateKeyPem,
    String keyId,
    String previousPublicKeysPem,
    List<String> previousKeyIds,
    Set<String> adminEmails,
    int passwordHashThreads,
    int passwordHashQueue,
    LoginLimit loginLimit) {

  public static final int DEFAULT_PASSWORD_HASH_QUEUE = 64;

  /**
   * The limit on failed logins per e-mail address: after {@code failures} within {@code window},
   * refuse the address for {@code lock}, doubled with each further lock up to {@code maxLock}.
   */
  public record LoginLimit(int failures, Duration window, Duration lock, Duration maxLock) {

    public static final LoginLimit OFF =
        new LoginLimit(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));

    public LoginLimit {
      if (failures < 0) {
        throw new ConfigException("LOGIN_FAILURE_LIMIT must be 0 (off) or more, got " + failures);
      }
      if (maxLock.compareTo(lock) < 0) {
        throw new ConfigException(
            "LOGIN_LOCK_MAX_S must be at least LOGIN_LOCK_S, got "
                + maxLock.toSeconds()
                + " < "
                + lock.toSeconds());
      }
    }

    public boolean enabled() {
      return failures > 0;
    }

    static LoginLimit from(Env env) {
      return new LoginLimit(
          env.integer("LOGIN_FAILURE_LIMIT", 10),
          Duration.ofSeconds(env.positive("LOGIN_FAILURE_WINDOW_S", 900)),
          Duration.ofSeconds(env.positive("LOGIN_LOCK_S", 60)),
          Duration.ofSeconds(env.positive("LOGIN_LOCK_MAX_S", 900)));
    }
  }

  public static IdentityConfig from(Env env) {
    int ttl = env.positive("JWT_TTL_S", 900);
    if (ttl > 86_400) {
      throw new ConfigException("JWT_TTL_S must be at most a day, got " + ttl);
    }
    return new IdentityConfig(
        Duration.ofSeconds(ttl),
        env.string("JWT_PRIVATE_KEY_PEM", null),
        env.string("JWT_KEY_ID", null),
        env.string("JWT_PREVIOUS_PUBLIC_KEYS_PEM", null),
        env.list("JWT_PREVIOUS_KEY_IDS", ""),
        env.list("ADMIN_EMAILS", "").stream()
            .map(e -> e.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet()),
        env.positive("PASSWORD_HASH_THREADS", Runtime.getRuntime().availableProcessors()),
        env.positive("PASSWORD_HASH_QUEUE", DEFAULT_PASSWORD_HASH_QUEUE),
        LoginLimit.from(env));
  }

  public boolean isAdmin(String email) {
    return adminEmails.contains(email.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    // Never print the private key.
    return "IdentityConfig[accessTokenTtl="
        + accessTokenTtl
        + ", configuredKey="
        + (privateKeyPem != null)
        + ", keyId="
        + keyId
        + ", previousKeyIds="
        + previousKeyIds
        + ", admins="
        + adminEmails.size()
        + ", passwordHashThreads="
        + passwordHashThreads
        + ", passwordHashQueue="
        + passwordHashQueue
        + ", loginLimit="
        + loginLimit
        + "]";
  }
}
