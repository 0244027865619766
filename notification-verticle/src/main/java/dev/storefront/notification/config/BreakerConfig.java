package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;

/**
 * A circuit breaker in front of a destination: it opens after {@code maxFailures} failures within a
 * minute, and lets one attempt through again after {@code reset}. Read from {@code
 * <PREFIX>_BREAKER_MAX_FAILURES} (5) and {@code <PREFIX>_BREAKER_RESET_MS} (30000).
 */
public record BreakerConfig(int maxFailures, Duration reset) {

  public BreakerConfig {
    if (maxFailures < 1) {
      throw new ConfigException("breaker max failures must be at least 1, got " + maxFailures);
    }
    if (reset.isZero()) {
      throw new ConfigException("the breaker reset time must be at least 1 ms");
    }
  }

  static BreakerConfig from(Env env, String prefix) {
    int maxFailures = env.positive(prefix + "_BREAKER_MAX_FAILURES", 5);
    Duration reset = env.millis(prefix + "_BREAKER_RESET_MS", 30_000);
    try {
      return new BreakerConfig(maxFailures, reset);
    } catch (ConfigException e) {
      throw new ConfigException(prefix + "_BREAKER_RESET_MS: " + e.getMessage());
    }
  }
}
