package dev.storefront.gateway.edge;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the edge lets in: rate limits, request limits, CORS and security headers.
 *
 * <table>
 *   <tr><td>RATE_LIMITS</td><td>/api/auth=20/60s;/api=200/1s</td><td>limits by path prefix,
 *   {@code prefix=N/<window>} separated by {@code ;}; the window is a number and a unit (ms, s, m,
 *   h; the number may be left out: {@code 100/s}). {@code N/W} is a bucket of N tokens refilled
 *   continuously at N per W: bursts of up to N, N per W sustained. The longest matching prefix
 *   decides; a prefix matches the path itself and everything below it. {@code off} disables
 *   rate limiting</td></tr>
 *   <tr><td>RATE_LIMIT_TIMEOUT_MS</td><td>50</td><td>longest wait for the cluster-wide bucket
 *   store; past it (or on any store error) the request goes through</td></tr>
 *   <tr><td>TRUST_FORWARDED_FOR</td><td>false</td><td>how anonymous callers are told apart:
 *   {@code false} by the connection's address; {@code true} by the last X-Forwarded-For entry
 *   (the one a single trusted proxy in front added), from any connection; {@code loopback} by
 *   that entry only on connections from a loopback address (a proxy or load generator on the same
 *   host), by the connection's address on all others</td></tr>
 *   <tr><td>MAX_BODY_BYTES</td><td>1048576</td><td>largest request body; larger is 413</td></tr>
 *   <tr><td>MAX_HEADER_BYTES</td><td>8192</td><td>largest header block; larger is 431</td></tr>
 *   <tr><td>MAX_INITIAL_LINE_LENGTH</td><td>4096</td><td>longest request line; longer is
 *   414</td></tr>
 *   <tr><td>REQUEST_TIMEOUT_MS</td><td>30000</td><td>time for a whole request, body and answer;
 *   past it 504</td></tr>
 *   <tr><td>REQUEST_TIMEOUT_EXEMPT</td><td>/api/notifications/stream</td><td>comma-separated
 *   path prefixes of long-lived streams the request timeout does not apply to</td></tr>
 *   <tr><td>IDLE_TIMEOUT_S</td><td>60</td><td>a connection with no traffic this long is
 *   closed</td></tr>
 *   <tr><td>CORS_ORIGINS</td><td>(none)</td><td>comma-separated origins allowed cross-origin
 *   calls ({@code https://shop.example.com}); {@code *} allows any; none sends no CORS
 *   headers</td></tr>
 *   <tr><td>CORS_ALLOW_CREDENTIALS</td><td>false</td><td>let browsers send cookies and
 *   Authorization cross-origin; never together with {@code *}</td></tr>
 *   <tr><td>CORS_MAX_AGE_S</td><td>600</td><td>how long browsers may cache a preflight
 *   answer</td></tr>
 *   <tr><td>HSTS_MAX_AGE_S</td><td>0</td><td>when above 0, Strict-Transport-Security with this
 *   max-age on every response; only for deployments served over HTTPS</td></tr>
 * </table>
 */
public record EdgeConfig(
    List<RateLimit> rateLimits,
    Duration rateLimitTimeout,
    ForwardedForTrust trustForwardedFor,
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxInitialLineLength,
    Duration requestTimeout,
    List<String> requestTimeoutExempt,
    int idleTimeoutSeconds,
    List<String> corsOrigins,
    boolean corsAllowCredentials,
    int corsMaxAgeSeconds,
    long hstsMaxAgeSeconds) {

  public static final String DEFAULT_RATE_LIMITS = "/api/auth=20/60s;/api=200/1s";

  private static final Pattern LIMIT =
      Pattern.compile("(/[^=\\s]*)\\s*=\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h)");

  /** At most {@code capacity} requests per {@code window} for paths under {@code prefix}. */
  public record RateLimit(String prefix, long capacity, Duration window) {
    public RateLimit {
      if (capacity < 1) {
        throw new ConfigException("RATE_LIMITS: a limit must allow at least 1 request");
      }
      if (window.isZero() || window.isNegative()) {
        throw new ConfigException("RATE_LIMITS: a window must be longer than 0");
      }
    }

    /** Whether this limit covers {@code path}: the prefix itself or anything below it. */
    public boolean covers(String path) {
      return path.equals(prefix)
          || (path.startsWith(prefix)
              && (prefix.endsWith("/") || path.charAt(prefix.length()) == '/'));
    }

    /** The limit's name in metrics and bucket keys. */
    public String name() {
      return prefix;
    }
  }

  public EdgeConfig {
    rateLimits =
        rateLimits.stream()
            .sorted(Comparator.comparingInt((RateLimit l) -> l.prefix().length()).reversed())
            .toList();
    requestTimeoutExempt = List.copyOf(requestTimeoutExempt);
    corsOrigins = List.copyOf(corsOrigins);
    if (corsAllowCredentials && corsOrigins.contains("*")) {
      throw new ConfigException("CORS_ALLOW_CREDENTIALS cannot be used with CORS_ORIGINS=*");
    }
  }

  public static EdgeConfig from(Env env) {
    return new EdgeConfig(
        parseRateLimits(env.string("RATE_LIMITS", DEFAULT_RATE_LIMITS)),
        env.millis("RATE_LIMIT_TIMEOUT_MS", 50),
        ForwardedForTrust.parse(env.string("TRUST_FORWARDED_FOR", "false")),
        env.positive("MAX_BODY_BYTES", 1024 * 1024),
        env.positive("MAX_HEADER_BYTES", 8192),
        env.positive("MAX_INITIAL_LINE_LENGTH", 4096),
        env.millis("REQUEST_TIMEOUT_MS", 30_000),
        env.list("REQUEST_TIMEOUT_EXEMPT", "/api/notifications/stream"),
        env.positive("IDLE_TIMEOUT_S", 60),
        env.list("CORS_ORIGINS", ""),
        env.bool("CORS_ALLOW_CREDENTIALS", false),
        env.integer("CORS_MAX_AGE_S", 600),
        env.integer("HSTS_MAX_AGE_S", 0));
  }

  /** The defaults, as with an empty environment. */
  public static EdgeConfig defaults() {
    return from(Env.of(java.util.Map.of()));
  }

  /** The limit that decides for {@code path}: the one with the longest matching prefix. */
  public Optional<RateLimit> rateLimitFor(String path) {
    // Sorted longest prefix first by the constructor.
    for (RateLimit limit : rateLimits) {
      if (limit.covers(path)) {
        return Optional.of(limit);
      }
    }
    return Optional.empty();
  }

  /** Whether the request timeout leaves {@code path} alone. Asked for every request. */
  public boolean timeoutExempt(String path) {
    for (int i = 0; i < requestTimeoutExempt.size(); i++) {
      String prefix = requestTimeoutExempt.get(i);
      if (path.startsWith(prefix)
          && (path.length() == prefix.length()
              || prefix.endsWith("/")
              || path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  /** Parses {@code RATE_LIMITS} syntax: {@code /api/auth=10/60s;/api=100/1s}, or {@code off}. */
  public static List<RateLimit> parseRateLimits(String spec) {
    String trimmed = spec.trim();
    if (trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("none")) {
      return List.of();
    }
    List<RateLimit> limits = new ArrayList<>();
    for (String part : trimmed.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = LIMIT.matcher(part.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new ConfigException(
            "RATE_LIMITS entries look like /api=100/1s (units ms, s, m, h), got '"
                + part.trim()
                + "'");
      }
      long amount = m.group(3).isEmpty() ? 1 : Long.parseLong(m.group(3));
      Duration window =
          switch (m.group(4)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          };
      String prefix = part.trim().substring(0, part.trim().indexOf('=')).trim();
      if (limits.stream().anyMatch(l -> l.prefix().equals(prefix))) {
        throw new ConfigException("RATE_LIMITS names " + prefix + " twice");
      }
      limits.add(new RateLimit(prefix, Long.parseLong(m.group(2)), window));
    }
    return limits;
  }
}
