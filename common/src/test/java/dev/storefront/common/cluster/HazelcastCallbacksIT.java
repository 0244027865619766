package dev.storefront.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storefront.common.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callbacks on cluster operations run on reused threads, on a real two-member cluster: before, a
 * process whose common pool had one thread (2 CPUs) started a thread for every one.
 */
class HazelcastCallbacksIT {

  private static final int OPERATIONS = 300;
  private static final List<Vertx> nodes = new ArrayList<>();

  @BeforeAll
  static void formCluster() throws Exception {
    String clusterName = "it-" + UUID.randomUUID();
    // Far from 5701, where a local stack may run, so the test never joins it.
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    for (int i = 0; i < 2; i++) {
      ClusterConfig cluster =
          new ClusterConfig(
              clusterName, "tcp", List.of("127.0.0.1"), "127.0.0.1", basePort, 20, "", true);
      VertxOptions options =
          new VertxOptions()
              .setEventBusOptions(
                  new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
      nodes.add(
          Vertx.builder()
              .with(options)
              .withClusterManager(
                  new HazelcastClusterManager(HazelcastConfigFactory.create(cluster)))
              .buildClustered()
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  static void leave() throws Exception {
    for (Vertx node : nodes) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void callbacksOnClusterOperationsRunOnTheNamedPool() throws Exception {
    HazelcastInstance hazelcast = hazelcastOf(nodes.get(0));
    IMap<String, String> map = hazelcast.getMap("callbacks-" + UUID.randomUUID());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < OPERATIONS; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      map.putAsync("key-" + i, "value")
          .whenComplete(
              (previous, failure) -> {
                threads.add(Thread.currentThread().getName());
                done.complete(null);
              });
      done.get(10, TimeUnit.SECONDS);
    }
    assertThat(threads).allMatch(name -> name.startsWith(HazelcastCallbacks.THREAD_PREFIX));
    // One after another, each callback finds the last one's thread idle.
    assertThat(threads).hasSizeLessThan(OPERATIONS / 10);
  }

  @Test
  void clusteredMapOperationsStartNoThreadEach() throws Exception {
    Vertx vertx = nodes.get(0);
    AsyncMap<String, String> map =
        vertx
            .sharedData()
            .<String, String>getClusterWideMap("callbacks-" + UUID.randomUUID())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    var threadsBean = ManagementFactory.getThreadMXBean();
    long startedBefore = threadsBean.getTotalStartedThreadCount();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < OPERATIONS; i++) {
      String key = "key-" + i;
      chain = chain.compose(v -> map.put(key, "value")).compose(v -> map.get(key)).mapEmpty();
    }
    chain.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long started = threadsBean.getTotalStartedThreadCount() - startedBefore;
    assertThat(started).as("threads started for %d operations", 2 * OPERATIONS).isLessThan(30);
  }

  private static HazelcastInstance hazelcastOf(Vertx vertx) {
    return ((HazelcastClusterManager)
            ((io.vertx.core.internal.VertxInternal) vertx).clusterManager())
        .getHazelcastInstance();
  }
}
