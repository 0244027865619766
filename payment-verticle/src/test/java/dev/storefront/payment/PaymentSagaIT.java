package dev.storefront.payment;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.payment.model.Money;
import dev.storefront.payment.processor.ChargeRequest;
import dev.storefront.payment.processor.ChargeResult;
import dev.storefront.payment.processor.SimulatedCardProcessor;
import dev.storefront.payment.processor.SimulatedCardProcessor.LedgerEntry;
import dev.storefront.payment.processor.TestCards;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The payment service as it runs (its verticle, migrations, consumer, outbox relay, recovery)
 * against a throwaway database and a real broker: order events go in on {@code orders.events},
 * payment events are read back from {@code payments.events}.
 */
class PaymentSagaIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Caller ADMIN = new Caller("ops-1", "ops@example.com", Set.of("admin"));

  /** A throwaway key for this test's database only. */
  private static final String CARD_KEY = randomKey();

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  @TempDir static Path kafkaDir;

  private static ThrowawayDatabase db;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static PaymentVerticle verticle;
  private static SimpleMeterRegistry meters;
  private static SimulatedCardProcessor processor;
  private static KafkaProducer<String, String> producer;
  private static KafkaConsumer<String, String> consumer;
  private static WebClient web;
  private static InternalTokens.Issuer issuer;
  private static final Map<String, List<JsonObject>> paymentEvents = new ConcurrentHashMap<>();
  private static final Map<String, String> tokens = new ConcurrentHashMap<>();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final List<String> CARD_NUMBERS =
      List.of(
          TestCards.APPROVED,
          TestCards.DECLINED,
          TestCards.INSUFFICIENT_FUNDS,
          TestCards.PROCESSOR_ERROR,
          TestCards.SLOW,
          "5555555555554444");

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    db = ThrowawayDatabase.create("payment_saga");
    broker = KafkaBroker.start(kafkaDir, 0, 0);
    vertx = Vertx.vertx();
    EcKeys.SigningKey key = EcKeys.generate();
    issuer = new InternalTokens.Issuer(vertx, key);
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "1");
    env.put("PG_POOL_SIZE", "4");
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("PAYMENT_PROCESSOR_LATENCY_MS", "5");
    env.put("PAYMENT_PROCESSOR_SLOW_MS", "3000");
    env.put("PAYMENT_CHARGE_TIMEOUT_MS", "300");
    env.put("PAYMENT_CHARGE_ATTEMPTS", "3");
    env.put("PAYMENT_RETRY_BACKOFF_MS", "50");
    env.put("PAYMENT_RETRY_BACKOFF_MAX_MS", "100");
    env.put("PAYMENT_RECOVERY_INTERVAL_MS", "200");
    env.put("PAYMENT_RECOVERY_AFTER_MS", "1000");
    env.put("PAYMENT_RECOVERY_ABANDON_MS", "5000");
    env.put("OUTBOX_POLL_INTERVAL_MS", "50");
    env.put("PAYMENT_CARD_KEY", CARD_KEY);
    meters = new SimpleMeterRegistry();
    verticle = new PaymentVerticle(Env.of(env), meters, null);
    await(vertx.deployVerticle(verticle));
    processor = (SimulatedCardProcessor) verticle.processor();
    web = WebClient.create(vertx);

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    KafkaConfig testClient =
        new KafkaConfig(broker.bootstrapServers(), "payment-it-" + suffix, "payment-it-" + suffix);
    producer = KafkaClients.producer(vertx, testClient);
    consumer = KafkaClients.consumer(vertx, testClient);
    consumer.handler(
        record ->
            paymentEvents
                .computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                .add(new JsonObject(record.value())));
    await(consumer.subscribe("payments.events"));
    // The service is ready once it consumes orders.events (the topics exist by then).
    waitUntil(() -> ready(), "the payment service to be ready");
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    try {
      if (vertx != null) {
        List<Future<?>> closing = new ArrayList<>();
        if (consumer != null) {
          closing.add(consumer.close());
        }
        if (producer != null) {
          closing.add(producer.close());
        }
        await(Future.join(closing));
        await(vertx.close());
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (db != null) {
        db.close();
      }
    }
  }

  // --- the cases -------------------------------------------------------------------------------

  @Test
  void anApprovedCardIsChargedOnceAndPaymentSucceededIsPublishedKeyedByOrder() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-1", 4_998, TestCards.APPROVED));

    JsonObject event = awaitEvent(order, "PaymentSucceeded");
    Map<String, Object> row = payment(order);
    assertThat(row.get("status")).isEqualTo("succeeded");
    assertThat(row.get("card_last4")).isEqualTo("4242");
    assertThat(row.get("attempts")).isEqualTo(1);
    assertThat(event.getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("paymentId", row.get("id").toString())
                .put("accountId", "acc-1")
                .put("amount", new Money(4_998, "EUR").toJson()));
    assertThat(event.getString("orderId")).isEqualTo(order.toString());
    assertThat(ledger(order).captures()).isEqualTo(1);
    // Nothing of the card number but its last four digits is stored anywhere.
    assertThat(
            queryLong(
                "SELECT count(*) FROM payments WHERE payments::text LIKE '%4242424242424242%'"))
        .isZero();
    assertThat(counter("storefront_payment_charges", "outcome", "succeeded")).isGreaterThan(0);
  }

  @Test
  void aDeclinedCardFailsWithReasonDeclined() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-2", 1_000, TestCards.DECLINED));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("declined");
    assertThat(data.getString("detail")).isEqualTo("card declined");
    assertThat(data.getJsonObject("amount")).isEqualTo(new Money(1_000, "EUR").toJson());
    assertThat(payment(order).get("status")).isEqualTo("failed");
    assertThat(ledger(order).captures()).isZero();
  }

  @Test
  void insufficientFundsFailWithThatReason() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-3", 1_000, TestCards.INSUFFICIENT_FUNDS));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("insufficient_funds");
    assertThat(payment(order).get("failure_reason")).isEqualTo("insufficient_funds");
  }

  @Test
  void theSameOrderCreatedDeliveredTwiceChargesOnceAndPublishesOnce() {
    UUID order = UUID.randomUUID();
    String created = orderCreated(order, "acc-4", 2_500, TestCards.APPROVED);
    send(created);
    send(created);
    // The order service's relay may even publish it again under a new event id.
    JsonObject republished = new JsonObject(created).put("eventId", UUID.randomUUID().toString());
    send(republished.encode());

    awaitEvent(order, "PaymentSucceeded");
    waitUntil(
        () ->
            queryLong(
                    "SELECT count(*) FROM processed_events WHERE event_type = 'OrderCreated'"
                        + " AND event_id IN ('"
                        + new JsonObject(created).getString("eventId")
                        + "', '"
                        + republished.getString("eventId")
                        + "')")
                == 2,
        "all three deliveries to be handled");
    settle();
    assertThat(events(order)).hasSize(1);
    assertThat(ledger(order).captures()).isEqualTo(1);
    assertThat(queryLong("SELECT count(*) FROM payments WHERE order_id = '" + order + "'"))
        .isEqualTo(1);
    assertThat(queryLong("SELECT count(*) FROM outbox WHERE event_key = '" + order + "'"))
        .isEqualTo(1);
  }

  @Test
  void aProcessorErrorIsRetriedABoundedNumberOfTimesThenFailsWithProcessorError() {
    UUID order = UUID.randomUUID();
    double retriesBefore = counter("storefront_payment_charge_retries");
    send(orderCreated(order, "acc-5", 700, TestCards.PROCESSOR_ERROR));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("processor_error");
    assertThat(data.getString("detail")).contains("after 3 requests");
    Map<String, Object> row = payment(order);
    assertThat(row.get("attempts")).isEqualTo(3);
    assertThat(row.get("reversal_pending")).isEqualTo(false);
    assertThat(processor.ledger(order.toString())).isEmpty();
    assertThat(counter("storefront_payment_charge_retries") - retriesBefore).isEqualTo(2);
  }

  @Test
  void aChargeThatTimesOutIsGivenUpOnAndReversedSoItNeverCaptures() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-6", 900, TestCards.SLOW));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("processor_error");
    assertThat(data.getString("detail")).contains("timed out");
    waitUntil(() -> !(Boolean) payment(order).get("reversal_pending"), "the reversal");
    assertThat(ledger(order).state()).isEqualTo("voided");
    // One charge at the processor, asked for three times; once it answers, it has not captured.
    assertThat(ledger(order).chargeRequests()).isEqualTo(3);
    ChargeResult late =
        await(processor.charge(ChargeRequest.resume(order.toString(), new Money(900, "EUR"))));
    assertThat(late.outcome()).isEqualTo(ChargeResult.Outcome.DECLINED);
    assertThat(ledger(order).captures()).isZero();
    assertThat(counter("storefront_payment_refunds", "outcome", "voided")).isGreaterThan(0);
    assertThat(payment(order).get("status")).isEqualTo("failed");
  }

  @Test
  void anOrderCancelledBeforeItsOrderCreatedIsNeverCharged() {
    UUID order = UUID.randomUUID();
    String created = orderCreated(order, "acc-7", 1_200, TestCards.APPROVED);
    String cancelled = orderCancelled(order, "acc-7", 1_200, "payment_timeout");
    send(cancelled);
    send(created);

    waitUntil(
        () ->
            queryLong(
                    "SELECT count(*) FROM processed_events WHERE event_id IN ('"
                        + eventId(created)
                        + "', '"
                        + eventId(cancelled)
                        + "')")
                == 2,
        "both events to be handled");
    Map<String, Object> row = payment(order);
    assertThat(row.get("status")).isEqualTo("voided");
    assertThat(row.get("attempts")).isEqualTo(0);
    assertThat(processor.ledger(order.toString())).isEmpty();
    settle();
    assertThat(events(order)).isEmpty();
    assertThat(queryLong("SELECT count(*) FROM outbox WHERE event_key = '" + order + "'")).isZero();
    assertThat(counter("storefront_payment_voids")).isGreaterThan(0);
  }

  @Test
  void anOrderCancelledAfterASuccessfulChargeIsRefundedOnce() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-8", 3_300, TestCards.APPROVED));
    awaitEvent(order, "PaymentSucceeded");

    String cancelled = orderCancelled(order, "acc-8", 3_300, "payment_declined");
    send(cancelled);
    send(cancelled);

    JsonObject refunded = awaitEvent(order, "PaymentRefunded");
    assertThat(refunded.getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("paymentId", payment(order).get("id").toString())
                .put("accountId", "acc-8")
                .put("amount", new Money(3_300, "EUR").toJson())
                .put("reason", "order_cancelled"));
    settle();
    assertThat(events(order))
        .extracting(e -> e.getString("type"))
        .containsExactly("PaymentSucceeded", "PaymentRefunded");
    assertThat(payment(order).get("status")).isEqualTo("refunded");
    assertThat(ledger(order).refunds()).isEqualTo(1);
    assertThat(ledger(order).captures()).isEqualTo(1);
  }

  @Test
  void recoveryFinishesAPaymentWhoseProcessDiedAfterChargingWithoutChargingAgain() {
    UUID order = UUID.randomUUID();
    // As a process that died between the charge and recording it leaves things: a pending row,
    // and a charge at the processor under the order's key.
    await(
        processor.charge(
            new ChargeRequest(order.toString(), new Money(4_100, "EUR"), TestCards.APPROVED)));
    sql(
        "INSERT INTO payments (id, order_id, account_id, amount_minor, currency, status,"
            + " card_last4, attempts, updated_at) VALUES (gen_random_uuid(), '"
            + order
            + "', 'acc-9', 4100, 'EUR', 'pending', '4242', 1, now() - interval '1 minute')");
    double redrivesBefore = counter("storefront_payment_recovery_redrives", "kind", "charge");

    JsonObject event = awaitEvent(order, "PaymentSucceeded");
    assertThat(event.getJsonObject("data").getString("accountId")).isEqualTo("acc-9");
    assertThat(payment(order).get("status")).isEqualTo("succeeded");
    LedgerEntry entry = ledger(order);
    assertThat(entry.captures()).isEqualTo(1);
    assertThat(entry.chargeRequests()).isGreaterThanOrEqualTo(2);
    assertThat(counter("storefront_payment_recovery_redrives", "kind", "charge"))
        .isGreaterThan(redrivesBefore);
    settle();
    assertThat(events(order)).hasSize(1);
  }

  @Test
  void aRedeliveredOrderCreatedFinishesAPaymentItsFirstDeliveryLeftPending() {
    UUID order = UUID.randomUUID();
    String created = orderCreated(order, "acc-13", 2_200, TestCards.APPROVED);
    // The first delivery recorded the event and the pending payment, then its process died
    // before the processor heard of the charge; the offset was never committed.
    sql(
        "INSERT INTO processed_events (event_id, event_type) VALUES ('"
            + eventId(created)
            + "', 'OrderCreated')");
    sql(
        "INSERT INTO payments (id, order_id, account_id, amount_minor, currency, status,"
            + " card_last4) VALUES (gen_random_uuid(), '"
            + order
            + "', 'acc-13', 2200, 'EUR', 'pending', '4242')");

    send(created);

    awaitEvent(order, "PaymentSucceeded");
    assertThat(ledger(order).captures()).isEqualTo(1);
    assertThat(queryLong("SELECT count(*) FROM payments WHERE order_id = '" + order + "'"))
        .isEqualTo(1);
  }

  @Test
  void recoveryGivesUpOnAPendingPaymentWhoseChargeNeverReachedTheProcessor() {
    UUID recent = UUID.randomUUID();
    UUID abandoned = UUID.randomUUID();
    sql(
        "INSERT INTO payments (id, order_id, account_id, amount_minor, currency, status,"
            + " attempts, created_at, updated_at) VALUES"
            + " (gen_random_uuid(), '"
            + recent
            + "', 'acc-10', 100, 'EUR', 'pending', 0,"
            + " now(), now() - interval '1 minute'),"
            + " (gen_random_uuid(), '"
            + abandoned
            + "', 'acc-10', 100, 'EUR', 'pending', 0,"
            + " now() - interval '1 hour', now() - interval '1 minute')");

    JsonObject data = awaitEvent(abandoned, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("processor_error");
    assertThat(data.getString("detail")).contains("never reached");
    // The recent one waits for its OrderCreated to come again with the card.
    assertThat(payment(recent).get("status")).isEqualTo("pending");
    assertThat(events(recent)).isEmpty();
    send(orderCreated(recent, "acc-10", 100, TestCards.APPROVED));
    awaitEvent(recent, "PaymentSucceeded");
    assertThat(ledger(recent).captures()).isEqualTo(1);
  }

  @Test
  void anOrderEventWithUnreadableDataGoesToTheDeadLetterTopicAndOthersPass() {
    UUID order = UUID.randomUUID();
    JsonObject broken = new JsonObject(orderCreated(order, "acc-11", 100, TestCards.APPROVED));
    broken.getJsonObject("data").remove("total");
    List<JsonObject> deadLetters = new CopyOnWriteArrayList<>();
    KafkaConsumer<String, String> dlq =
        KafkaClients.consumer(
            vertx, new KafkaConfig(broker.bootstrapServers(), "dlq-" + order, "dlq-" + order));
    dlq.handler(
        r -> {
          if (order.toString().equals(r.key())) {
            JsonObject headers = new JsonObject();
            r.headers().forEach(h -> headers.put(h.key(), h.value().toString()));
            deadLetters.add(new JsonObject().put("value", r.value()).put("headers", headers));
          }
        });
    try {
      await(dlq.subscribe("orders.events.dlq"));
      send(broken.encode());
      UUID after = UUID.randomUUID();
      send(orderCreated(after, "acc-11", 100, TestCards.APPROVED));

      awaitEvent(after, "PaymentSucceeded");
      waitUntil(() -> !deadLetters.isEmpty(), "the dead letter");
      assertThat(new JsonObject(deadLetters.get(0).getString("value"))).isEqualTo(broken);
      assertThat(deadLetters.get(0).getJsonObject("headers").getString("storefront-consumer-group"))
          .isEqualTo("payment");
      assertThat(payment(order)).isEmpty();
    } finally {
      await(dlq.close());
    }
  }

  @Test
  void operatorsReadAPaymentOverInternalHttp() {
    UUID order = UUID.randomUUID();
    send(orderCreated(order, "acc-12", 1_500, TestCards.APPROVED));
    awaitEvent(order, "PaymentSucceeded");

    HttpResponse<Buffer> asAdmin = get("/internal/payments/" + order, ADMIN);
    assertThat(asAdmin.statusCode()).isEqualTo(200);
    JsonObject body = asAdmin.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("succeeded");
    assertThat(body.getString("cardLast4")).isEqualTo("4242");
    assertThat(body.encode()).doesNotContain("4242424242424242");

    Caller owner = new Caller("acc-12", "a@example.com", Set.of("customer"));
    Caller stranger = new Caller("acc-99", "b@example.com", Set.of("customer"));
    assertThat(get("/internal/payments/" + order, owner).statusCode()).isEqualTo(200);
    assertThat(get("/internal/payments/" + order, stranger).statusCode()).isEqualTo(404);
    assertThat(get("/internal/payments/" + order, null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> invalid = get("/internal/payments/not-a-uuid", ADMIN);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.getHeader("content-type")).startsWith("application/problem+json");
  }

  // --- payment tokens --------------------------------------------------------------------------

  @Test
  void aCardBecomesAnOpaqueTokenOfItsAccountWithBrandLastFourAndExpiry() {
    Caller owner = caller("acc-tok-1");
    HttpResponse<Buffer> issued =
        tokenize(owner, cardBody("4242 4242 4242 4242", 12, 2031).put("cvc", "987"));

    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(201);
    JsonObject body = issued.bodyAsJsonObject();
    String token = body.getString("token");
    assertThat(token).matches("tok_[A-Za-z0-9_-]{32}");
    assertThat(issued.getHeader("Location")).isEqualTo("/api/payments/tokens/" + token);
    assertThat(body.getString("brand")).isEqualTo("visa");
    assertThat(body.getString("last4")).isEqualTo("4242");
    assertThat(body.getInteger("expMonth")).isEqualTo(12);
    assertThat(body.getInteger("expYear")).isEqualTo(2031);
    assertThat(java.time.Instant.parse(body.getString("expiresAt")))
        .isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
    assertThat(body.encode()).doesNotContain("4242424242424242").doesNotContain("987");

    // The card is kept sealed: neither its number nor its code is in the row.
    Map<String, Object> row = row("SELECT * FROM payment_tokens WHERE id = '" + token + "'");
    assertThat(row.get("account_id")).isEqualTo("acc-tok-1");
    assertThat(row.get("last4")).isEqualTo("4242");
    assertThat(
            queryLong(
                "SELECT count(*) FROM payment_tokens t WHERE t::text LIKE '%4242424242424242%'"
                    + " OR encode(card_sealed, 'escape') LIKE '%4242424242424242%'"))
        .isZero();

    HttpResponse<Buffer> read = get("/api/payments/tokens/" + token, owner);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("last4")).isEqualTo("4242");
    assertThat(read.bodyAsJsonObject().getBoolean("expired")).isFalse();
    assertThat(get("/api/payments/tokens/" + token, caller("acc-tok-2")).statusCode())
        .isEqualTo(404);
    assertThat(get("/api/payments/tokens/tok_unknownunknownunknown", owner).statusCode())
        .isEqualTo(404);
    assertThat(counter("storefront_payment_tokens_issued", "brand", "visa")).isGreaterThan(0);
  }

  @Test
  void aBadCardGetsAClearProblemAndNoToken() {
    Caller shopper = caller("acc-tok-3");
    long before = queryLong("SELECT count(*) FROM payment_tokens");

    HttpResponse<Buffer> luhn = tokenize(shopper, cardBody("4242424242424241", 12, 2031));
    assertThat(luhn.statusCode()).isEqualTo(422);
    assertThat(luhn.getHeader("content-type")).startsWith("application/problem+json");
    assertThat(luhn.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:invalid-card-number");
    assertThat(luhn.bodyAsString()).doesNotContain("4242424242424241");

    HttpResponse<Buffer> expired = tokenize(shopper, cardBody(TestCards.APPROVED, 1, 2020));
    assertThat(expired.statusCode()).isEqualTo(422);
    assertThat(expired.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:card-expired");

    assertThat(tokenize(shopper, cardBody("4242", 12, 2031)).statusCode()).isEqualTo(400);
    assertThat(tokenize(shopper, cardBody(TestCards.APPROVED, 13, 2031)).statusCode())
        .isEqualTo(400);
    assertThat(
            tokenize(shopper, cardBody(TestCards.APPROVED, 12, 2031).put("cvc", "12")).statusCode())
        .isEqualTo(400);
    assertThat(tokenize(shopper, new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(tokenize(null, cardBody(TestCards.APPROVED, 12, 2031)).statusCode()).isEqualTo(401);
    assertThat(queryLong("SELECT count(*) FROM payment_tokens")).isEqualTo(before);
  }

  @Test
  void anotherAccountsTokenIsDeclinedWithoutAskingTheProcessor() {
    UUID order = UUID.randomUUID();
    String foreign = token("acc-tok-owner", TestCards.APPROVED);
    send(orderCreatedWithToken(order, "acc-tok-thief", 1_000, foreign));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("declined");
    assertThat(data.getString("detail")).isEqualTo("unknown payment token");
    assertThat(payment(order).get("status")).isEqualTo("failed");
    assertThat(payment(order).get("card_last4")).isNull();
    assertThat(processor.ledger(order.toString())).isEmpty();
    assertThat(counter("storefront_payment_token_refusals", "reason", "unknown")).isGreaterThan(0);

    UUID unknown = UUID.randomUUID();
    send(orderCreatedWithToken(unknown, "acc-tok-thief", 1_000, "tok_neverissuedneverissued"));
    assertThat(awaitEvent(unknown, "PaymentFailed").getJsonObject("data").getString("detail"))
        .isEqualTo("unknown payment token");
    assertThat(processor.ledger(unknown.toString())).isEmpty();
  }

  @Test
  void aTokenExpiredWhenTheOrderWasPlacedIsDeclined() {
    String account = "acc-tok-5";
    String token = token(account, TestCards.APPROVED);
    sql(
        "UPDATE payment_tokens SET expires_at = now() - interval '1 minute' WHERE id = '"
            + token
            + "'");
    UUID order = UUID.randomUUID();
    send(orderCreatedWithToken(order, account, 1_000, token));

    JsonObject data = awaitEvent(order, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("detail")).isEqualTo("payment token expired");
    assertThat(processor.ledger(order.toString())).isEmpty();
    assertThat(
            get("/api/payments/tokens/" + token, caller(account))
                .bodyAsJsonObject()
                .getBoolean("expired"))
        .isTrue();
  }

  @Test
  void expiredTokensArePurgedWithTheirCardsAfterTheirRetention() {
    String token = token("acc-tok-6", TestCards.APPROVED);
    sql(
        "UPDATE payment_tokens SET expires_at = now() - interval '3 days' WHERE id = '"
            + token
            + "'");
    waitUntil(
        () -> queryLong("SELECT count(*) FROM payment_tokens WHERE id = '" + token + "'") == 0,
        "the expired token to be deleted");
    assertThat(counter("storefront_payment_tokens_purged")).isGreaterThan(0);
  }

  @Test
  void versionOneEventsAreStillReadTheirCardChargedOnceOrTheRemovedCardDeclined() {
    UUID legacy = UUID.randomUUID();
    send(orderCreatedV1(legacy, "acc-v1", 1_000, TestCards.APPROVED));
    awaitEvent(legacy, "PaymentSucceeded");
    assertThat(payment(legacy).get("card_last4")).isEqualTo("4242");
    assertThat(ledger(legacy).captures()).isEqualTo(1);

    UUID migrated = UUID.randomUUID();
    send(orderCreatedV1(migrated, "acc-v1", 1_000, "removed"));
    JsonObject data = awaitEvent(migrated, "PaymentFailed").getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("declined");
    assertThat(data.getString("detail")).isEqualTo("card number removed from the order");
    assertThat(processor.ledger(migrated.toString())).isEmpty();
  }

  @Test
  void noCardNumberIsInAnyTableLogLineOrMetric() {
    UUID paid = UUID.randomUUID();
    UUID declined = UUID.randomUUID();
    send(orderCreated(paid, "acc-scan", 1_000, TestCards.APPROVED));
    send(orderCreated(declined, "acc-scan", 1_000, TestCards.DECLINED));
    awaitEvent(paid, "PaymentSucceeded");
    awaitEvent(declined, "PaymentFailed");

    for (String table : List.of("payments", "outbox", "processed_events", "payment_tokens")) {
      for (String card : CARD_NUMBERS) {
        assertThat(
                queryLong(
                    "SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%" + card + "%'"))
            .as("rows of %s holding %s", table, card)
            .isZero();
      }
    }
    // Every payment event this test run published, as it went over Kafka.
    String published = paymentEvents.values().toString();
    List<String> lines =
        logs.list.stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
            .toList();
    assertThat(lines).isNotEmpty();
    String metrics =
        meters.getMeters().stream().map(m -> m.getId().toString()).reduce("", String::concat);
    for (String card : CARD_NUMBERS) {
      assertThat(published).doesNotContain(card);
      assertThat(lines).noneMatch(line -> line.contains(card));
      assertThat(metrics).doesNotContain(card);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** An OrderCreated (version 2) paying with a token the account was issued for {@code card}. */
  private static String orderCreated(UUID order, String account, long amount, String card) {
    return orderCreatedWithToken(order, account, amount, token(account, card));
  }

  private static String orderCreatedWithToken(
      UUID order, String account, long amount, String paymentToken) {
    JsonObject data =
        new JsonObject()
            .put("accountId", account)
            .put("items", items(amount))
            .put("total", new Money(amount, "EUR").toJson())
            .put("paymentToken", paymentToken)
            .put("cartUpdatedAt", null)
            .put("contactEmail", null);
    EventEnvelope created = EventEnvelope.create("OrderCreated", order, data);
    return new EventEnvelope(
            created.eventId(), created.type(), 2, created.occurredAt(), order, data)
        .toJson()
        .encode();
  }

  /** The token of {@code account} for {@code card}, issued once over HTTP. */
  private static String token(String account, String card) {
    return tokens.computeIfAbsent(
        account + "|" + card,
        k -> {
          HttpResponse<Buffer> issued = tokenize(caller(account), cardBody(card, 12, 2031));
          assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(201);
          return issued.bodyAsJsonObject().getString("token");
        });
  }

  private static Caller caller(String account) {
    return new Caller(account, account + "@example.com", Set.of("customer"));
  }

  private static JsonObject cardBody(String number, int month, int year) {
    return new JsonObject()
        .put("number", number)
        .put("expMonth", month)
        .put("expYear", year)
        .put("cvc", "123");
  }

  private static HttpResponse<Buffer> tokenize(Caller caller, JsonObject body) {
    var request = web.post(verticle.port(), "127.0.0.1", "/api/payments/tokens");
    if (caller != null) {
      request.putHeader(InternalTokens.HEADER, issuer.issue(caller));
    }
    return await(request.sendJsonObject(body));
  }

  /** An OrderCreated as version 1 published it: the card number itself in paymentToken. */
  private static String orderCreatedV1(UUID order, String account, long amount, String card) {
    JsonObject data =
        new JsonObject()
            .put("accountId", account)
            .put("items", items(amount))
            .put("total", new Money(amount, "EUR").toJson())
            .put("paymentToken", card)
            .put("cartUpdatedAt", null);
    return EventEnvelope.create("OrderCreated", order, data).toJson().encode();
  }

  private static String orderCancelled(UUID order, String account, long amount, String reason) {
    JsonObject data =
        new JsonObject()
            .put("accountId", account)
            .put("items", items(amount))
            .put("total", new Money(amount, "EUR").toJson())
            .put("reason", reason)
            .put("paymentId", null);
    return EventEnvelope.create("OrderCancelled", order, data).toJson().encode();
  }

  private static JsonArray items(long amount) {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("productId", UUID.randomUUID().toString())
                .put("quantity", 1)
                .put("unitPrice", new Money(amount, "EUR").toJson()));
  }

  private static String eventId(String event) {
    return new JsonObject(event).getString("eventId");
  }

  private static void send(String event) {
    String key = new JsonObject(event).getString("orderId");
    await(producer.send(KafkaProducerRecord.create("orders.events", key, event)));
  }

  private static List<JsonObject> events(UUID order) {
    return paymentEvents.getOrDefault(order.toString(), List.of());
  }

  private static JsonObject awaitEvent(UUID order, String type) {
    waitUntil(
        () -> events(order).stream().anyMatch(e -> type.equals(e.getString("type"))),
        type + " for order " + order);
    return events(order).stream().filter(e -> type.equals(e.getString("type"))).findFirst().get();
  }

  /** Time for anything that should not happen to show up, had it happened. */
  private static void settle() {
    sleep(1_500);
  }

  private static LedgerEntry ledger(UUID order) {
    return processor
        .ledger(order.toString())
        .orElseThrow(() -> new AssertionError("the processor never saw order " + order));
  }

  private static boolean ready() {
    try {
      return await(web.get(verticle.managementPort(), "127.0.0.1", "/health/ready").send())
              .statusCode()
          == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static HttpResponse<Buffer> get(String path, Caller caller) {
    var request = web.get(verticle.port(), "127.0.0.1", path);
    if (caller != null) {
      request.putHeader(InternalTokens.HEADER, issuer.issue(caller));
    }
    return await(request.send());
  }

  private static double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Map<String, Object> payment(UUID order) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO payments");
      ResultSet rs = s.executeQuery("SELECT * FROM payments WHERE order_id = '" + order + "'");
      Map<String, Object> row = new HashMap<>();
      if (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
      }
      return row;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> row(String query) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO payments");
      ResultSet rs = s.executeQuery(query);
      Map<String, Object> row = new HashMap<>();
      if (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
      }
      return row;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long queryLong(String query) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO payments");
      ResultSet rs = s.executeQuery(query);
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String statement) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO payments");
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }
}
