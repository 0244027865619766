package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways, each a clustered Vert.x member of its own real Hazelcast cluster in this JVM, each
 * with its own server and rate limiter: the limit is one limit for both.
 */
class RateLimiterClusterIT {

  private static final int MEMBERS = 2;
  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<Integer> ports = new ArrayList<>();
  private static final List<MeterRegistry> registries = new ArrayList<>();

  @BeforeAll
  static void formCluster() throws Exception {
    String clusterName = "it-" + UUID.randomUUID();
    // Far from 5701, where a local stack may run, so the test never joins it.
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    for (int i = 0; i < MEMBERS; i++) {
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
    while (!nodes.stream().allMatch(n -> ClusterMembership.of(n).memberIds().size() == MEMBERS)) {
      assertThat(System.nanoTime()).as("both members see each other").isLessThan(deadline);
      Thread.sleep(100);
    }
    // A cluster still moving partitions can hold an entry processor up for a while.
    while (!hazelcast(0).getPartitionService().isClusterSafe()) {
      assertThat(System.nanoTime()).as("partitions settle").isLessThan(deadline);
      Thread.sleep(100);
    }
    // A generous store timeout: this test is about the shared count, and a failed-open request
    // on a busy build machine would be counted as allowed.
    EdgeConfig config =
        EdgeServer.config(Map.of("RATE_LIMITS", "/api=10/60s", "RATE_LIMIT_TIMEOUT_MS", "5000"));
    for (Vertx node : nodes) {
      MeterRegistry registry = new SimpleMeterRegistry();
      BucketStore store = BucketStore.forVertx(node);
      assertThat(store).isInstanceOf(HazelcastBucketStore.class);
      RateLimiter limiter = new RateLimiter(config, store, registry, ctx -> null);
      Router router =
          EdgeServer.router(
              node,
              r -> {
                r.route().handler(limiter);
                r.route().handler(ctx -> ctx.end("ok"));
              });
      registries.add(registry);
      ports.add(await(EdgeServer.start(node, router)).actualPort());
    }
  }

  @AfterAll
  static void closeCluster() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneLimitHoldsAcrossBothGateways() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    List<HttpClient> clients = nodes.stream().<HttpClient>map(Vertx::createHttpClient).toList();
    // Alternating gateways, six requests through each, all from the same address.
    for (int i = 0; i < 6; i++) {
      for (int member = 0; member < MEMBERS; member++) {
        statuses.add(await(get(clients.get(member), ports.get(member), "/api/products")));
      }
    }
    long allowed = statuses.stream().filter(s -> s == 200).count();
    long refused = statuses.stream().filter(s -> s == 429).count();
    assertThat(allowed).as("statuses %s", statuses).isEqualTo(10);
    assertThat(refused).as("statuses %s", statuses).isEqualTo(2);
    assertThat(statuses.subList(10, 12)).containsExactly(429, 429);
    for (MeterRegistry registry : registries) {
      assertThat(registry.counter("storefront_rate_limit_errors").count()).isZero();
    }
    double limited =
        registries.stream()
            .mapToDouble(r -> r.counter("storefront_rate_limited", "limit", "/api").count())
            .sum();
    assertThat(limited).isEqualTo(2.0);

    // The bucket is one entry in the cluster map, which forgets it once it would be full again.
    var entry =
        hazelcast(1)
            .<String, long[]>getMap(HazelcastBucketStore.MAP)
            .getEntryView("/api|address:127.0.0.1");
    assertThat(entry).isNotNull();
    assertThat(entry.getTtl()).isEqualTo(61_000);
  }

  private static Future<Integer> get(HttpClient client, int port, String path) {
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path))
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  private static HazelcastInstance hazelcast(int member) {
    return ClusterMembership.of(nodes.get(member)).hazelcast().orElseThrow();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
