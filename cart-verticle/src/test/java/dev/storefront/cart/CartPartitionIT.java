package dev.storefront.cart;

import static dev.storefront.cart.CartCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.spi.MemberAddressProvider;
import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.events.OrderEvents;
import dev.storefront.cart.repository.CartRepository;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.events.EventEnvelope;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network partition of a real cluster: three cart instances, each on a data member of its own (A,
 * B, C), and a lite member standing for a stateless service. C and the lite member are cut off from
 * A and B; C's side has as many members as the other but only one of the three data members, so it
 * refuses cart writes while A and B accept them. What C acknowledged before it noticed the
 * partition, and what A and B acknowledged during it, are all in the carts once it heals; what A
 * and B removed stays removed.
 */
class CartPartitionIT {

  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int LITE = 3;
  private static final int DATA_MEMBERS = 3;

  private static final SeverableLinks network = new SeverableLinks();
  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<SimpleMeterRegistry> registries = new ArrayList<>();
  private static final List<StandInCatalog> catalogs = new ArrayList<>();
  private static final int[] ports = new int[3];
  private static HazelcastInstance lite;
  private static Vertx clientVertx;
  private static CartCalls calls;

  @BeforeAll
  static void formCluster() throws Exception {
    String clusterName = "it-" + UUID.randomUUID();
    int[] realPorts = new int[4];
    InetSocketAddress[] advertised = new InetSocketAddress[4];
    for (int i = 0; i < 4; i++) {
      realPorts[i] = freePort(i);
      advertised[i] = network.relay(i, realPorts[i]);
    }
    List<String> members = new ArrayList<>();
    for (InetSocketAddress address : advertised) {
      members.add(address.getAddress().getHostAddress() + ":" + address.getPort());
    }
    for (int i = 0; i < 4; i++) {
      ClusterConfig cluster =
          new ClusterConfig(
              clusterName,
              "tcp",
              members,
              SeverableLinks.address(i).getHostAddress(),
              realPorts[i],
              1,
              "",
              i != LITE,
              DATA_MEMBERS);
      Config config = HazelcastConfigFactory.create(cluster);
      InetSocketAddress bind = new InetSocketAddress(SeverableLinks.address(i), realPorts[i]);
      config
          .getNetworkConfig()
          .getMemberAddressProviderConfig()
          .setEnabled(true)
          .setImplementation(new FixedAddresses(bind, advertised[i]));
      // Outgoing connections leave from the member's own address, which is how the relays tell
      // members apart.
      config.setProperty("hazelcast.socket.client.bind.any", "false");
      if (i == LITE) {
        lite = Hazelcast.newHazelcastInstance(config);
        continue;
      }
      VertxOptions options =
          new VertxOptions()
              .setEventBusOptions(
                  new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
      nodes.add(
          await(
              Vertx.builder()
                  .with(options)
                  .withClusterManager(new HazelcastClusterManager(config))
                  .buildClustered()));
    }
    awaitCondition(
        "all four members see each other",
        Duration.ofSeconds(30),
        () -> sizes(List.of(A, B, C, LITE)).stream().allMatch(n -> n == 4));
    awaitCondition(
        "partitions settle",
        Duration.ofSeconds(30),
        () -> hazelcast(A).getPartitionService().isClusterSafe());

    // A catalog per side, as a real deployment spreads its instances: a cut-off cart instance
    // still prices products, so what refuses its writes is the cluster, not the catalog.
    for (Vertx node : nodes) {
      catalogs.add(await(new StandInCatalog().start(node)));
    }
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
                "127.0.0.1:1",
                "CART_ORDER_EVENTS",
                "false",
                InternalTokens.PUBLIC_KEY_ENV,
                key.publicPem()));
    for (int i : new int[] {A, B, C}) {
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
    network.heal();
    if (clientVertx != null) {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (lite != null) {
      lite.shutdown();
    }
    network.close();
  }

  @Test
  void theMinorityRefusesWritesAndEveryAcknowledgedWriteSurvivesTheMerge() throws Exception {
    String book = product("Book", 1999);
    String pen = product("Pen", 250);
    String ink = product("Ink", 700);
    // Carts whose entries C owns: C keeps taking their writes until it notices the partition.
    List<String> onC = accountsOwnedBy(C, 7);
    List<String> window = onC.subList(0, 4);
    String removal = onC.get(4);
    String cleared = onC.get(5);
    String ordered = onC.get(6);
    Instant orderedCartAt = null;
    for (String account : onC) {
      HttpResponse<Buffer> put = calls.put(ports[A], account, book, 1);
      assertThat(put.statusCode()).isEqualTo(200);
      if (account.equals(ordered)) {
        orderedCartAt = Instant.parse(put.bodyAsJsonObject().getString("updatedAt"));
      }
    }
    assertThat(calls.put(ports[B], removal, pen, 2).statusCode()).isEqualTo(200);

    network.cut(Set.of(C, LITE));
    // Sent at once, before C can know: C applies them, then waits in vain for the backups.
    List<Future<HttpResponse<Buffer>>> early = new ArrayList<>();
    for (String account : window) {
      early.add(calls.putAsync(ports[C], account, pen, 2));
    }
    await(Future.join(early));
    Set<String> acknowledgedOnC = new java.util.HashSet<>();
    for (int i = 0; i < window.size(); i++) {
      if (early.get(i).result().statusCode() == 200) {
        acknowledgedOnC.add(window.get(i));
      }
    }
    awaitCondition(
        "each side sees only itself",
        Duration.ofSeconds(20),
        () -> sizes(List.of(A, B, C, LITE)).equals(List.of(2, 2, 2, 2)));

    // C's side holds as many members as A's but one data member of three: writes are refused.
    // (Changes that need no catalog, so that what refuses them can only be the cluster: C's view
    // of the catalog instances changes with the membership too.)
    for (HttpResponse<Buffer> refused :
        List.of(
            calls.deleteItem(ports[C], window.get(0), book),
            calls.deleteItem(ports[C], removal, book),
            calls.clear(ports[C], cleared))) {
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("cart-cluster-minority");
      assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
    }
    assertThat(calls.get(ports[C], window.get(0)).statusCode())
        .as("reads still answer")
        .isEqualTo(200);
    assertThat(
            registries
                .get(C)
                .counter("storefront_cart_operations", "operation", "remove", "outcome", "minority")
                .count())
        .isEqualTo(2);

    // An order placed from a cart is confirmed, and the event reaches C's consumer: it waits for
    // the quorum instead of failing at once.
    CartRepository onCsCarts =
        await(
            CartRepository.open(
                nodes.get(C),
                new CartConfig.Storage(Duration.ofDays(7), 100, 30),
                new SimpleMeterRegistry()));
    Future<Void> confirmation =
        new OrderEvents(onCsCarts, new SimpleMeterRegistry(), Duration.ofSeconds(60))
            .handle(confirmed(ordered, orderedCartAt, Map.of(book, 1)));
    Thread.sleep(1_500);
    assertThat(confirmation.isComplete()).as("waiting for the partition to heal").isFalse();

    // The majority goes on.
    for (int i = 0; i < window.size(); i++) {
      HttpResponse<Buffer> accepted = calls.put(ports[i % 2 == 0 ? A : B], window.get(i), ink, 3);
      assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(200);
    }
    HttpResponse<Buffer> removed = calls.deleteItem(ports[A], removal, pen);
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> emptied = calls.clear(ports[B], cleared);
    assertThat(emptied.statusCode()).as(emptied.bodyAsString()).isEqualTo(204);

    // C's side is the smaller (fewer data members), so C merges into A's: Hazelcast reports MERGED
    // once C's entries have been merged into the other side's.
    CountDownLatch merged = new CountDownLatch(1);
    hazelcast(C)
        .getLifecycleService()
        .addLifecycleListener(
            event -> {
              if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                merged.countDown();
              }
            });
    long healedAt = System.nanoTime();
    network.heal();
    assertThat(merged.await(45, TimeUnit.SECONDS)).as("C merged").isTrue();
    awaitCondition(
        "the two sides merge",
        Duration.ofSeconds(45),
        () ->
            sizes(List.of(A, B, C, LITE)).stream().allMatch(n -> n == 4)
                && hazelcast(A).getPartitionService().isClusterSafe());
    System.out.printf(
        "[CartPartitionIT] %d of %d writes sent to C as the partition began were acknowledged;"
            + " merged %d ms after the network healed%n",
        acknowledgedOnC.size(), window.size(), (System.nanoTime() - healedAt) / 1_000_000);
    assertThat(acknowledgedOnC)
        .as("C acknowledged writes before it noticed the partition")
        .isNotEmpty();

    await(confirmation);
    for (int port : ports) {
      assertThat(calls.get(port, ordered).bodyAsJsonObject().getJsonArray("items"))
          .as("the cart of the order confirmed on the minority side is emptied once it healed")
          .isEmpty();
      for (String account : window) {
        Map<String, Integer> expected = new HashMap<>(Map.of(book, 1, ink, 3));
        if (acknowledgedOnC.contains(account)) {
          expected.put(pen, 2);
        }
        assertThat(quantities(calls.get(port, account).bodyAsJsonObject()))
            .as("cart %s through port %d", account, port)
            .isEqualTo(expected);
      }
      assertThat(quantities(calls.get(port, removal).bodyAsJsonObject()))
          .as("the line removed on the majority side stays removed")
          .isEqualTo(Map.of(book, 1));
      assertThat(calls.get(port, cleared).bodyAsJsonObject().getJsonArray("items"))
          .as("the cart cleared on the majority side stays empty")
          .isEmpty();
    }
    // And C takes writes again.
    HttpResponse<Buffer> again = calls.deleteItem(ports[C], window.get(0), ink);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(quantities(again.bodyAsJsonObject())).doesNotContainKey(ink).containsKey(book);
  }

  private static EventEnvelope confirmed(
      String account, Instant cartUpdatedAt, Map<String, Integer> items) {
    JsonArray lines = new JsonArray();
    items.forEach(
        (product, quantity) ->
            lines.add(new JsonObject().put("productId", product).put("quantity", quantity)));
    return EventEnvelope.create(
        OrderEvents.ORDER_CONFIRMED,
        UUID.randomUUID(),
        new JsonObject()
            .put("accountId", account)
            .put("items", lines)
            .put("cartUpdatedAt", cartUpdatedAt.toString()));
  }

  private static String product(String name, long amountMinor) {
    String id = UUID.randomUUID().toString();
    catalogs.forEach(c -> c.put(id, name, amountMinor, "EUR"));
    return id;
  }

  private static List<String> accountsOwnedBy(int member, int count) {
    UUID owner = hazelcast(member).getCluster().getLocalMember().getUuid();
    List<String> accounts = new ArrayList<>();
    while (accounts.size() < count) {
      String account = "shopper-" + UUID.randomUUID();
      if (hazelcast(A)
          .getPartitionService()
          .getPartition(account)
          .getOwner()
          .getUuid()
          .equals(owner)) {
        accounts.add(account);
      }
    }
    return accounts;
  }

  private static List<Integer> sizes(List<Integer> members) {
    return members.stream().map(m -> hazelcast(m).getCluster().getMembers().size()).toList();
  }

  private static void awaitCondition(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
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
    if (member == LITE) {
      return lite;
    }
    return ((HazelcastClusterManager) ((VertxInternal) nodes.get(member)).clusterManager())
        .getHazelcastInstance();
  }

  private static int freePort(int member) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(SeverableLinks.address(member), 0));
      return socket.getLocalPort();
    }
  }

  /** Binds one address and advertises another: the member's relay. */
  private record FixedAddresses(InetSocketAddress bind, InetSocketAddress advertised)
      implements MemberAddressProvider {

    @Override
    public InetSocketAddress getBindAddress() {
      return bind;
    }

    @Override
    public InetSocketAddress getBindAddress(EndpointQualifier qualifier) {
      return bind;
    }

    @Override
    public InetSocketAddress getPublicAddress() {
      return advertised;
    }

    @Override
    public InetSocketAddress getPublicAddress(EndpointQualifier qualifier) {
      return advertised;
    }
  }
}
