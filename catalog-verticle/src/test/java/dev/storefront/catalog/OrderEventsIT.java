package dev.storefront.catalog;

import static dev.storefront.catalog.TestCatalog.CUSTOMER;
import static dev.storefront.catalog.TestCatalog.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.EcKeys;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog consuming {@code orders.events} from a real broker: confirmed orders' reservations
 * are committed, cancelled orders' stock comes back, and an event delivered twice counts once.
 */
class OrderEventsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dataDir;

  private static ThrowawayDatabase db;
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static TestCatalog catalog;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    db = ThrowawayDatabase.create("catalog_order_events");
    broker = KafkaBroker.start(dataDir, 0, 0);
    vertx = Vertx.vertx();
    EcKeys.SigningKey key = EcKeys.generate();
    Map<String, String> env = TestCatalog.env(db, key);
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("CATALOG_ORDER_EVENTS", "true");
    env.put("EVENTS_RETRY_BASE_MS", "50");
    env.put("EVENTS_RETRY_CAP_MS", "200");
    catalog = TestCatalog.start(vertx, env, key);
    TestCatalog.sql(db, "INSERT INTO categories (slug, name) VALUES ('tools', 'Tools')");
    producer =
        KafkaClients.producer(
            vertx, new KafkaConfig(broker.bootstrapServers(), "order-it", "order-it"));
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
  void confirmedOrdersSellTheirStockCancelledOnesPutItBackDuplicatesChangeNothing()
      throws Exception {
    UUID product = product(10);
    UUID confirmed = UUID.randomUUID();
    UUID cancelled = UUID.randomUUID();
    reserve(confirmed, product, 3);
    reserve(cancelled, product, 2);
    assertThat(stock(product)).isEqualTo(5);

    publish(event("OrderCreated", confirmed));
    publish(event("OrderConfirmed", confirmed));
    EventEnvelope cancel = event("OrderCancelled", cancelled);
    publish(cancel);

    eventually(() -> "committed".equals(status(confirmed)) && "released".equals(status(cancelled)));
    assertThat(stock(product)).isEqualTo(7);
    assertThat(units(product, "committed")).isEqualTo(3);

    // The same event again (a redelivery), then a distinct cancel of an order whose reservation
    // is already released: the first is recognised, the second finds nothing left to do.
    publish(cancel);
    publish(event("OrderCancelled", cancelled));
    eventually(
        () ->
            catalog.counter(
                        "storefront_catalog_order_events",
                        "type",
                        "OrderCancelled",
                        "outcome",
                        "duplicate")
                    == 1
                && catalog.counter(
                        "storefront_catalog_order_events",
                        "type",
                        "OrderCancelled",
                        "outcome",
                        "repeated")
                    == 1);
    assertThat(stock(product)).isEqualTo(7);
    assertThat(
            TestCatalog.queryLong(
                db,
                "SELECT count(*) FROM processed_events WHERE event_id = '"
                    + cancel.eventId()
                    + "'"))
        .isEqualTo(1);
    assertThat(
            catalog.counter(
                "storefront_catalog_order_events", "type", "OrderCreated", "outcome", "ignored"))
        .isEqualTo(1);
  }

  @Test
  void anOrderWithoutAReservationIsCountedNotRetriedForever() throws Exception {
    UUID product = product(4);
    UUID unknown = UUID.randomUUID();
    UUID known = UUID.randomUUID();
    reserve(known, product, 4);

    publish(event("OrderConfirmed", unknown));
    // Published after it under the same key, so it waits for the first on its partition.
    publish(EventEnvelope.create("OrderCancelled", known, data()), unknown.toString());

    eventually(() -> "released".equals(status(known)));
    assertThat(
            catalog.counter(
                "storefront_catalog_order_events",
                "type",
                "OrderConfirmed",
                "outcome",
                "unknown_reservation"))
        .isEqualTo(1);
    assertThat(stock(product)).isEqualTo(4);
    assertThat(
            TestCatalog.queryLong(
                db, "SELECT count(*) FROM stock_reservations WHERE order_id = '" + unknown + "'"))
        .isZero();
  }

  private static EventEnvelope event(String type, UUID order) {
    return EventEnvelope.create(type, order, data());
  }

  private static JsonObject data() {
    return new JsonObject()
        .put("accountId", "cust-1")
        .put("items", new JsonArray())
        .put("total", new JsonObject().put("amountMinor", 0L).put("currency", "EUR"));
  }

  private static void publish(EventEnvelope event) {
    publish(event, event.orderId().toString());
  }

  private static void publish(EventEnvelope event, String key) {
    await(producer.send(KafkaProducerRecord.create("orders.events", key, event.toJson().encode())));
  }

  private static UUID product(int stock) {
    UUID id = UUID.randomUUID();
    TestCatalog.sql(
        db,
        "INSERT INTO products (id, sku, name, category_id, price_minor, currency, stock,"
            + " stock_received) SELECT '"
            + id
            + "', 'SKU-"
            + id
            + "', 'Hammer', id, 1000, 'EUR', "
            + stock
            + ", "
            + stock
            + " FROM categories WHERE slug = 'tools'");
    return id;
  }

  private static void reserve(UUID order, UUID product, int quantity) {
    JsonObject items =
        new JsonObject()
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("productId", product.toString())
                            .put("quantity", quantity)));
    int status =
        catalog
            .send(HttpMethod.PUT, "/internal/reservations/" + order, CUSTOMER, items)
            .statusCode();
    assertThat(status).isBetween(200, 201);
  }

  private static String status(UUID order) {
    var response = catalog.send(HttpMethod.GET, "/internal/reservations/" + order, CUSTOMER, null);
    return response.statusCode() == 200 ? response.bodyAsJsonObject().getString("status") : null;
  }

  private static int stock(UUID product) {
    return (int)
        TestCatalog.queryLong(db, "SELECT stock FROM products WHERE id = '" + product + "'");
  }

  private static long units(UUID product, String status) {
    return TestCatalog.queryLong(
        db,
        "SELECT coalesce(sum(i.quantity), 0) FROM stock_reservation_items i JOIN"
            + " stock_reservations r USING (order_id) WHERE i.product_id = '"
            + product
            + "' AND r.status = '"
            + status
            + "'");
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT);
      }
      Thread.sleep(100);
    }
  }
}
