package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

  @Test
  void defaultsAreDocumented() {
    EdgeConfig config = EdgeConfig.defaults();
    assertThat(config.rateLimits())
        .extracting(EdgeConfig.RateLimit::prefix)
        .containsExactly("/api/auth", "/api");
    assertThat(config.rateLimitFor("/api/auth/login").orElseThrow().capacity()).isEqualTo(20);
    assertThat(config.rateLimitFor("/api/products").orElseThrow().window())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(config.rateLimitTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.timeoutExempt("/api/notifications/stream")).isTrue();
    assertThat(config.timeoutExempt("/api/notifications")).isFalse();
    assertThat(config.timeoutExempt("/api/notifications/stream/more")).isTrue();
    assertThat(config.timeoutExempt("/api/notifications/streams")).isFalse();
    EdgeConfig slash =
        EdgeConfig.from(
            dev.storefront.common.config.Env.of(
                java.util.Map.of("REQUEST_TIMEOUT_EXEMPT", "/live/, /api/feed")));
    assertThat(slash.timeoutExempt("/live/x")).isTrue();
    assertThat(slash.timeoutExempt("/live")).isFalse();
    assertThat(slash.timeoutExempt("/api/feed")).isTrue();
    assertThat(slash.timeoutExempt("/api/feedback")).isFalse();
    assertThat(config.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(config.corsOrigins()).isEmpty();
    assertThat(config.hstsMaxAgeSeconds()).isZero();
    assertThat(config.trustForwardedFor()).isEqualTo(ForwardedForTrust.NONE);
  }

  @Test
  void parsesEveryWindowUnit() {
    var limits = EdgeConfig.parseRateLimits(" /a=1/500ms ; /b=2/s;/c=3/5m;/d=4/1h ");
    assertThat(limits)
        .extracting(EdgeConfig.RateLimit::window)
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            Duration.ofHours(1));
    assertThat(EdgeConfig.parseRateLimits("off")).isEmpty();
  }

  @Test
  void rejectsMalformedLimits() {
    assertThatThrownBy(() -> EdgeConfig.parseRateLimits("/api=ten/1s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/api=ten/1s");
    assertThatThrownBy(() -> EdgeConfig.parseRateLimits("/api=0/1s"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> EdgeConfig.parseRateLimits("/api=1/1s;/api=2/1s"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () ->
                EdgeConfig.from(
                    Env.of(Map.of("CORS_ORIGINS", "*", "CORS_ALLOW_CREDENTIALS", "true"))))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void trustForwardedForIsFalseTrueOrLoopback() {
    assertThat(trust("false")).isEqualTo(ForwardedForTrust.NONE);
    assertThat(trust("true")).isEqualTo(ForwardedForTrust.ANY);
    assertThat(trust("loopback")).isEqualTo(ForwardedForTrust.LOOPBACK);
    assertThat(trust(" LoopBack ")).isEqualTo(ForwardedForTrust.LOOPBACK);
    assertThat(trust("")).isEqualTo(ForwardedForTrust.NONE);
    // The boolean spellings it took before still start the gateway as they did.
    assertThat(trust("yes")).isEqualTo(ForwardedForTrust.ANY);
    assertThat(trust("0")).isEqualTo(ForwardedForTrust.NONE);
  }

  @Test
  void anyOtherTrustForwardedForIsRefusedAtStart() {
    assertThatThrownBy(() -> trust("localhost"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRUST_FORWARDED_FOR")
        .hasMessageContaining("false, true or loopback")
        .hasMessageContaining("'localhost'");
  }

  private static ForwardedForTrust trust(String value) {
    return EdgeConfig.from(Env.of(Map.of("TRUST_FORWARDED_FOR", value))).trustForwardedFor();
  }

  @Test
  void aPrefixCoversWholeSegmentsOnly() {
    var config = EdgeConfig.from(Env.of(Map.of("RATE_LIMITS", "/api=1/1s;/api/auth=1/1s")));
    assertThat(config.rateLimitFor("/api").orElseThrow().prefix()).isEqualTo("/api");
    assertThat(config.rateLimitFor("/api/auth").orElseThrow().prefix()).isEqualTo("/api/auth");
    assertThat(config.rateLimitFor("/api/authors").orElseThrow().prefix()).isEqualTo("/api");
    assertThat(config.rateLimitFor("/apiary")).isEmpty();
  }
}
