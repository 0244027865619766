package dev.storefront.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storefront.common.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lite members (processes that hold no cluster data) beside data members, in a real cluster. */
class StorefrontClusterManagerIT {

  private final String clusterName = "it-" + UUID.randomUUID();
  // Far from 5701, where a local stack may run, so the test never joins it.
  private final int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void leave() throws Exception {
    for (Vertx node : nodes) {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLiteMemberStartedFirstWaitsForADataMemberThenHoldsNoPartitions() throws Exception {
    Future<Vertx> lite = member(false);
    Thread.sleep(4_000);
    // Without the wait, Vert.x fails at once: its node record has nowhere to go.
    assertThat(lite.isComplete()).as("a lite member alone has joined").isFalse();

    Vertx data = await(member(true));
    Vertx liteNode = await(lite);

    HazelcastInstance liteHazelcast = hazelcastOf(liteNode);
    assertThat(liteHazelcast.getCluster().getLocalMember().isLiteMember()).isTrue();
    assertThat(liteHazelcast.getPartitionService().getPartitions())
        .noneMatch(p -> liteHazelcast.getCluster().getLocalMember().equals(p.getOwner()));
    // The lite member still reads and writes cluster maps, held by the data member.
    await(
        liteNode.sharedData().<String, String>getAsyncMap("shared").compose(m -> m.put("k", "v")));
    String read =
        await(data.sharedData().<String, String>getAsyncMap("shared").compose(m -> m.get("k")));
    assertThat(read).isEqualTo("v");
  }

  @Test
  void aLiteMemberJoiningADataMemberStartsAtOnceAndMovesNoPartitions() throws Exception {
    Vertx data = await(member(true));
    HazelcastInstance dataHazelcast = hazelcastOf(data);
    int owned = ownedBy(dataHazelcast);

    await(member(false));

    assertThat(ownedBy(dataHazelcast)).isEqualTo(owned);
  }

  private static int ownedBy(HazelcastInstance hazelcast) {
    return (int)
        hazelcast.getPartitionService().getPartitions().stream()
            .filter(p -> hazelcast.getCluster().getLocalMember().equals(p.getOwner()))
            .count();
  }

  private Future<Vertx> member(boolean dataMember) {
    ClusterConfig cluster =
        new ClusterConfig(
            clusterName, "tcp", List.of("127.0.0.1"), "127.0.0.1", basePort, 20, "", dataMember);
    VertxOptions options =
        new VertxOptions()
            .setEventBusOptions(
                new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
    return Vertx.builder()
        .with(options)
        .withClusterManager(new StorefrontClusterManager(HazelcastConfigFactory.create(cluster)))
        .buildClustered()
        .onSuccess(nodes::add);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static HazelcastInstance hazelcastOf(Vertx node) {
    return ((HazelcastClusterManager) ((VertxInternal) node).clusterManager())
        .getHazelcastInstance();
  }
}
