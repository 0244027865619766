package dev.storefront.payment.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payment service's own meters:
 *
 * <ul>
 *   <li>{@code storefront_payment_charges_total{outcome}}: payments decided, by outcome (succeeded,
 *       declined, insufficient_funds, processor_error)
 *   <li>{@code storefront_payment_processor_calls_seconds{operation, outcome}}: time the processor
 *       took to answer a charge or refund request (outcome: the answer, error or timeout)
 *   <li>{@code storefront_payment_charge_retries_total}: charge requests repeated after an error or
 *       a timeout
 *   <li>{@code storefront_payment_refunds_total{outcome}}: reversals recorded (refunded, voided,
 *       not_charged)
 *   <li>{@code storefront_payment_voids_total}: payments voided by a cancellation before a charge
 *       was decided
 *   <li>{@code storefront_payment_recovery_redrives_total{kind}}: unfinished payments driven again
 *       by recovery (charge, reversal)
 *   <li>{@code storefront_payment_tokens_issued_total{brand}}: payment tokens issued for cards
 *   <li>{@code storefront_payment_token_refusals_total{reason}}: orders whose token could not be
 *       charged (unknown, expired, legacy_card_removed), declined without asking the processor
 *   <li>{@code storefront_payment_tokens_purged_total}: expired tokens deleted with their cards
 * </ul>
 */
public final class PaymentMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public PaymentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void charge(String outcome) {
    counter("storefront_payment_charges", "Payments decided, by outcome", "outcome", outcome)
        .increment();
  }

  public void retry() {
    counter(
            "storefront_payment_charge_retries",
            "Charge requests repeated after an error or a timeout",
            null,
            null)
        .increment();
  }

  public void refund(String outcome) {
    counter("storefront_payment_refunds", "Reversals recorded, by outcome", "outcome", outcome)
        .increment();
  }

  public void voided() {
    counter(
            "storefront_payment_voids",
            "Payments voided by a cancellation before a charge was decided",
            null,
            null)
        .increment();
  }

  public void redrive(String kind) {
    counter(
            "storefront_payment_recovery_redrives",
            "Unfinished payments driven again by recovery",
            "kind",
            kind)
        .increment();
  }

  public void tokenIssued(String brand) {
    counter("storefront_payment_tokens_issued", "Payment tokens issued for cards", "brand", brand)
        .increment();
  }

  public void tokenRefused(String reason) {
    counter(
            "storefront_payment_token_refusals",
            "Orders whose payment token could not be charged, by reason",
            "reason",
            reason)
        .increment();
  }

  public void tokensPurged(int count) {
    counter(
            "storefront_payment_tokens_purged",
            "Expired payment tokens deleted with their sealed cards",
            null,
            null)
        .increment(count);
  }

  public void processorCall(String operation, String outcome, long nanos) {
    timers
        .computeIfAbsent(
            operation + "|" + outcome,
            k ->
                Timer.builder("storefront_payment_processor_calls")
                    .description("Time the card processor took to answer")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(
        name + "|" + value,
        k -> {
          Counter.Builder builder = Counter.builder(name).description(description);
          if (tag != null) {
            builder.tag(tag, value);
          }
          return builder.register(registry);
        });
  }
}
