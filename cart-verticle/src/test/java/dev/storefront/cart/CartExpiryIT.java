package dev.storefront.cart;

import static dev.storefront.cart.CartCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle carts expire in the cluster map, and using a cart keeps it: a clustered cart instance with a
 * four-second idle time.
 */
class CartExpiryIT {

  private Vertx node;
  private Vertx client;

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCartNobodyUsesForItsIdleTimeIsForgottenAndUseKeepsIt() throws Exception {
    ClusterConfig cluster =
        new ClusterConfig(
            "it-" + UUID.randomUUID(),
            "tcp",
            List.of("127.0.0.1"),
            "127.0.0.1",
            ThreadLocalRandom.current().nextInt(20_000, 40_000),
            20,
            "",
            true);
    node =
        await(
            Vertx.builder()
                .with(
                    new VertxOptions()
                        .setEventBusOptions(
                            new EventBusOptions()
                                .setHost("127.0.0.1")
                                .setClusterPublicHost("127.0.0.1")))
                .withClusterManager(
                    new HazelcastClusterManager(HazelcastConfigFactory.create(cluster)))
                .buildClustered());
    StandInCatalog catalog = await(new StandInCatalog().start(node));
    String product = catalog.add("Soap", 350, "EUR");
    EcKeys.SigningKey key = EcKeys.generate();
    CartVerticle cart =
        new CartVerticle(
            Env.of(
                Map.of(
                    "HTTP_HOST",
                    "127.0.0.1",
                    "HTTP_PORT",
                    "0",
                    "VERTICLE_INSTANCES",
                    "1",
                    "KAFKA_BOOTSTRAP_SERVERS",
                    "127.0.0.1:1",
                    InternalTokens.PUBLIC_KEY_ENV,
                    key.publicPem(),
                    "CART_IDLE_TTL_S",
                    "4")),
            new SimpleMeterRegistry());
    await(node.deployVerticle(cart));
    client = Vertx.vertx();
    CartCalls calls =
        new CartCalls(WebClient.create(client), new InternalTokens.Issuer(client, key));

    assertThat(calls.put(cart.port(), "kept", product, 1).statusCode()).isEqualTo(200);
    assertThat(calls.put(cart.port(), "abandoned", product, 1).statusCode()).isEqualTo(200);
    // "kept" is read every 1.5 s, "abandoned" never, for 6 s: past its idle time of 4 s even
    // with Hazelcast keeping access times in whole seconds.
    for (int i = 0; i < 4; i++) {
      Thread.sleep(1_500);
      assertThat(itemCount(calls, cart.port(), "kept")).as("read %d", i).isEqualTo(1);
    }

    assertThat(itemCount(calls, cart.port(), "abandoned")).isZero();
    assertThat(itemCount(calls, cart.port(), "kept")).isEqualTo(1);
  }

  private static int itemCount(CartCalls calls, int port, String account) {
    return calls.get(port, account).bodyAsJsonObject().getInteger("itemCount");
  }
}
