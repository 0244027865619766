package dev.storefront.order;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.events.Topics;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The order service as the stack runs it (the real verticle, its migrations, two event-loop
 * servers, the outbox relay, the payment-events consumer, the sweeper) against a throwaway database
 * and a real Kafka broker, with a stand-in cart and catalog found through discovery.
 */
class OrderSagaIT {

  /** A payment token the payment stand-in lets any account use. */
  private static final String CARD = "tok_sagaSharedToken0123456789abcd";

  /** Card numbers that must never be stored, published or logged. */
  private static final List<String> CARD_NUMBERS =
      List.of("4242424242424242", "4000000000000002", "4000000000009995");

  @TempDir static Path kafkaDir;

  private static ThrowawayDatabase db;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static StandIns.Cart cart;
  private static StandIns.Catalog catalog;
  private static StandIns.Payment payment;
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static OrderVerticle order;
  private static SimpleMeterRegistry meters;
  private static WebClient web;
  private static InternalTokens.Issuer issuer;
  private static KafkaProducer<String, String> producer;
  private static KafkaConsumer<String, String> consumer;
  private static final List<KafkaConsumerRecord<String, String>> published =
      new CopyOnWriteArrayList<>();
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("order_saga");
    broker = KafkaBroker.start(kafkaDir, 0, 0);
    vertx = Vertx.vertx();
    KafkaConfig kafka = new KafkaConfig(broker.bootstrapServers(), "order-it", "order-it");
    await(
        Topics.ensure(
            vertx, kafka, List.of("orders.events", "payments.events"), Topics.Settings.defaults()));
    cart = await(new StandIns.Cart().start(vertx));
    catalog = await(new StandIns.Catalog().start(vertx));
    payment = await(new StandIns.Payment().start(vertx));
    payment.anyone.add(CARD);
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    EcKeys.SigningKey key = EcKeys.generate();
    issuer = new InternalTokens.Issuer(vertx, key);
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "2");
    env.put("PG_POOL_SIZE", "8");
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    env.put("OUTBOX_POLL_INTERVAL_MS", "50");
    env.put("EVENTS_RETRY_BASE_MS", "50");
    env.put("ORDER_SWEEP_INTERVAL_MS", "200");
    env.put("ORDER_CHECKOUT_LEASE_S", "2");
    env.put("ORDER_CATALOG_TIMEOUT_MS", "1500");
    meters = new SimpleMeterRegistry();
    order = new OrderVerticle(Env.of(env), meters);
    await(vertx.deployVerticle(order));
    port = order.port();
    web = WebClient.create(vertx);

    producer = KafkaClients.producer(vertx, kafka);
    Map<String, String> consumerConfig =
        KafkaClients.consumerConfig(new KafkaConfig(broker.bootstrapServers(), "it-reader", "it"));
    consumer = KafkaConsumer.create(vertx, consumerConfig);
    consumer.handler(published::add);
    await(consumer.subscribe("orders.events"));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    try {
      if (vertx != null) {
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

  // ---------------------------------------------------------------- checkout

  // ------------------------------------------------------------- payment tokens

  @Test
  void aCardNumberInPlaceOfTheTokenIsRefusedAndGoesNowhere() throws Exception {
    String kim = account();
    cart.set(kim, true, line(product(10), "Book", 1, 1999));
    int asked = payment.asked.size();

    for (String card : List.of("4242424242424242", "4000 0000 0000 0002")) {
      HttpResponse<Buffer> refused = checkout(kim, UUID.randomUUID().toString(), card);
      assertProblem(refused, 400);
      assertThat(refused.bodyAsJsonObject().getString("detail"))
          .contains("never a card number")
          .doesNotContain(card);
    }
    assertThat(payment.asked).hasSize(asked);
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + kim + "'"))
        .isZero();
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.idempotency_keys WHERE account_id = '" + kim + "'"))
        .isZero();
  }

  @Test
  void anotherAccountsOrAnUnknownTokenIs422AndNothingIsReservedOrOrdered() throws Exception {
    String lena = account();
    String mark = account();
    String book = product(10);
    String marksToken = "tok_marksOwnToken_0123456789abcd";
    payment.owners.put(marksToken, mark);
    cart.set(lena, true, line(book, "Book", 1, 1999));
    String key = UUID.randomUUID().toString();

    HttpResponse<Buffer> foreign = checkout(lena, key, marksToken);
    assertProblem(foreign, 422);
    assertThat(foreign.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:payment-token-unknown");
    HttpResponse<Buffer> unknown =
        checkout(lena, UUID.randomUUID().toString(), "tok_neverIssued_0123456789abcdef");
    assertProblem(unknown, 422);
    assertThat(unknown.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:payment-token-unknown");
    assertThat(catalog.stock.get(book)).isEqualTo(10);
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + lena + "'"))
        .isZero();

    // The refusal freed the key; with a token of her own the same key checks out.
    String lenasToken = "tok_lenasOwnToken_0123456789abcd";
    payment.owners.put(lenasToken, lena);
    assertThat(checkout(lena, UUID.randomUUID().toString(), lenasToken).statusCode())
        .isEqualTo(201);
    // The owner's identity went to the payment service.
    cart.set(mark, true, line(product(10), "Pen", 1, 250));
    assertThat(checkout(mark, key, marksToken).statusCode()).isEqualTo(201);
  }

  @Test
  void anExpiredTokenIs422() throws Exception {
    String nora = account();
    String token = "tok_norasOldToken_0123456789abcd";
    payment.owners.put(token, nora);
    payment.expired.add(token);
    cart.set(nora, true, line(product(10), "Book", 1, 1999));

    HttpResponse<Buffer> expired = checkout(nora, UUID.randomUUID().toString(), token);
    assertProblem(expired, 422);
    assertThat(expired.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:payment-token-expired");
  }

  @Test
  void whenThePaymentServiceCannotAnswerCheckoutGoesOnWithTheToken() throws Exception {
    String olga = account();
    String token = "tok_olgasToken_0123456789abcdefg";
    cart.set(olga, true, line(product(10), "Book", 1, 1999));
    payment.failing = true;
    try {
      HttpResponse<Buffer> response = checkout(olga, UUID.randomUUID().toString(), token);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      String orderId = response.bodyAsJsonObject().getString("id");
      EventEnvelope created =
          EventEnvelope.fromJson(new JsonObject(awaitEvent(orderId, "OrderCreated").value()));
      // The payment service checks the token when it charges, and declines it if it must.
      assertThat(created.data().getString("paymentToken")).isEqualTo(token);
    } finally {
      payment.failing = false;
    }
  }

  @Test
  void noCardNumberIsInAnyTableEventOrLogLine() throws Exception {
    String paul = account();
    cart.set(paul, true, line(product(10), "Book", 1, 1999));
    for (String card : CARD_NUMBERS) {
      checkout(paul, UUID.randomUUID().toString(), card);
    }
    String orderId = placeOrder(paul);
    awaitEvent(orderId, "OrderCreated");

    for (String table :
        List.of(
            "orders",
            "order_items",
            "idempotency_keys",
            "outbox",
            "unsettled_reservations",
            "processed_events")) {
      for (String card : CARD_NUMBERS) {
        assertThat(
                sqlLong(
                    "SELECT count(*) FROM orders."
                        + table
                        + " t WHERE t::text LIKE '%"
                        + card
                        + "%'"))
            .as("rows of %s holding %s", table, card)
            .isZero();
      }
    }
    String events = published.stream().map(KafkaConsumerRecord::value).toList().toString();
    List<String> lines =
        logs.list.stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
            .toList();
    assertThat(lines).isNotEmpty();
    for (String card : CARD_NUMBERS) {
      assertThat(events).doesNotContain(card);
      assertThat(lines).noneMatch(line -> line.contains(card));
    }
  }

  @Test
  void theMigrationReplacesCardNumbersInVersionOneEventsAndLeavesTokensAlone() throws Exception {
    String oldOrder = UUID.randomUUID().toString();
    JsonObject v1 =
        new JsonObject()
            .put("eventId", UUID.randomUUID().toString())
            .put("type", "OrderCreated")
            .put("version", 1)
            .put("occurredAt", "2026-11-22T02:40:00.123Z")
            .put("orderId", oldOrder)
            .put(
                "data",
                new JsonObject()
                    .put("accountId", "acct-old")
                    .put("total", StandIns.money(100))
                    .put("paymentToken", "4242424242424242"));
    sql(
        "INSERT INTO orders.outbox (event_id, topic, event_key, event_type, payload,"
            + " published_at) VALUES ('"
            + v1.getString("eventId")
            + "', 'orders.events', '"
            + oldOrder
            + "', 'OrderCreated', '"
            + v1.encode()
            + "'::jsonb, now())");
    String kept = placeOrder(account());

    sql(
        "SET search_path TO orders; "
            + new String(
                OrderSagaIT.class
                    .getResourceAsStream("/db/orders/V3__no_card_numbers.sql")
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));

    assertThat(
            sqlText(
                "SELECT payload->'data'->>'paymentToken' FROM orders.outbox WHERE event_key = '"
                    + oldOrder
                    + "'"))
        .isEqualTo("removed");
    assertThat(
            sqlText(
                "SELECT payload->'data'->>'paymentToken' FROM orders.outbox WHERE event_key = '"
                    + kept
                    + "' AND event_type = 'OrderCreated'"))
        .isEqualTo(CARD);
    assertThat(
            sqlLong("SELECT count(*) FROM orders.outbox t WHERE t::text LIKE '%4242424242424242%'"))
        .isZero();
  }

  @Test
  void checkoutWritesOrderItemsAndOutboxAndTheRelayPublishesOrderCreated() throws Exception {
    String alice = account();
    String book = product(10);
    String pen = product(10);
    cart.set(alice, true, line(book, "Book", 2, 1999), line(pen, "Pen", 1, 250));
    String key = UUID.randomUUID().toString();

    HttpResponse<Buffer> response = checkout(alice, key, CARD);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject body = response.bodyAsJsonObject();
    String orderId = body.getString("id");
    assertThat(response.getHeader("Location")).isEqualTo("/api/orders/" + orderId);
    assertThat(body.getString("status")).isEqualTo("pending");
    assertThat(body.getJsonObject("total")).isEqualTo(StandIns.money(4248));
    assertThat(body.getJsonArray("items"))
        .containsExactly(
            new JsonObject()
                .put("productId", book)
                .put("name", "Book")
                .put("quantity", 2)
                .put("unitPrice", StandIns.money(1999)),
            new JsonObject()
                .put("productId", pen)
                .put("name", "Pen")
                .put("quantity", 1)
                .put("unitPrice", StandIns.money(250)));
    assertThat(body.containsKey("cancelReason")).isFalse();

    // The caller's identity went along to the cart and the catalog.
    assertThat(StandIns.subject(cart.identities.get(cart.identities.size() - 1))).isNotNull();
    assertThat(catalog.reserved.get(orderId))
        .isEqualTo(
            new JsonArray()
                .add(new JsonObject().put("productId", book).put("quantity", 2))
                .add(new JsonObject().put("productId", pen).put("quantity", 1)));
    assertThat(catalog.stock.get(book)).isEqualTo(8);

    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo(1);
    assertThat(sqlText("SELECT status FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo("pending");
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.orders WHERE id = '"
                    + orderId
                    + "' AND payment_deadline > created_at + interval '100 seconds'"))
        .isEqualTo(1);
    assertThat(
            sqlLong("SELECT count(*) FROM orders.order_items WHERE order_id = '" + orderId + "'"))
        .isEqualTo(2);
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                    + orderId
                    + "' AND event_type = 'OrderCreated' AND topic = 'orders.events'"))
        .isEqualTo(1);

    KafkaConsumerRecord<String, String> record = awaitEvent(orderId, "OrderCreated");
    assertThat(record.key()).isEqualTo(orderId);
    EventEnvelope event = EventEnvelope.fromJson(new JsonObject(record.value()));
    assertThat(event.version()).isEqualTo(2);
    assertThat(event.orderId().toString()).isEqualTo(orderId);
    JsonObject data = event.data();
    assertThat(data.getString("accountId")).isEqualTo(alice);
    assertThat(data.getString("paymentToken")).isEqualTo(CARD);
    assertThat(data.getString("contactEmail")).isEqualTo(alice + "@example.com");
    assertThat(data.getJsonObject("total")).isEqualTo(StandIns.money(4248));
    assertThat(data.getJsonArray("items").getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("productId", book)
                .put("quantity", 2)
                .put("unitPrice", StandIns.money(1999)));
    assertThat(data.getString("cartUpdatedAt")).isEqualTo(cart.get(alice).getString("updatedAt"));
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                        + orderId
                        + "' AND published_at IS NOT NULL")
                == 1);
  }

  @Test
  void aRepeatedCheckoutAnswersTheSameAndOrdersOnce() throws Exception {
    String bob = account();
    String book = product(10);
    cart.set(bob, true, line(book, "Book", 1, 1999));
    String key = "repeat-" + UUID.randomUUID();

    HttpResponse<Buffer> first = checkout(bob, key, CARD);
    // Formatted differently, the same request.
    HttpResponse<Buffer> second =
        send(
            HttpMethod.POST,
            "/api/orders",
            bob,
            key,
            Buffer.buffer("{\n  \"paymentToken\" : \"" + CARD + "\"\n}"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + bob + "'"))
        .isEqualTo(1);
    assertThat(catalog.stock.get(book)).isEqualTo(9);
    assertThat(
            meters.get("storefront_order_checkouts").tag("outcome", "replayed").counter().count())
        .isPositive();
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() throws Exception {
    String carol = account();
    cart.set(carol, true, line(product(10), "Book", 1, 1999));
    String key = "reuse-" + UUID.randomUUID();
    assertThat(checkout(carol, key, CARD).statusCode()).isEqualTo(201);

    HttpResponse<Buffer> other = checkout(carol, key, "tok_anotherToken_0123456789abcd");

    assertProblem(other, 422);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:idempotency-key-reused");
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + carol + "'"))
        .isEqualTo(1);
  }

  @Test
  void aRepeatWhileTheFirstIsInFlightIs409() throws Exception {
    String dave = account();
    cart.set(dave, true, line(product(10), "Book", 1, 1999));
    String key = "inflight-" + UUID.randomUUID();
    int reservesBefore = catalog.reserveRequests.size();
    catalog.reserveDelayMs = 500;
    try {
      Future<HttpResponse<Buffer>> first = checkoutAsync(dave, key, CARD);
      awaitTrue(() -> catalog.reserveRequests.size() > reservesBefore);

      HttpResponse<Buffer> second = checkout(dave, key, CARD);

      assertProblem(second, 409);
      assertThat(second.bodyAsJsonObject().getString("type"))
          .isEqualTo("urn:storefront:problem:checkout-in-progress");
      assertThat(second.getHeader("Retry-After")).isEqualTo("1");
      assertThat(await(first).statusCode()).isEqualTo(201);
      assertThat(checkout(dave, key, CARD).statusCode()).isEqualTo(201);
    } finally {
      catalog.reserveDelayMs = 0;
    }
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + dave + "'"))
        .isEqualTo(1);
  }

  @Test
  void insufficientStockIs409NamingTheProductAndOrdersNothing() throws Exception {
    String erin = account();
    String scarce = product(1);
    String plenty = product(10);
    cart.set(erin, true, line(plenty, "Pen", 1, 250), line(scarce, "Rare book", 2, 9999));
    String key = "stock-" + UUID.randomUUID();

    HttpResponse<Buffer> refused = checkout(erin, key, CARD);

    assertProblem(refused, 409);
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:storefront:problem:insufficient-stock");
    assertThat(problem.getJsonArray("productIds")).containsExactly(scarce);
    assertThat(problem.getString("detail")).contains(scarce);
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + erin + "'"))
        .isZero();
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.idempotency_keys WHERE account_id = '" + erin + "'"))
        .isZero();
    assertThat(catalog.stock.get(plenty)).isEqualTo(10);

    // Nothing was kept of the refusal: once there is stock, the same key orders.
    catalog.stock.put(scarce, 5);
    assertThat(checkout(erin, key, CARD).statusCode()).isEqualTo(201);
  }

  @Test
  void theSameCartUnderANewKeyIs409NamingItsOrderUntilThatOrderIsCancelled() throws Exception {
    String owen = account();
    String book = product(10);
    cart.set(owen, true, line(book, "Book", 1, 1999));
    HttpResponse<Buffer> first = checkout(owen, UUID.randomUUID().toString(), CARD);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    String orderId = first.bodyAsJsonObject().getString("id");

    // A second click, a second tab: a fresh key, the same cart, still unpaid.
    HttpResponse<Buffer> again = checkout(owen, UUID.randomUUID().toString(), CARD);

    assertProblem(again, 409);
    JsonObject problem = again.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:storefront:problem:cart-already-ordered");
    assertThat(problem.getString("orderId")).isEqualTo(orderId);
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + owen + "'"))
        .isEqualTo(1);
    assertThat(catalog.stock.get(book)).isEqualTo(9);

    // Its payment declined, the order is cancelled: that cart may be ordered again.
    publishPayment(
        EventEnvelope.create(
            "PaymentFailed",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", owen)
                .put("amount", StandIns.money(1999))
                .put("reason", "declined")
                .put("detail", "card declined")));
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.orders WHERE id = '"
                        + orderId
                        + "' AND status = 'cancelled'")
                == 1);
    HttpResponse<Buffer> retried = checkout(owen, UUID.randomUUID().toString(), CARD);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(201);

    // A changed cart is a new order, whatever became of the last.
    cart.set(owen, true, line(book, "Book", 2, 1999));
    assertThat(checkout(owen, UUID.randomUUID().toString(), CARD).statusCode()).isEqualTo(201);
  }

  @Test
  void anEmptyCartIs422AndUnverifiedPricesOrACartDownAre503() throws Exception {
    String frank = account();

    HttpResponse<Buffer> empty = checkout(frank, UUID.randomUUID().toString(), CARD);
    assertProblem(empty, 422);
    assertThat(empty.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:empty-cart");

    cart.set(frank, false, line(product(10), "Book", 1, 1999));
    HttpResponse<Buffer> unverified = checkout(frank, UUID.randomUUID().toString(), CARD);
    assertProblem(unverified, 503);
    assertThat(unverified.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:storefront:problem:prices-unverified");
    assertThat(unverified.getHeader("Retry-After")).isNotBlank();

    cart.failing = true;
    try {
      HttpResponse<Buffer> down = checkout(frank, UUID.randomUUID().toString(), CARD);
      assertProblem(down, 503);
      assertThat(down.bodyAsJsonObject().getString("type"))
          .isEqualTo("urn:storefront:problem:cart-unavailable");
      assertThat(down.getHeader("Retry-After")).isNotBlank();
    } finally {
      cart.failing = false;
    }
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + frank + "'"))
        .isZero();
  }

  @Test
  void malformedCheckoutsAre400() {
    String gina = account();

    HttpResponse<Buffer> noKey =
        send(
            HttpMethod.POST,
            "/api/orders",
            gina,
            null,
            Buffer.buffer(new JsonObject().put("paymentToken", CARD).encode()));
    HttpResponse<Buffer> badCard = checkout(gina, UUID.randomUUID().toString(), "tok_short");
    HttpResponse<Buffer> anonymous =
        await(
            web.post(port, "127.0.0.1", "/api/orders")
                .putHeader("Idempotency-Key", UUID.randomUUID().toString())
                .sendJsonObject(new JsonObject().put("paymentToken", CARD)));

    HttpResponse<Buffer> notJson =
        await(
            web.post(port, "127.0.0.1", "/api/orders")
                .putHeader(
                    InternalTokens.HEADER,
                    issuer.issue(new Caller(gina, null, Set.of(Caller.CUSTOMER))))
                .putHeader("Idempotency-Key", UUID.randomUUID().toString())
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("paymentToken=" + CARD)));

    assertProblem(notJson, 415);
    assertProblem(noKey, 400);
    assertThat(noKey.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key");
    assertProblem(badCard, 400);
    assertProblem(anonymous, 401);
  }

  @Test
  void aFailingOrderTransactionWritesNothingAndReleasesTheStock() throws Exception {
    String hank = account();
    String book = product(10);
    // A trigger that makes the insert of one item fail, after the order row went in.
    sql(
        "CREATE FUNCTION orders.refuse_item() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN IF NEW.name = 'Explodes' THEN RAISE EXCEPTION 'refused'; END IF;"
            + " RETURN NEW; END $$");
    sql(
        "CREATE TRIGGER refuse_item BEFORE INSERT ON orders.order_items FOR EACH ROW"
            + " EXECUTE FUNCTION orders.refuse_item()");
    try {
      cart.set(hank, true, line(book, "Book", 1, 1999), line(product(10), "Explodes", 1, 100));
      String key = "tx-" + UUID.randomUUID();

      HttpResponse<Buffer> failed = checkout(hank, key, CARD);

      assertProblem(failed, 500);
      String orderId = catalog.reserveRequests.get(catalog.reserveRequests.size() - 1);
      assertThat(catalog.released).contains(orderId);
      assertThat(catalog.stock.get(book)).isEqualTo(10);
      assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE account_id = '" + hank + "'"))
          .isZero();
      assertThat(
              sqlLong("SELECT count(*) FROM orders.order_items WHERE order_id = '" + orderId + "'"))
          .isZero();
      assertThat(sqlLong("SELECT count(*) FROM orders.outbox WHERE event_key = '" + orderId + "'"))
          .isZero();
      assertThat(
              sqlLong(
                  "SELECT count(*) FROM orders.idempotency_keys WHERE account_id = '" + hank + "'"))
          .isZero();
    } finally {
      sql("DROP TRIGGER refuse_item ON orders.order_items");
    }
  }

  @Test
  void aCheckoutThatCouldNotReleaseItsStockIsAnnouncedCancelled() throws Exception {
    String ivan = account();
    String book = product(10);
    sql(
        "CREATE FUNCTION orders.refuse_all() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN IF NEW.name = 'Also explodes' THEN RAISE EXCEPTION 'refused'; END IF;"
            + " RETURN NEW; END $$");
    sql(
        "CREATE TRIGGER refuse_all BEFORE INSERT ON orders.order_items FOR EACH ROW"
            + " EXECUTE FUNCTION orders.refuse_all()");
    String key = "unsettled-" + UUID.randomUUID();
    String orderId;
    catalog.releaseFailing = true;
    try {
      cart.set(ivan, true, line(book, "Also explodes", 3, 1999));
      assertProblem(checkout(ivan, key, CARD), 500);
      orderId = catalog.reserveRequests.get(catalog.reserveRequests.size() - 1);
      assertThat(catalog.stock.get(book)).isEqualTo(7);
    } finally {
      catalog.releaseFailing = false;
      sql("DROP TRIGGER refuse_all ON orders.order_items");
    }
    // The key is free at once; the order id waits for the sweeper.
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.idempotency_keys WHERE account_id = '" + ivan + "'"))
        .isZero();
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.unsettled_reservations WHERE order_id = '"
                    + orderId
                    + "'"))
        .isEqualTo(1);

    KafkaConsumerRecord<String, String> record = awaitEvent(orderId, "OrderCancelled");
    JsonObject data = new JsonObject(record.value()).getJsonObject("data");
    assertThat(data.getString("accountId")).isEqualTo(ivan);
    assertThat(data.getString("reason")).isEqualTo("payment_timeout");
    assertThat(data.getValue("paymentId")).isNull();
    assertThat(data.getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(3);
    assertThat(data.getJsonObject("total")).isEqualTo(StandIns.money(3 * 1999));
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.unsettled_reservations WHERE order_id = '"
                    + orderId
                    + "'"))
        .isZero();
    assertThat(sqlLong("SELECT count(*) FROM orders.orders WHERE id = '" + orderId + "'")).isZero();
  }

  @Test
  void aReservationAnsweredTooLateIsReleasedAndAnnouncedCancelled() throws Exception {
    String jane = account();
    String book = product(10);
    cart.set(jane, true, line(book, "Book", 2, 1999));
    String key = "late-" + UUID.randomUUID();
    catalog.reserveDelayMs = 2_500;
    String orderId;
    try {
      HttpResponse<Buffer> late = checkout(jane, key, CARD);

      assertProblem(late, 503);
      assertThat(late.bodyAsJsonObject().getString("type"))
          .isEqualTo("urn:storefront:problem:catalog-unavailable");
      assertThat(late.getHeader("Retry-After")).isNotBlank();
      orderId = catalog.reserveRequests.get(catalog.reserveRequests.size() - 1);
      // The reservation lands after the release was tried: the stock is held without an order.
      awaitTrue(() -> catalog.reserved.containsKey(orderId));
      assertThat(catalog.stock.get(book)).isEqualTo(8);
    } finally {
      catalog.reserveDelayMs = 0;
    }

    JsonObject data =
        new JsonObject(awaitEvent(orderId, "OrderCancelled").value()).getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("payment_timeout");
    assertThat(data.getJsonArray("items").getJsonObject(0).getString("productId")).isEqualTo(book);
    // The key was freed at once: the shopper's retry orders.
    HttpResponse<Buffer> retry = checkout(jane, key, CARD);
    assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(201);
    assertThat(retry.bodyAsJsonObject().getString("id")).isNotEqualTo(orderId);
  }

  @Test
  void aClaimLeftInFlightByADeadProcessIsUndone() throws Exception {
    String kim = account();
    UUID orderId = UUID.randomUUID();
    String reserved =
        new JsonObject()
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("productId", UUID.randomUUID().toString())
                            .put("quantity", 1)
                            .put("unitPrice", StandIns.money(700))))
            .put("total", StandIns.money(700))
            .encode();
    sql(
        "INSERT INTO orders.idempotency_keys (account_id, idempotency_key, request_hash, state,"
            + " order_id, reserved, created_at) VALUES ('"
            + kim
            + "', 'crashed-key', 'h', 'in_flight', '"
            + orderId
            + "', '"
            + reserved
            + "', now() - interval '1 hour')");

    JsonObject data =
        new JsonObject(awaitEvent(orderId.toString(), "OrderCancelled").value())
            .getJsonObject("data");

    assertThat(data.getString("accountId")).isEqualTo(kim);
    assertThat(data.getJsonObject("total")).isEqualTo(StandIns.money(700));
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.idempotency_keys WHERE account_id = '" + kim + "'")
                == 0);
    assertThat(meters.get("storefront_order_abandoned_checkouts").counter().count()).isPositive();
  }

  // ---------------------------------------------------------------- payment outcomes

  @Test
  void aSucceededPaymentConfirmsTheOrderOnceHoweverOftenItIsDelivered() throws Exception {
    String julia = account();
    String orderId = placeOrder(julia);
    UUID paymentId = UUID.randomUUID();
    EventEnvelope succeeded =
        EventEnvelope.create(
            "PaymentSucceeded",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", paymentId.toString())
                .put("accountId", julia)
                .put("amount", StandIns.money(1999)));

    publishPayment(succeeded);
    KafkaConsumerRecord<String, String> confirmed = awaitEvent(orderId, "OrderConfirmed");
    publishPayment(succeeded);
    publishPayment(succeeded);

    JsonObject data = new JsonObject(confirmed.value()).getJsonObject("data");
    assertThat(data.getString("paymentId")).isEqualTo(paymentId.toString());
    assertThat(data.getString("accountId")).isEqualTo(julia);
    assertThat(data.getJsonObject("total")).isEqualTo(StandIns.money(1999));
    assertThat(data.getJsonArray("items")).hasSize(1);
    assertThat(data.containsKey("cartUpdatedAt")).isTrue();
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.processed_events WHERE event_id = '"
                        + succeeded.eventId()
                        + "'")
                == 1);
    waitForConsumerToCatchUp(orderId);

    assertThat(sqlText("SELECT status FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo("confirmed");
    assertThat(sqlLong("SELECT version FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo(1);
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                    + orderId
                    + "' AND event_type = 'OrderConfirmed'"))
        .isEqualTo(1);
    HttpResponse<Buffer> read = send(HttpMethod.GET, "/api/orders/" + orderId, julia, null, null);
    assertThat(read.bodyAsJsonObject().getString("status")).isEqualTo("confirmed");
  }

  @Test
  void aFailedPaymentCancelsTheOrderAndALaterSuccessChangesNothing() throws Exception {
    String kate = account();
    String orderId = placeOrder(kate);
    UUID paymentId = UUID.randomUUID();

    publishPayment(
        EventEnvelope.create(
            "PaymentFailed",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", paymentId.toString())
                .put("accountId", kate)
                .put("amount", StandIns.money(1999))
                .put("reason", "declined")
                .put("detail", "card declined")));
    KafkaConsumerRecord<String, String> cancelled = awaitEvent(orderId, "OrderCancelled");

    JsonObject data = new JsonObject(cancelled.value()).getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("payment_declined");
    assertThat(data.getString("paymentId")).isEqualTo(paymentId.toString());
    assertThat(data.getJsonArray("items")).hasSize(1);

    EventEnvelope late =
        EventEnvelope.create(
            "PaymentSucceeded",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", paymentId.toString())
                .put("accountId", kate)
                .put("amount", StandIns.money(1999)));
    publishPayment(late);
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.processed_events WHERE event_id = '"
                        + late.eventId()
                        + "'")
                == 1);

    assertThat(sqlText("SELECT status FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo("cancelled");
    assertThat(sqlText("SELECT cancel_reason FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo("payment_declined");
    assertThat(
            sqlLong(
                "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                    + orderId
                    + "' AND event_type IN ('OrderConfirmed', 'OrderCancelled')"))
        .isEqualTo(1);
    JsonObject read =
        send(HttpMethod.GET, "/api/orders/" + orderId, kate, null, null).bodyAsJsonObject();
    assertThat(read.getString("status")).isEqualTo("cancelled");
    assertThat(read.getString("cancelReason")).isEqualTo("payment_declined");
  }

  @Test
  void thePaymentDeadlineCancelsAStuckOrder() throws Exception {
    String liam = account();
    String orderId = placeOrder(liam);

    sql(
        "UPDATE orders.orders SET payment_deadline = now() - interval '1 second' WHERE id = '"
            + orderId
            + "'");
    KafkaConsumerRecord<String, String> cancelled = awaitEvent(orderId, "OrderCancelled");

    JsonObject data = new JsonObject(cancelled.value()).getJsonObject("data");
    assertThat(data.getString("reason")).isEqualTo("payment_timeout");
    assertThat(data.getValue("paymentId")).isNull();
    assertThat(data.getString("accountId")).isEqualTo(liam);
    assertThat(sqlText("SELECT cancel_reason FROM orders.orders WHERE id = '" + orderId + "'"))
        .isEqualTo("payment_timeout");
    assertThat(
            meters
                .get("storefront_order_transitions")
                .tag("to", "cancelled")
                .tag("reason", "payment_timeout")
                .counter()
                .count())
        .isPositive();
  }

  // ---------------------------------------------------------------- reading orders

  @Test
  void aCallerReadsOnlyTheirOwnOrdersNewestFirst() throws Exception {
    String mia = account();
    String noah = account();
    String first = placeOrder(mia);
    String second = placeOrder(mia);
    String third = placeOrder(mia);
    String other = placeOrder(noah);

    HttpResponse<Buffer> foreign = send(HttpMethod.GET, "/api/orders/" + other, mia, null, null);
    HttpResponse<Buffer> unknown =
        send(HttpMethod.GET, "/api/orders/" + UUID.randomUUID(), mia, null, null);
    assertProblem(foreign, 404);
    assertProblem(unknown, 404);
    assertThat(foreign.bodyAsJsonObject().getString("detail"))
        .isEqualTo(
            unknown.bodyAsJsonObject().getString("detail").replaceAll("[0-9a-f-]{36}", other));

    JsonObject own =
        send(HttpMethod.GET, "/api/orders/" + first, mia, null, null).bodyAsJsonObject();
    assertThat(own.getString("id")).isEqualTo(first);

    JsonObject page =
        send(HttpMethod.GET, "/api/orders?page=1&size=2", mia, null, null).bodyAsJsonObject();
    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(page.getInteger("size")).isEqualTo(2);
    assertThat(ids(page)).containsExactly(third, second);
    JsonObject next =
        send(HttpMethod.GET, "/api/orders?page=2&size=2", mia, null, null).bodyAsJsonObject();
    assertThat(ids(next)).containsExactly(first);
    assertProblem(send(HttpMethod.GET, "/api/orders?size=101", mia, null, null), 400);
    assertProblem(send(HttpMethod.GET, "/api/orders/not-a-uuid", mia, null, null), 400);
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    return ids;
  }

  private static String placeOrder(String account) {
    cart.set(account, true, line(product(100), "Book", 1, 1999));
    HttpResponse<Buffer> response = checkout(account, UUID.randomUUID().toString(), CARD);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  private static String account() {
    return "acct-" + UUID.randomUUID();
  }

  private static String product(int stock) {
    String id = UUID.randomUUID().toString();
    catalog.stock.put(id, stock);
    return id;
  }

  private static Object[] line(String productId, String name, int quantity, long price) {
    return new Object[] {productId, name, quantity, price};
  }

  private static HttpResponse<Buffer> checkout(String account, String key, String card) {
    return await(checkoutAsync(account, key, card));
  }

  private static Future<HttpResponse<Buffer>> checkoutAsync(
      String account, String key, String card) {
    return sendAsync(
        HttpMethod.POST,
        "/api/orders",
        account,
        key,
        Buffer.buffer(new JsonObject().put("paymentToken", card).encode()));
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String uri, String account, String key, Buffer body) {
    return await(sendAsync(method, uri, account, key, body));
  }

  private static Future<HttpResponse<Buffer>> sendAsync(
      HttpMethod method, String uri, String account, String key, Buffer body) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", uri);
    if (account != null) {
      request.putHeader(
          InternalTokens.HEADER,
          issuer.issue(new Caller(account, account + "@example.com", Set.of(Caller.CUSTOMER))));
    }
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    if (body == null) {
      return request.send();
    }
    return request.putHeader("Content-Type", "application/json").sendBuffer(body);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  private static void publishPayment(EventEnvelope event) {
    await(
        producer.send(
            KafkaProducerRecord.create(
                "payments.events", event.orderId().toString(), event.toJson().encode())));
  }

  private static KafkaConsumerRecord<String, String> awaitEvent(String orderId, String type) {
    awaitTrue(() -> find(orderId, type) != null);
    return find(orderId, type);
  }

  private static KafkaConsumerRecord<String, String> find(String orderId, String type) {
    for (KafkaConsumerRecord<String, String> r : published) {
      if (orderId.equals(r.key()) && type.equals(new JsonObject(r.value()).getString("type"))) {
        return r;
      }
    }
    return null;
  }

  /**
   * Waits until every payment event sent so far for {@code orderId} was handled: events of one
   * order share a partition and are handled in order, so once one more (a failure, which moves no
   * order that is already final) is recorded, the ones before it were dealt with.
   */
  private static void waitForConsumerToCatchUp(String orderId) {
    EventEnvelope marker =
        EventEnvelope.create(
            "PaymentFailed",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", "marker")
                .put("amount", StandIns.money(1))
                .put("reason", "declined")
                .put("detail", "marker"));
    publishPayment(marker);
    awaitTrue(
        () ->
            sqlLongUnchecked(
                    "SELECT count(*) FROM orders.processed_events WHERE event_id = '"
                        + marker.eventId()
                        + "'")
                == 1);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("condition not met within 30 s");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static long sqlLong(String query) throws Exception {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long sqlLongUnchecked(String query) {
    try {
      return sqlLong(query);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sqlText(String query) throws Exception {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
