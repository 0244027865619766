package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;

/**
 * How one channel retries a delivery: waits drawn from {@code [0, min(max, base·2^(n-1))]} before
 * attempt {@code n + 1}, at most {@code maxAttempts} attempts in all. Read from {@code
 * <PREFIX>_RETRY_BASE_MS}, {@code <PREFIX>_RETRY_MAX_MS} and {@code <PREFIX>_MAX_ATTEMPTS}.
 */
public record RetryConfig(Duration base, Duration max, int maxAttempts) {

  public RetryConfig {
    if (maxAttempts < 1) {
      throw new ConfigException("max attempts must be at least 1, got " + maxAttempts);
    }
    if (base.isZero() || base.isNegative()) {
      throw new ConfigException("the retry base must be at least 1 ms, got " + base.toMillis());
    }
    if (max.compareTo(base) < 0) {
      throw new ConfigException(
          "the longest retry wait ("
              + max.toMillis()
              + " ms) must not be below the retry base ("
              + base.toMillis()
              + " ms)");
    }
  }

  static RetryConfig from(Env env, String prefix) {
    Duration base = env.millis(prefix + "_RETRY_BASE_MS", 1_000);
    Duration max = env.millis(prefix + "_RETRY_MAX_MS", 600_000);
    int maxAttempts = env.positive(prefix + "_MAX_ATTEMPTS", 8);
    try {
      return new RetryConfig(base, max, maxAttempts);
    } catch (ConfigException e) {
      throw new ConfigException(prefix + "_RETRY_BASE_MS, _RETRY_MAX_MS: " + e.getMessage());
    }
  }
}
