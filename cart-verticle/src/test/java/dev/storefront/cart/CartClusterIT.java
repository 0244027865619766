package dev.storefront.cart;

import static dev.storefront.cart.CartCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.cluster.CartMergePolicy;
import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two cart instances, each a clustered Vert.x member of a real three-member Hazelcast cluster in
 * this JVM, and a stand-in catalog on the third member, found through discovery as a real one would
 * be. Carts are one per caller whichever instance serves them, concurrent changes lose nothing, and
 * a cart outlives the sudden death of one cart member.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CartClusterIT {

  private static final int CART_A = 0;
  private static final int CART_B = 1;
  private static final int CATALOG = 2;
  private static final int IDLE_TTL_S = 3_600;

  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<SimpleMeterRegistry> registries = new ArrayList<>();
  private static final int[] ports = new int[2];
  private static Vertx clientVertx;
  private static StandInCatalog catalog;
  private static CartCalls calls;
  private static boolean cartAKilled;

  @BeforeAll
  static void formCluster() throws Exception {
    String clusterName = "it-" + UUID.randomUUID();
    // Far from 5701, where a local stack may run, so the test never joins it.
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    for (int i = 0; i < 3; i++) {
      ClusterConfig cluster =
          new ClusterConfig(
              clusterName, "tcp", List.of("127.0.0.1"), "127.0.0.1", basePort, 20, "", true);
      HazelcastClusterManager manager =
          new HazelcastClusterManager(HazelcastConfigFactory.create(cluster));
      VertxOptions options =
          new VertxOptions()
              .setEventBusOptions(
                  new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
      nodes.add(await(Vertx.builder().with(options).withClusterManager(manager).buildClustered()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!nodes.stream().allMatch(n -> ClusterMembership.of(n).memberIds().size() == 3)) {
      assertThat(System.nanoTime()).as("all members see each other").isLessThan(deadline);
      Thread.sleep(100);
    }
    // The member killed last is one of a settled cluster, as in production.
    while (!hazelcast(CATALOG).getPartitionService().isClusterSafe()) {
      assertThat(System.nanoTime()).as("partitions settle").isLessThan(deadline);
      Thread.sleep(100);
    }

    // The catalog is published before the carts start, so their first discovery read finds it.
    catalog = await(new StandInCatalog().start(nodes.get(CATALOG)));
    EcKeys.SigningKey key = EcKeys.generate();
    Env env =
        Env.of(
            Map.of(
                "HTTP_HOST",
                "127.0.0.1",
                "HTTP_PORT",
                "0",
                "VERTICLE_INSTANCES",
                "2",
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:1",
                InternalTokens.PUBLIC_KEY_ENV,
                key.publicPem(),
                "CART_IDLE_TTL_S",
                Integer.toString(IDLE_TTL_S),
                "CART_PRICE_CACHE_MS",
                "200",
                "CART_CATALOG_RESET_MS",
                "500"));
    for (int i : new int[] {CART_A, CART_B}) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CartVerticle cart = new CartVerticle(env, registry);
      await(nodes.get(i).deployVerticle(cart));
      ports[i] = cart.port();
      registries.add(registry);
    }
    clientVertx = Vertx.vertx();
    calls =
        new CartCalls(WebClient.create(clientVertx), new InternalTokens.Issuer(clientVertx, key));
  }

  @AfterAll
  static void closeCluster() throws Exception {
    if (clientVertx != null) {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      boolean dead = i == CART_A && cartAKilled;
      try {
        nodes
            .get(i)
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(dead ? 5 : 30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The terminated member cannot leave a cluster it is no longer part of.
        if (!dead) {
          throw e;
        }
      }
    }
  }

  @Test
  @Order(1)
  void theCartsMapHasASynchronousBackupAndTheIdleExpiryOnEveryMember() {
    String account = "config-" + UUID.randomUUID();
    String product = catalog.add("Lamp", 4500, "EUR");
    assertThat(calls.put(ports[CART_A], account, product, 1).statusCode()).isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      // The catalog's member never configured the map itself: the configuration is the
      // cluster's.
      MapConfig config = hazelcast(i).getConfig().findMapConfig(CartRepository.MAP);
      assertThat(config.getBackupCount()).as("member %d", i).isEqualTo(1);
      assertThat(config.getAsyncBackupCount()).as("member %d", i).isZero();
      assertThat(config.getMaxIdleSeconds()).as("member %d", i).isEqualTo(IDLE_TTL_S);
      assertThat(config.getMergePolicyConfig().getPolicy())
          .as("member %d", i)
          .isEqualTo(CartMergePolicy.class.getName());
      assertThat(config.getSplitBrainProtectionName())
          .as("member %d", i)
          .isEqualTo(HazelcastConfigFactory.WRITE_QUORUM);
    }
    EntryView<Object, Object> entry =
        hazelcast(CATALOG).getMap(CartRepository.MAP).getEntryView(account);
    assertThat(entry).isNotNull();
    assertThat(entry.getMaxIdle()).isEqualTo(IDLE_TTL_S * 1000L);
    // Stored as a plain JSON string, which every member can hold without the cart's classes.
    assertThat(entry.getValue()).isInstanceOf(String.class);
    assertThat(new JsonObject((String) entry.getValue()).getJsonArray("items")).hasSize(1);
  }

  @Test
  @Order(2)
  void aCartWrittenThroughOneInstanceIsReadThroughTheOther() {
    String account = "shopper-" + UUID.randomUUID();
    String book = catalog.add("Book", 1999, "EUR");
    String pen = catalog.add("Pen", 250, "EUR");

    calls.put(ports[CART_A], account, book, 2);
    calls.put(ports[CART_B], account, pen, 3);
    HttpResponse<Buffer> throughB = calls.get(ports[CART_B], account);
    HttpResponse<Buffer> throughA = calls.get(ports[CART_A], account);

    assertThat(throughB.statusCode()).isEqualTo(200);
    JsonObject cart = throughB.bodyAsJsonObject();
    assertThat(quantities(cart)).containsExactlyInAnyOrderEntriesOf(Map.of(book, 2, pen, 3));
    assertThat(cart.getJsonObject("subtotal"))
        .isEqualTo(new JsonObject().put("amountMinor", 2 * 1999 + 3 * 250).put("currency", "EUR"));
    assertThat(throughA.bodyAsJsonObject()).isEqualTo(cart);
  }

  @Test
  @Order(3)
  void concurrentAddsThroughBothInstancesKeepEveryItem() {
    String account = "busy-" + UUID.randomUUID();
    List<String> products =
        IntStream.range(0, 50).mapToObj(i -> catalog.add("Item " + i, 100 + i, "EUR")).toList();
    // Enough room for all 50 and the one lines limit of 100.
    List<Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    for (int i = 0; i < products.size(); i++) {
      puts.add(calls.putAsync(ports[i % 2], account, products.get(i), 1 + i % 9));
    }
    await(Future.join(puts));

    List<Integer> statuses = puts.stream().map(f -> f.result().statusCode()).toList();
    assertThat(statuses).as("statuses").containsOnly(200);
    JsonObject cart = calls.get(ports[CART_A], account).bodyAsJsonObject();
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < products.size(); i++) {
      expected.put(products.get(i), 1 + i % 9);
    }
    assertThat(quantities(cart)).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(calls.get(ports[CART_B], account).bodyAsJsonObject().getJsonArray("items"))
        .hasSize(50);
    double retries =
        registries.stream()
            .mapToDouble(r -> r.counter("storefront_cart_cas_retries").count())
            .sum();
    System.out.printf(
        "[CartClusterIT] 50 concurrent adds to one cart through two instances: %.0f"
            + " compare-and-set retries%n",
        retries);
    assertThat(
            registries.stream()
                .mapToDouble(
                    r ->
                        r.counter("storefront_cart_operations", "operation", "put", "outcome", "ok")
                            .count())
                .sum())
        .isGreaterThanOrEqualTo(50);
  }

  @Test
  @Order(4)
  void concurrentQuantityChangesOfOneLineEndWithOneOfTheWrittenValues() {
    String account = "indecisive-" + UUID.randomUUID();
    String product = catalog.add("Chair", 8900, "EUR");
    String other = catalog.add("Table", 19900, "EUR");
    calls.put(ports[CART_A], account, other, 1);

    List<Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    for (int q = 1; q <= 30; q++) {
      puts.add(calls.putAsync(ports[q % 2], account, product, q));
    }
    await(Future.join(puts));

    assertThat(puts.stream().map(f -> f.result().statusCode()).toList()).containsOnly(200);
    Map<String, Integer> lines = quantities(calls.get(ports[CART_B], account).bodyAsJsonObject());
    assertThat(lines).containsOnlyKeys(product, other);
    assertThat(lines.get(product)).isBetween(1, 30);
    assertThat(lines.get(other)).as("the line nobody changed").isEqualTo(1);
    assertThat(calls.get(ports[CART_A], account).bodyAsJsonObject().getInteger("itemCount"))
        .isEqualTo(lines.get(product) + 1);
  }

  @Test
  @Order(5)
  void aCallerNeverSeesAnotherCallersCart() {
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    String book = catalog.add("Diary", 1200, "EUR");
    calls.put(ports[CART_A], alice, book, 4);

    HttpResponse<Buffer> bobsView =
        calls.send(
            ports[CART_B],
            io.vertx.core.http.HttpMethod.GET,
            "/api/cart?accountId=" + alice,
            bob,
            null,
            null);
    calls.send(
        ports[CART_B],
        io.vertx.core.http.HttpMethod.DELETE,
        "/api/cart?accountId=" + alice,
        bob,
        null,
        null);
    calls.deleteItem(ports[CART_A], bob, book);

    assertThat(bobsView.statusCode()).isEqualTo(200);
    assertThat(bobsView.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(quantities(calls.get(ports[CART_B], alice).bodyAsJsonObject()))
        .containsExactlyEntriesOf(Map.of(book, 4));
    for (int port : ports) {
      assertThat(calls.get(port, null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  @Order(6)
  void whileTheCatalogIsDownChangesAre503AndCartsStillShow() throws Exception {
    String account = "patient-" + UUID.randomUUID();
    String book = catalog.add("Atlas", 3900, "EUR");
    String pen = catalog.add("Marker", 300, "EUR");
    calls.put(ports[CART_A], account, book, 1);

    catalog.mode(StandInCatalog.Mode.FAILING);
    try {
      // Past the price cache, so views have to ask the catalog.
      Thread.sleep(300);
      for (int port : ports) {
        HttpResponse<Buffer> refused = calls.put(port, account, pen, 1);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isNotBlank();
        HttpResponse<Buffer> view = calls.get(port, account);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.bodyAsJsonObject().getBoolean("pricesVerified")).isFalse();
        assertThat(quantities(view.bodyAsJsonObject())).containsExactlyEntriesOf(Map.of(book, 1));
      }
    } finally {
      catalog.mode(StandInCatalog.Mode.UP);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (int port : ports) {
      while (calls.put(port, account, pen, 1).statusCode() != 200) {
        assertThat(System.nanoTime()).as("the breaker closes again").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
    assertThat(quantities(calls.get(ports[CART_B], account).bodyAsJsonObject()))
        .containsExactlyInAnyOrderEntriesOf(Map.of(book, 1, pen, 1));
  }

  /** Last: it kills cart member A. */
  @Test
  @Order(7)
  void cartsOutliveTheSuddenDeathOfACartMember() throws Exception {
    String product = catalog.add("Kettle", 2900, "EUR");
    List<String> accounts =
        IntStream.range(0, 40).mapToObj(i -> "survivor-" + UUID.randomUUID()).toList();
    for (int i = 0; i < accounts.size(); i++) {
      assertThat(calls.put(ports[i % 2], accounts.get(i), product, 1 + i % 9).statusCode())
          .isEqualTo(200);
    }
    String memberA = hazelcast(CART_A).getCluster().getLocalMember().getUuid().toString();
    Set<String> ownedByA =
        accounts.stream()
            .filter(
                a ->
                    hazelcast(CATALOG)
                        .getPartitionService()
                        .getPartition(a)
                        .getOwner()
                        .getUuid()
                        .toString()
                        .equals(memberA))
            .collect(Collectors.toSet());
    assertThat(ownedByA).as("member A owns some of the carts").isNotEmpty();

    // No leave, no migration: the member is gone as after kill -9.
    hazelcast(CART_A).getLifecycleService().terminate();
    cartAKilled = true;

    long start = System.nanoTime();
    for (int i = 0; i < accounts.size(); i++) {
      HttpResponse<Buffer> view = calls.get(ports[CART_B], accounts.get(i));
      assertThat(view.statusCode()).as(view.bodyAsString()).isEqualTo(200);
      assertThat(quantities(view.bodyAsJsonObject()))
          .as(
              "cart %d (%s member A)",
              i, ownedByA.contains(accounts.get(i)) ? "owned by" : "not on")
          .containsExactlyEntriesOf(Map.of(product, 1 + i % 9));
    }
    System.out.printf(
        "[CartClusterIT] %d carts (%d owned by the killed member) read back through the survivor"
            + " in %d ms%n",
        accounts.size(), ownedByA.size(), (System.nanoTime() - start) / 1_000_000);
    // And the survivor keeps taking changes.
    assertThat(calls.put(ports[CART_B], accounts.get(0), product, 7).statusCode()).isEqualTo(200);
    assertThat(calls.get(ports[CART_B], accounts.get(0)).bodyAsJsonObject().getInteger("itemCount"))
        .isEqualTo(7);
  }

  private static Map<String, Integer> quantities(JsonObject cart) {
    Map<String, Integer> quantities = new HashMap<>();
    for (Object item : cart.getJsonArray("items")) {
      JsonObject line = (JsonObject) item;
      quantities.put(line.getString("productId"), line.getInteger("quantity"));
    }
    return quantities;
  }

  private static HazelcastInstance hazelcast(int member) {
    return ((HazelcastClusterManager) ((VertxInternal) nodes.get(member)).clusterManager())
        .getHazelcastInstance();
  }
}
