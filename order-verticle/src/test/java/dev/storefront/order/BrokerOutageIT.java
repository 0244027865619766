package dev.storefront.order;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.vertx.core.json.JsonObject;
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

/**
 * Checkout while the broker is down: the order is taken, its event waits in the outbox and reaches
 * Kafka once the broker is back, and payment outcomes flow again.
 */
class BrokerOutageIT {

  @TempDir static Path kafkaDir;

  private static ThrowawayDatabase db;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static StandIns.Cart cart;
  private static StandIns.Catalog catalog;
  private static WebClient web;
  private static InternalTokens.Issuer issuer;
  private static KafkaConfig kafka;
  private static int port;
  private static final List<KafkaConsumerRecord<String, String>> published =
      new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("order_outage");
    broker = KafkaBroker.start(kafkaDir, 0, 0);
    vertx = Vertx.vertx();
    kafka = new KafkaConfig(broker.bootstrapServers(), "outage-it", "outage-it");
    await(
        Topics.ensure(
            vertx, kafka, List.of("orders.events", "payments.events"), Topics.Settings.defaults()));
    cart = await(new StandIns.Cart().start(vertx));
    catalog = await(new StandIns.Catalog().start(vertx));
    EcKeys.SigningKey key = EcKeys.generate();
    issuer = new InternalTokens.Issuer(vertx, key);
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "1");
    env.put("PG_POOL_SIZE", "4");
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    env.put("OUTBOX_POLL_INTERVAL_MS", "50");
    env.put("OUTBOX_BACKOFF_MAX_MS", "1000");
    OrderVerticle order = new OrderVerticle(Env.of(env), new SimpleMeterRegistry());
    await(vertx.deployVerticle(order));
    port = order.port();
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
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

  @Test
  void ordersTakenWhileTheBrokerIsDownArePublishedWhenItReturns() throws Exception {
    String account = "acct-" + UUID.randomUUID();
    String book = UUID.randomUUID().toString();
    catalog.stock.put(book, 10);
    cart.set(account, true, new Object[] {book, "Book", 1, 1999L});

    broker.stop();
    HttpResponse<Buffer> created = checkout(account);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String orderId = created.bodyAsJsonObject().getString("id");
    Thread.sleep(1_000);
    assertThat(
            sql(
                "SELECT count(*) FROM orders.outbox WHERE event_key = '"
                    + orderId
                    + "' AND published_at IS NULL"))
        .as("the event waits in the outbox")
        .isEqualTo(1);

    broker.restart();
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(
            vertx,
            KafkaClients.consumerConfig(
                new KafkaConfig(broker.bootstrapServers(), "outage-reader", "outage-reader")));
    consumer.handler(published::add);
    await(consumer.subscribe("orders.events"));

    awaitTrue(() -> find(orderId, "OrderCreated") != null);
    assertThat(find(orderId, "OrderCreated").key()).isEqualTo(orderId);

    // The consumer of payment outcomes is back too.
    KafkaProducer<String, String> producer = KafkaClients.producer(vertx, kafka);
    EventEnvelope succeeded =
        EventEnvelope.create(
            "PaymentSucceeded",
            UUID.fromString(orderId),
            new JsonObject()
                .put("paymentId", UUID.randomUUID().toString())
                .put("accountId", account)
                .put("amount", StandIns.money(1999)));
    await(
        producer.send(
            KafkaProducerRecord.create("payments.events", orderId, succeeded.toJson().encode())));
    awaitTrue(() -> find(orderId, "OrderConfirmed") != null);
    assertThat(sql("SELECT count(*) FROM orders.outbox WHERE event_key = '" + orderId + "'"))
        .isEqualTo(2);
  }

  private static HttpResponse<Buffer> checkout(String account) {
    return await(
        web.post(port, "127.0.0.1", "/api/orders")
            .putHeader(
                InternalTokens.HEADER,
                issuer.issue(new Caller(account, null, Set.of(Caller.CUSTOMER))))
            .putHeader("Idempotency-Key", UUID.randomUUID().toString())
            .sendJsonObject(
                new JsonObject().put("paymentToken", "tok_outageToken_0123456789abcdef")));
  }

  private static KafkaConsumerRecord<String, String> find(String orderId, String type) {
    for (KafkaConsumerRecord<String, String> r : published) {
      if (orderId.equals(r.key()) && type.equals(new JsonObject(r.value()).getString("type"))) {
        return r;
      }
    }
    return null;
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("condition not met within 60 s");
  }

  private static long sql(String query) throws Exception {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
