package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

/**
 * The checkout saga with every service as its own process: the gateway, a catalog with demo data,
 * the cart, order and payment services, one Kafka broker and PostgreSQL. Approved and declined
 * payments, idempotent checkouts, the last unit bought concurrently, a duplicated delivery, the
 * broker stopped mid-checkout, services killed mid-saga; after each, the reconciliation audit is
 * clean. Last, every event that went through Kafka is checked against docs/asyncapi.yaml.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckoutIT {

  private static final String APPROVED = Shop.APPROVED;
  private static final String DECLINED = Shop.DECLINED;
  private static final String ADMIN_EMAIL = "admin-" + UUID.randomUUID() + "@example.com";
  private static final Duration SAGA = Duration.ofSeconds(60);

  private static TestStack stack;
  private static int gatewayPort;
  private static ServiceProcess order;
  private static ServiceProcess payment;
  private static Shop shop;

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStack.start("checkout");
    Map<String, String> fast = Map.of("ORDER_PAYMENT_DEADLINE_S", "120");
    ServiceProcess gateway =
        stack.startService(
            "gateway",
            "gateway-1",
            Map.of("RATE_LIMITS", "/api=100000/1s", "ADMIN_EMAILS", ADMIN_EMAIL));
    ServiceProcess catalog =
        stack.startService(
            "catalog",
            "catalog-1",
            Map.of("CATALOG_DEMO_DATA", "true", "CATALOG_DEMO_PRODUCTS", "100"));
    ServiceProcess cart = stack.startService("cart", "cart-1", Map.of());
    order = stack.startService("order", "order-1", fast);
    payment = stack.startService("payment", "payment-1", Map.of());
    gatewayPort = gateway.awaitPort(Duration.ofSeconds(90));
    for (ServiceProcess process : List.of(gateway, catalog, cart, order, payment)) {
      TestStack.awaitReady(process);
    }
    TestStack.await(
        "catalog, cart, order and payment discovered by the gateway",
        Duration.ofSeconds(60),
        () ->
            TestStack.instances(gatewayPort, "catalog").size() == 1
                && TestStack.instances(gatewayPort, "cart").size() == 1
                && TestStack.instances(gatewayPort, "order").size() == 1
                && TestStack.instances(gatewayPort, "payment").size() == 1);
    shop = new Shop(gatewayPort).withAdmin(ADMIN_EMAIL);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /** Whatever a test did, the system's books balance once the saga has settled. */
  @AfterEach
  void reconciliationIsClean() throws Exception {
    awaitCleanReconciliation();
  }

  @Test
  @Order(1)
  void anApprovedCheckoutConfirmsTheOrderSellsTheStockAndEmptiesTheCart() throws Exception {
    String shopper = shop.signUp("approved-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(10, 2500);
    shop.putItem(shopper, product, 3);

    HttpResponse<String> placed = shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonObject created = new JsonObject(placed.body());
    assertThat(created.getString("status")).isEqualTo("pending");
    assertThat(created.getJsonObject("total").getLong("amountMinor")).isEqualTo(7500);
    assertThat(placed.headers().firstValue("Location"))
        .hasValue("/api/orders/" + created.getString("id"));

    JsonObject confirmed = awaitStatus(shopper, created.getString("id"), "confirmed");
    assertThat(confirmed.getJsonArray("items")).hasSize(1);
    assertThat(stock(product)).isEqualTo(7);
    TestStack.await(
        "the cart emptied after confirmation",
        SAGA,
        () -> cartOf(shopper).getJsonArray("items").isEmpty());
  }

  @Test
  @Order(2)
  void aDeclinedCardCancelsTheOrderAndPutsTheStockBack() throws Exception {
    String shopper = shop.signUp("declined-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(5, 1000);
    shop.putItem(shopper, product, 2);

    HttpResponse<String> placed = shop.checkout(shopper, UUID.randomUUID().toString(), DECLINED);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String id = new JsonObject(placed.body()).getString("id");
    JsonObject cancelled = awaitStatus(shopper, id, "cancelled");
    assertThat(cancelled.getString("cancelReason")).isEqualTo("payment_declined");
    TestStack.await("the stock back on sale", SAGA, () -> stock(product) == 5);
    // Only a confirmed order empties the cart: the shopper can try another card.
    assertThat(cartOf(shopper).getJsonArray("items")).hasSize(1);
  }

  @Test
  @Order(3)
  void theSameIdempotencyKeyNeverOrdersTwice() throws Exception {
    String shopper = shop.signUp("idempotent-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(10, 700);
    shop.putItem(shopper, product, 1);
    String key = UUID.randomUUID().toString();

    HttpResponse<String> first = shop.checkout(shopper, key, APPROVED);
    HttpResponse<String> again = shop.checkout(shopper, key, APPROVED);
    HttpResponse<String> otherBody = shop.checkout(shopper, key, DECLINED);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(first.statusCode());
    assertThat(new JsonObject(again.body()).getString("id"))
        .isEqualTo(new JsonObject(first.body()).getString("id"));
    assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(422);
    awaitStatus(shopper, new JsonObject(first.body()).getString("id"), "confirmed");
    assertThat(orders(shopper).getInteger("total")).isEqualTo(1);
    assertThat(stock(product)).isEqualTo(9);
  }

  @Test
  @Order(3)
  void nobodySeesAnotherShoppersOrdersWhateverTheyAskFor() throws Exception {
    String a = shop.signUp("orders-a-" + UUID.randomUUID() + "@example.com");
    String b = shop.signUp("orders-b-" + UUID.randomUUID() + "@example.com");
    shop.putItem(a, shop.newProduct(5, 1100), 1);
    HttpResponse<String> placed = shop.checkout(a, UUID.randomUUID().toString(), APPROVED);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String aOrder = new JsonObject(placed.body()).getString("id");
    awaitStatus(a, aOrder, "confirmed");
    String aAccount =
        new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(a.split("\\.")[1])))
            .getString("sub");

    // B asks for A's order every way it can: always as if it did not exist.
    for (String path :
        List.of(
            "/api/orders/" + aOrder,
            "/api/orders/" + aOrder + "?accountId=" + aAccount,
            "/api/orders//" + aOrder,
            "/api/orders/./" + aOrder)) {
      HttpResponse<String> answer =
          shop.send(
              "GET",
              path,
              null,
              b,
              Map.of("X-Storefront-Identity", "forged", "X-Account-Id", aAccount));
      assertThat(answer.statusCode()).as(path + " " + answer.body()).isIn(400, 404);
      assertThat(answer.body()).doesNotContain(aOrder.substring(0, 8) + "\",\"status");
    }
    // B's list is B's (empty), whatever it adds to the query.
    JsonObject listed =
        Shop.okJson(
            shop.send(
                "GET",
                "/api/orders?accountId=" + aAccount,
                null,
                b,
                Map.of("X-Account-Id", aAccount)));
    assertThat(listed.getInteger("total")).isZero();
    assertThat(listed.getJsonArray("items")).isEmpty();
    // A's own view is untouched.
    assertThat(orders(a).getInteger("total")).isEqualTo(1);
    assertThat(getOrder(a, aOrder).getString("status")).isEqualTo("confirmed");
    // Anonymous: 401.
    assertThat(shop.send("GET", "/api/orders/" + aOrder, null, null, Map.of()).statusCode())
        .isEqualTo(401);
  }

  @Test
  @Order(4)
  void concurrentCheckoutsOfTheLastUnitSellItOnce() throws Exception {
    String product = shop.newProduct(1, 4200);
    List<String> shoppers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String shopper = shop.signUp("last-unit-" + i + "-" + UUID.randomUUID() + "@example.com");
      shop.putItem(shopper, product, 1);
      shoppers.add(shopper);
    }
    ExecutorService pool = Executors.newFixedThreadPool(shoppers.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (String shopper : shoppers) {
      answers.add(
          pool.submit(
              () -> {
                start.await();
                return shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
              }));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    String sold = null;
    String buyer = null;
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> answer = answers.get(i).get(60, TimeUnit.SECONDS);
      statuses.add(answer.statusCode());
      if (answer.statusCode() == 201) {
        sold = new JsonObject(answer.body()).getString("id");
        buyer = shoppers.get(i);
      } else {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        assertThat(answer.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
      }
    }
    pool.shutdown();
    assertThat(Collections.frequency(statuses, 201)).as(statuses.toString()).isEqualTo(1);
    awaitStatus(buyer, sold, "confirmed");
    assertThat(stock(product)).isZero();
  }

  @Test
  @Order(5)
  void aDuplicatedDeliveryChangesNothing() throws Exception {
    String shopper = shop.signUp("duplicate-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(10, 1200);
    shop.putItem(shopper, product, 2);
    HttpResponse<String> placed = shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
    String id = new JsonObject(placed.body()).getString("id");
    awaitStatus(shopper, id, "confirmed");
    long paymentsBefore = stack.queryLong("SELECT count(*) FROM payments.payments");
    int paymentManagement = payment.awaitManagementPort(Duration.ofSeconds(5));
    double createdSeen = consumed(paymentManagement, "OrderCreated");

    // Every event of this order, on both topics, delivered a second time.
    List<ConsumerRecord<String, String>> events = new ArrayList<>();
    for (String topic : List.of("orders.events", "payments.events")) {
      for (ConsumerRecord<String, String> record : readAll(topic)) {
        if (id.equals(record.key())) {
          events.add(record);
        }
      }
    }
    KafkaTopics.republish(stack.kafka().bootstrapServers(), events);
    List<String> replayed =
        events.stream().map(r -> new JsonObject(r.value()).getString("type")).toList();
    assertThat(replayed)
        .containsExactlyInAnyOrder("OrderCreated", "OrderConfirmed", "PaymentSucceeded");
    // The payment service did receive the copy (and handled it as the repeat it is).
    TestStack.await(
        "the payment service handling the repeated OrderCreated",
        SAGA,
        () -> consumed(paymentManagement, "OrderCreated") > createdSeen);
    // The other consumers get their copies at the same time; give them a moment.
    Thread.sleep(2_000);
    awaitCleanReconciliation();
    assertThat(stack.queryLong("SELECT count(*) FROM payments.payments")).isEqualTo(paymentsBefore);
    assertThat(getOrder(shopper, id).getString("status")).isEqualTo("confirmed");
    assertThat(stock(product)).isEqualTo(8);
  }

  @Test
  @Order(6)
  void checkoutsGoOnWhileTheBrokerIsDownAndSettleWhenItIsBack() throws Exception {
    String product = shop.newProduct(20, 300);
    List<String> shoppers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String shopper = shop.signUp("outage-" + i + "-" + UUID.randomUUID() + "@example.com");
      shop.putItem(shopper, product, 1);
      shoppers.add(shopper);
    }
    stack.kafka().stop();
    Map<String, String> placed = new LinkedHashMap<>();
    try {
      for (String shopper : shoppers) {
        HttpResponse<String> answer =
            shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        placed.put(shopper, new JsonObject(answer.body()).getString("id"));
      }
      // Written and waiting in the outbox: nothing can move on without the broker.
      assertThat(stack.queryLong("SELECT count(*) FROM orders.outbox WHERE published_at IS NULL"))
          .isGreaterThanOrEqualTo(3);
    } finally {
      stack.kafka().restart();
    }
    for (var entry : placed.entrySet()) {
      awaitStatus(entry.getKey(), entry.getValue(), "confirmed");
    }
    assertThat(stock(product)).isEqualTo(17);
  }

  @Test
  @Order(7)
  void aPaymentProcessKilledMidSagaLeavesNothingUnsettled() throws Exception {
    String shopper = shop.signUp("payment-killed-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(10, 900);
    shop.putItem(shopper, product, 1);
    // The card was tokenized before: checkout goes on without the payment service, which checks
    // the token when it charges.
    shop.paymentToken(shopper, APPROVED);
    payment.kill();
    HttpResponse<String> placed = shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String id = new JsonObject(placed.body()).getString("id");
    assertThat(getOrder(shopper, id).getString("status")).isEqualTo("pending");

    payment = stack.startService("payment", "payment-2", Map.of());
    TestStack.awaitReady(payment);
    awaitStatus(shopper, id, "confirmed");
  }

  @Test
  @Order(8)
  void anOrderProcessKilledMidSagaCompletesAfterItsRestart() throws Exception {
    String shopper = shop.signUp("order-killed-" + UUID.randomUUID() + "@example.com");
    String product = shop.newProduct(10, 1500);
    shop.putItem(shopper, product, 1);
    HttpResponse<String> placed = shop.checkout(shopper, UUID.randomUUID().toString(), APPROVED);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String id = new JsonObject(placed.body()).getString("id");
    // Killed at once: the payment's outcome arrives while no order process runs.
    order.kill();
    order = stack.startService("order", "order-2", Map.of("ORDER_PAYMENT_DEADLINE_S", "120"));
    TestStack.awaitReady(order);
    TestStack.await(
        "the new order instance discovered",
        Duration.ofSeconds(30),
        () -> TestStack.instances(gatewayPort, "order").size() == 1);
    awaitStatus(shopper, id, "confirmed");
    assertThat(stock(product)).isEqualTo(9);
  }

  @Test
  @Order(9)
  void everyEventOnTheTopicsMatchesTheAsyncApiDocument() throws Exception {
    Map<String, io.vertx.json.schema.Validator> validators = asyncApiValidators();
    int checked = 0;
    JsonObject firstCreated = null;
    for (String topic : List.of("orders.events", "payments.events")) {
      for (ConsumerRecord<String, String> record : readAll(topic)) {
        JsonObject event = new JsonObject(record.value());
        String type = event.getString("type");
        assertThat(validators).as("a documented type on " + topic).containsKey(type);
        OutputUnit result = validators.get(type).validate(event);
        assertThat(result.getValid()).as(type + " " + record.value() + " " + result).isTrue();
        assertThat(record.key()).isEqualTo(event.getString("orderId"));
        if (firstCreated == null && "OrderCreated".equals(type)) {
          firstCreated = event;
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(20);
    // The check has teeth: the same event without its items, or with a negative total, fails.
    assertThat(firstCreated).isNotNull();
    JsonObject withoutItems = firstCreated.copy();
    withoutItems.getJsonObject("data").remove("items");
    assertThat(validators.get("OrderCreated").validate(withoutItems).getValid()).isFalse();
    JsonObject negative = firstCreated.copy();
    negative.getJsonObject("data").getJsonObject("total").put("amountMinor", -1);
    assertThat(validators.get("OrderCreated").validate(negative).getValid()).isFalse();
  }

  // --- the saga's observable state ---

  private static void awaitCleanReconciliation() throws InterruptedException {
    // This stack runs no notification service: only its checks may be skipped.
    stack.awaitCleanReconciliation(SAGA, check -> check.startsWith("notification-"));
  }

  private static JsonObject awaitStatus(String token, String orderId, String status)
      throws InterruptedException {
    return shop.awaitOrderStatus(token, orderId, status, SAGA);
  }

  /** Events of {@code type} a service's consumer has handled, from its own /metrics. */
  private static double consumed(int managementPort, String type) {
    return TestStack.metric(
        managementPort,
        "storefront_events_consumed_total",
        "type=\"" + type + "\"",
        "outcome=\"handled\"");
  }

  private static JsonObject getOrder(String token, String orderId) throws Exception {
    return Shop.okJson(shop.send("GET", "/api/orders/" + orderId, null, token, Map.of()));
  }

  private static JsonObject orders(String token) throws Exception {
    return Shop.okJson(shop.send("GET", "/api/orders", null, token, Map.of()));
  }

  private static int stock(String productId) {
    try {
      return Shop.okJson(shop.send("GET", "/api/products/" + productId, null, null, Map.of()))
          .getInteger("stock");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject cartOf(String token) {
    try {
      return Shop.okJson(shop.send("GET", "/api/cart", null, token, Map.of()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // --- Kafka, read and written directly ---

  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    return KafkaTopics.readAll(stack.kafka().bootstrapServers(), topic);
  }

  // --- docs/asyncapi.yaml ---

  /** A validator per message name, for the payload schema the document gives it. */
  private static Map<String, io.vertx.json.schema.Validator> asyncApiValidators()
      throws IOException {
    Path document =
        Path.of(System.getProperty("storefront.root", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("docs/asyncapi.yaml");
    Map<String, Object> yaml;
    try (var in = Files.newInputStream(document)) {
      yaml = new Yaml().load(in);
    }
    JsonObject asyncApi = new JsonObject(yaml);
    String base = "https://storefront.dev/asyncapi.json";
    SchemaRepository schemas =
        SchemaRepository.create(
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri(base)
                .setOutputFormat(OutputFormat.Basic));
    // The whole document is registered so that its "#/components/schemas/..." references resolve.
    schemas.dereference(base, JsonSchema.of(asyncApi.copy()));
    Map<String, io.vertx.json.schema.Validator> validators = new HashMap<>();
    JsonObject messages = asyncApi.getJsonObject("components").getJsonObject("messages");
    for (String name : messages.fieldNames()) {
      if (messages.getJsonObject(name).containsKey("payload") && !"DeadLetter".equals(name)) {
        validators.put(
            name, schemas.validator(base + "#/components/messages/" + name + "/payload"));
      }
    }
    assertThat(validators)
        .containsKeys(
            "OrderCreated",
            "OrderConfirmed",
            "OrderCancelled",
            "PaymentSucceeded",
            "PaymentFailed",
            "PaymentRefunded");
    return validators;
  }
}
