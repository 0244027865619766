package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Webhooks: the accounts' own and the shop's.
 *
 * <table>
 *   <caption>Webhook settings</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>WEBHOOK_TIMEOUT_MS</td><td>5000</td><td>how long a receiver may take to answer before
 *   the attempt counts as failed</td></tr>
 *   <tr><td>WEBHOOK_RETRY_BASE_MS</td><td>1000</td><td>the first retry waits up to this long; each
 *   further one up to twice as long (full jitter)</td></tr>
 *   <tr><td>WEBHOOK_RETRY_MAX_MS</td><td>600000</td><td>the longest wait between two
 *   attempts</td></tr>
 *   <tr><td>WEBHOOK_MAX_ATTEMPTS</td><td>8</td><td>attempts before a delivery is {@code
 *   failed}</td></tr>
 *   <tr><td>WEBHOOK_MAX_PER_ACCOUNT</td><td>5</td><td>webhooks one account may have, active or
 *   deactivated</td></tr>
 *   <tr><td>WEBHOOK_ALLOW_PRIVATE_TARGETS</td><td>false</td><td>accept URLs naming {@code
 *   localhost} or a loopback, private or link-local address (development only)</td></tr>
 *   <tr><td>WEBHOOK_BREAKER_MAX_FAILURES</td><td>5</td><td>failures within a minute that open a
 *   destination's (scheme, host, port) circuit breaker; while open, its deliveries wait without
 *   spending attempts</td></tr>
 *   <tr><td>WEBHOOK_BREAKER_RESET_MS</td><td>30000</td><td>how long a breaker stays open before one
 *   delivery is tried again</td></tr>
 *   <tr><td>SHOP_WEBHOOK_URL</td><td>unset</td><td>the shop's own endpoint, sent every
 *   notification of every account (destination {@code shop}); unset: none</td></tr>
 *   <tr><td>SHOP_WEBHOOK_SECRET</td><td>unset</td><td>signs the shop's requests; required with
 *   SHOP_WEBHOOK_URL</td></tr>
 * </table>
 */
public record WebhookConfig(
    Duration timeout,
    RetryConfig retry,
    int maxPerAccount,
    boolean allowPrivateTargets,
    BreakerConfig breaker,
    Optional<Shop> shop) {

  /** The shop's own webhook. */
  public record Shop(String url, String secret) {

    @Override
    public String toString() {
      // Never print the secret.
      return "Shop[" + url + "]";
    }
  }

  public static WebhookConfig from(Env env) {
    Duration timeout = env.millis("WEBHOOK_TIMEOUT_MS", 5_000);
    if (timeout.isZero()) {
      throw new ConfigException("WEBHOOK_TIMEOUT_MS must be at least 1, got 0");
    }
    return new WebhookConfig(
        timeout,
        RetryConfig.from(env, "WEBHOOK"),
        env.positive("WEBHOOK_MAX_PER_ACCOUNT", 5),
        env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", false),
        BreakerConfig.from(env, "WEBHOOK"),
        shop(env));
  }

  private static Optional<Shop> shop(Env env) {
    String url = env.string("SHOP_WEBHOOK_URL", null);
    if (url == null) {
      return Optional.empty();
    }
    String secret = env.string("SHOP_WEBHOOK_SECRET", null);
    if (secret == null) {
      throw new ConfigException("SHOP_WEBHOOK_SECRET is required when SHOP_WEBHOOK_URL is set");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "SHOP_WEBHOOK_URL must be an absolute http(s) URL, got '" + url + "'");
    }
    return Optional.of(new Shop(url, secret));
  }
}
