package dev.storefront.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BreakerMetricsTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void stateValuesAreOrderedByHowBadItIs() {
    assertThat(BreakerMetrics.stateValue(CircuitBreakerState.CLOSED)).isZero();
    assertThat(BreakerMetrics.stateValue(CircuitBreakerState.HALF_OPEN)).isEqualTo(1);
    assertThat(BreakerMetrics.stateValue(CircuitBreakerState.OPEN)).isEqualTo(2);
  }

  @Test
  void gaugesFollowTheBreakerThroughOpenAndHalfOpen(Vertx vertx, VertxTestContext ctx) {
    CircuitBreaker breaker =
        CircuitBreaker.create(
            "inventory",
            vertx,
            new CircuitBreakerOptions().setMaxFailures(2).setResetTimeout(300).setTimeout(1_000));
    BreakerMetrics.bind(registry, breaker, Tags.of("service", "cart"));

    ctx.verify(
        () -> {
          assertThat(state()).isZero();
          assertThat(failures()).isZero();
        });

    breaker.halfOpenHandler(
        v ->
            ctx.verify(
                () -> {
                  assertThat(state()).isEqualTo(1);
                  ctx.completeNow();
                }));

    fail(breaker)
        .onComplete(
            ar ->
                ctx.verify(
                    () -> {
                      assertThat(failures()).isEqualTo(1);
                      assertThat(state()).isZero();
                    }))
        .eventually(() -> fail(breaker))
        .onComplete(
            ar ->
                ctx.verify(
                    () -> {
                      assertThat(state()).isEqualTo(2);
                      assertThat(failures()).isEqualTo(2);
                    }));
  }

  @Test
  void gaugesCarryTheBreakerNameAndTheCallersTags(Vertx vertx) {
    CircuitBreaker breaker = CircuitBreaker.create("payment", vertx);

    BreakerMetrics.bind(registry, breaker, Tags.of("service", "order", "zone", "a"));

    Gauge state = registry.find("storefront_circuit_breaker_state").gauge();
    assertThat(state).isNotNull();
    assertThat(state.getId().getTag("breaker")).isEqualTo("payment");
    assertThat(state.getId().getTag("service")).isEqualTo("order");
    assertThat(state.getId().getTag("zone")).isEqualTo("a");
    assertThat(state.getId().getDescription()).isNotBlank();
    assertThat(
            registry.find("storefront_circuit_breaker_failures").tag("breaker", "payment").gauge())
        .isNotNull();
  }

  @Test
  void breakersWithTheSameTagsAreToldApartByName(Vertx vertx) {
    BreakerMetrics.bind(
        registry, CircuitBreaker.create("inventory", vertx), Tags.of("service", "cart"));
    BreakerMetrics.bind(
        registry, CircuitBreaker.create("catalog", vertx), Tags.of("service", "cart"));

    assertThat(registry.find("storefront_circuit_breaker_state").gauges()).hasSize(2);
  }

  @Test
  void theHandleRemovesTheGauges(Vertx vertx) {
    CircuitBreaker gone = CircuitBreaker.create("gone", vertx);
    CircuitBreaker kept = CircuitBreaker.create("kept", vertx);
    Runnable unbind = BreakerMetrics.bind(registry, gone, Tags.empty());
    BreakerMetrics.bind(registry, kept, Tags.empty());

    unbind.run();

    assertThat(registry.find("storefront_circuit_breaker_state").tag("breaker", "gone").gauge())
        .isNull();
    assertThat(registry.find("storefront_circuit_breaker_failures").tag("breaker", "gone").gauge())
        .isNull();
    assertThat(registry.find("storefront_circuit_breaker_state").tag("breaker", "kept").gauge())
        .isNotNull();
  }

  private static Future<String> fail(CircuitBreaker breaker) {
    return breaker.execute(promise -> promise.fail("downstream said no"));
  }

  private double state() {
    return registry.get("storefront_circuit_breaker_state").gauge().value();
  }

  private double failures() {
    return registry.get("storefront_circuit_breaker_failures").gauge().value();
  }
}
