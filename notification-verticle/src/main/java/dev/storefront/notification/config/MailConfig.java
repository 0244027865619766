package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.Locale;

/**
 * The SMTP server e-mails go through, and how e-mail deliveries are retried.
 *
 * <table>
 *   <caption>E-mail settings</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>MAIL_HOST</td><td>localhost</td><td>the SMTP server</td></tr>
 *   <tr><td>MAIL_PORT</td><td>2525</td><td>its port (the local stack's mail server)</td></tr>
 *   <tr><td>MAIL_USERNAME</td><td>unset</td><td>log in with this name (and MAIL_PASSWORD);
 *   unset: no login</td></tr>
 *   <tr><td>MAIL_PASSWORD</td><td>unset</td><td>the login's password; never in a committed
 *   file</td></tr>
 *   <tr><td>MAIL_STARTTLS</td><td>OPTIONAL</td><td>DISABLED, OPTIONAL (when the server offers
 *   it) or REQUIRED</td></tr>
 *   <tr><td>MAIL_SSL</td><td>false</td><td>TLS from the first byte (port 465 style)</td></tr>
 *   <tr><td>MAIL_FROM</td><td>Storefront &lt;no-reply@storefront.local&gt;</td><td>the sender
 *   of every e-mail</td></tr>
 *   <tr><td>MAIL_TIMEOUT_MS</td><td>30000</td><td>how long one send may take before it counts
 *   as failed</td></tr>
 *   <tr><td>MAIL_RETRY_BASE_MS</td><td>1000</td><td>the first retry waits up to this long; each
 *   further one up to twice as long (full jitter)</td></tr>
 *   <tr><td>MAIL_RETRY_MAX_MS</td><td>600000</td><td>the longest wait between two
 *   attempts</td></tr>
 *   <tr><td>MAIL_MAX_ATTEMPTS</td><td>8</td><td>attempts before an e-mail is {@code
 *   failed}</td></tr>
 *   <tr><td>MAIL_BREAKER_MAX_FAILURES</td><td>5</td><td>failed sends within a minute that open
 *   the SMTP server's circuit breaker; while open, e-mails wait without spending
 *   attempts</td></tr>
 *   <tr><td>MAIL_BREAKER_RESET_MS</td><td>30000</td><td>how long the breaker stays open before
 *   one e-mail is tried again</td></tr>
 * </table>
 */
public record MailConfig(
    String host,
    int port,
    String username,
    String password,
    StartTLSOptions starttls,
    boolean ssl,
    String from,
    Duration timeout,
    RetryConfig retry,
    BreakerConfig breaker) {

  public static MailConfig from(Env env) {
    Duration timeout = env.millis("MAIL_TIMEOUT_MS", 30_000);
    if (timeout.isZero()) {
      throw new ConfigException("MAIL_TIMEOUT_MS must be at least 1, got 0");
    }
    return new MailConfig(
        env.string("MAIL_HOST", "localhost"),
        env.port("MAIL_PORT", 2525),
        env.string("MAIL_USERNAME", null),
        env.string("MAIL_PASSWORD", null),
        starttls(env.string("MAIL_STARTTLS", "OPTIONAL")),
        env.bool("MAIL_SSL", false),
        env.string("MAIL_FROM", "Storefront <no-reply@storefront.local>"),
        timeout,
        RetryConfig.from(env, "MAIL"),
        BreakerConfig.from(env, "MAIL"));
  }

  private static StartTLSOptions starttls(String value) {
    try {
      return StartTLSOptions.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "MAIL_STARTTLS must be DISABLED, OPTIONAL or REQUIRED, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "MailConfig["
        + (username == null ? "" : username + "@")
        + host
        + ":"
        + port
        + ", starttls="
        + starttls
        + ", ssl="
        + ssl
        + ", from="
        + from
        + "]";
  }
}
