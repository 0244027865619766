package dev.storefront.gateway.auth;

import dev.storefront.common.cluster.TokenBucket;
import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import dev.storefront.gateway.edge.EdgeConfig;
import dev.storefront.gateway.edge.EdgeConfig.RateLimit;
import dev.storefront.gateway.edge.ForwardedForTrust;
import dev.storefront.gateway.edge.LocalBucketStore;
import dev.storefront.gateway.edge.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * How many access tokens new to this gateway it checks the signature of for one client address
 * ({@code TOKEN_CHECKS}, default {@value #DEFAULT}, the {@code RATE_LIMITS} syntax without a path,
 * or {@code off}). A token the gateway has verified or refused before is answered from memory and
 * never counts; a new one costs an ECDSA verification, about a millisecond of CPU, so a client
 * sending a fresh forged token with every request would otherwise make token checks the edge's
 * largest cost, and the rate limit, which needs the caller, comes only after them. Shoppers present
 * a new token once per login or refresh, and every active client once to a gateway just started or
 * added: the default burst leaves room for hundreds of them behind one shared address, while one
 * address is held to about 50 checks a second, a small part of one core.
 *
 * <p>The budget is per gateway process (each protects its own CPU), in memory, shared by its event
 * loops; over it, the request is a 429 with {@code Retry-After}, counted in {@value #REFUSED}.
 */
public final class TokenChecks {

  static final String DEFAULT = "500/10s";
  static final String REFUSED = "storefront_gateway_token_checks_refused_total";

  private final LocalBucketStore buckets;
  private final RateLimit budget;
  private final ForwardedForTrust trustForwardedFor;
  private final Counter refused;

  TokenChecks(
      LocalBucketStore buckets,
      RateLimit budget,
      ForwardedForTrust trustForwardedFor,
      MeterRegistry registry) {
    this.buckets = buckets;
    this.budget = budget;
    this.trustForwardedFor = trustForwardedFor;
    this.refused =
        Counter.builder("storefront_gateway_token_checks_refused")
            .description("Requests refused because their address sent too many new access tokens")
            .register(registry);
  }

  /**
   * From {@code TOKEN_CHECKS} in {@code env}, over the process's in-memory buckets; null when it is
   * {@code off}.
   */
  public static TokenChecks from(Env env, Vertx vertx, MeterRegistry registry) {
    String spec = env.string("TOKEN_CHECKS", DEFAULT).trim();
    if (spec.equalsIgnoreCase("off")) {
      return null;
    }
    return new TokenChecks(
        LocalBucketStore.of(vertx),
        parse(spec),
        EdgeConfig.from(env).trustForwardedFor(),
        registry);
  }

  static RateLimit parse(String spec) {
    List<RateLimit> parsed;
    try {
      parsed = EdgeConfig.parseRateLimits("/=" + spec.trim());
    } catch (ConfigException e) {
      throw new ConfigException(
          "TOKEN_CHECKS looks like 500/10s (units ms, s, m, h), got '" + spec + "'");
    }
    if (parsed.size() != 1) {
      throw new ConfigException("TOKEN_CHECKS looks like 500/10s, got '" + spec + "'");
    }
    return parsed.get(0);
  }

  /**
   * Takes one check from the budget of the request's client address (as the rate limit tells it):
   * allowed, or refused with when to try again. The in-memory store answers at once.
   */
  TokenBucket.Decision take(HttpServerRequest request) {
    String address = RateLimiter.clientAddress(request, trustForwardedFor);
    TokenBucket.Decision decision = buckets.take("token-checks|" + address, budget).result();
    if (!decision.allowed()) {
      refused.increment();
    }
    return decision;
  }
}
