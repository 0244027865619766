package dev.storefront.cart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.model.Cart;
import dev.storefront.cart.model.CartLine;
import dev.storefront.cart.model.Money;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cart service consuming {@code orders.events} from a real broker: a confirmed order empties
 * the cart it was placed from, keeps what the shopper changed since, and a redelivery changes
 * nothing.
 */
class OrderEventsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Money PRICE = new Money(1000, "EUR");

  @TempDir static Path dataDir;

  private static KafkaBroker broker;
  private static Vertx vertx;
  private static SimpleMeterRegistry registry;
  private static CartRepository carts;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start(dataDir, 0, 0);
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    EcKeys.SigningKey key = EcKeys.generate();
    Env env =
        Env.of(
            Map.of(
                "HTTP_HOST",
                "127.0.0.1",
                "HTTP_PORT",
                "0",
                "VERTICLE_INSTANCES",
                "1",
                "KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers(),
                InternalTokens.PUBLIC_KEY_ENV,
                key.publicPem(),
                "EVENTS_RETRY_BASE_MS",
                "50",
                "EVENTS_RETRY_CAP_MS",
                "200"));
    await(vertx.deployVerticle(new CartVerticle(env, registry)));
    // The same cluster map the service uses (a local one: this Vert.x is not clustered).
    carts =
        await(
            CartRepository.open(
                vertx,
                new CartConfig.Storage(Duration.ofDays(1), 100, 30),
                new SimpleMeterRegistry()));
    producer =
        KafkaClients.producer(
            vertx, new KafkaConfig(broker.bootstrapServers(), "order-it", "order-it"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  void aConfirmedOrderEmptiesItsCartAndKeepsLaterChanges() throws Exception {
    Instant checkout = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
    String unchanged = UUID.randomUUID().toString();
    String changed = UUID.randomUUID().toString();
    String cancelled = UUID.randomUUID().toString();
    put(unchanged, checkout, line("p1", 2), line("p2", 1));
    put(changed, checkout.plusSeconds(30), line("p1", 2), line("p2", 4), line("p3", 1));
    put(cancelled, checkout, line("p1", 1));

    publish(confirmed(unchanged, checkout, Map.of("p1", 2, "p2", 1)));
    EventEnvelope changedOrder = confirmed(changed, checkout, Map.of("p1", 2, "p2", 1));
    publish(changedOrder);
    publish(
        EventEnvelope.create(
            "OrderCancelled",
            UUID.randomUUID(),
            new JsonObject().put("accountId", cancelled).put("reason", "payment_declined")));

    eventually(
        () ->
            count("OrderConfirmed", "cleared") == 1
                && count("OrderConfirmed", "lines_removed") == 1);
    eventually(() -> count("OrderCancelled", "ignored") == 1);

    assertThat(await(carts.find(unchanged)).isEmpty()).isTrue();
    Cart kept = await(carts.find(changed));
    assertThat(kept.lines()).extracting(CartLine::productId).containsExactly("p2", "p3");
    assertThat(kept.lines()).extracting(CartLine::quantity).containsExactly(4, 1);
    assertThat(await(carts.find(cancelled)).lines()).hasSize(1);

    // The same event again, as a redelivery would bring it.
    publish(changedOrder);
    eventually(() -> count("OrderConfirmed", "unchanged") == 1);
    assertThat(await(carts.find(changed))).isEqualTo(kept);
  }

  private static double count(String type, String outcome) {
    var counter =
        registry
            .find("storefront_cart_order_events")
            .tags("type", type, "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static CartLine line(String product, int quantity) {
    return new CartLine(product, "Product " + product, PRICE, quantity, Instant.now());
  }

  private static void put(String account, Instant updatedAt, CartLine... lines) throws Exception {
    await(carts.update(account, cart -> new Cart(List.of(lines), updatedAt)));
  }

  private static EventEnvelope confirmed(
      String account, Instant cartUpdatedAt, Map<String, Integer> items) {
    JsonArray lines = new JsonArray();
    items.forEach(
        (product, quantity) ->
            lines.add(
                new JsonObject()
                    .put("productId", product)
                    .put("quantity", quantity)
                    .put("unitPrice", PRICE.toJson())));
    return EventEnvelope.create(
        "OrderConfirmed",
        UUID.randomUUID(),
        new JsonObject()
            .put("accountId", account)
            .put("items", lines)
            .put("total", new JsonObject().put("amountMinor", 0L).put("currency", "EUR"))
            .put("paymentId", UUID.randomUUID().toString())
            .put("cartUpdatedAt", cartUpdatedAt.toString()));
  }

  private static void publish(EventEnvelope event) throws Exception {
    await(
        producer.send(
            KafkaProducerRecord.create(
                "orders.events", event.orderId().toString(), event.toJson().encode())));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
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
