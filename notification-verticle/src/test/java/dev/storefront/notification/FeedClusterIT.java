package dev.storefront.notification;

import static dev.storefront.notification.FeedCalls.await;
import static dev.storefront.notification.FeedWriter.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import dev.storefront.notification.SseClient.Event;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.web.client.WebClient;
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
 * Two notification processes, each a clustered Vert.x member of a real Hazelcast cluster in this
 * JVM, on one database. The consumer that appends a notification runs in one process; the shopper's
 * stream may be open on the other, and still hears of it at once, through the clustered event bus
 * (the heartbeat is far longer than the waits here).
 */
class FeedClusterIT {

  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<FeedService> services = new ArrayList<>();
  private static final List<FeedWriter> writers = new ArrayList<>();
  private static ThrowawayDatabase db;
  private static Vertx clients;
  private static FeedCalls calls;

  @BeforeAll
  static void formCluster() throws Exception {
    db = ThrowawayDatabase.create("feed_cluster");
    String clusterName = "it-" + UUID.randomUUID();
    // Far from 5701, where a local stack may run, so the test never joins it.
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    for (int i = 0; i < 2; i++) {
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
    while (!nodes.stream().allMatch(n -> ClusterMembership.of(n).memberIds().size() == 2)) {
      assertThat(System.nanoTime()).as("both members see each other").isLessThan(deadline);
      Thread.sleep(100);
    }
    EcKeys.SigningKey key = EcKeys.generate();
    for (Vertx node : nodes) {
      FeedService service =
          FeedService.deploy(
              node, FeedService.env(db, key, Map.of("NOTIFICATION_STREAM_HEARTBEAT_S", "50")));
      services.add(service);
      writers.add(new FeedWriter(node, service.env(), 2));
    }
    clients = Vertx.vertx();
    calls = new FeedCalls(WebClient.create(clients), new InternalTokens.Issuer(clients, key));
  }

  @AfterAll
  static void closeCluster() throws Exception {
    try {
      writers.forEach(FeedWriter::close);
      if (clients != null) {
        await(clients.close());
      }
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void aNotificationAppendedInOneProcessReachesStreamsOpenOnEither() {
    String account = "acc-" + UUID.randomUUID();
    try (SseClient onFirst = SseClient.open(clients, calls, services.get(0).port(), account);
        SseClient onSecond = SseClient.open(clients, calls, services.get(1).port(), account)) {
      assertThat(onFirst.status()).isEqualTo(200);
      assertThat(onSecond.status()).isEqualTo(200);

      long id = 0;
      for (int round = 0; round < 4; round++) {
        // Appended alternately by the consumer in one process and in the other.
        FeedWriter writer = writers.get(round % 2);
        long appendedAt = System.nanoTime();
        id = await(writer.append(notification(account, "round " + round, "b")));

        for (SseClient stream : List.of(onFirst, onSecond)) {
          Event event = stream.next(5_000);
          assertThat(event.id()).isEqualTo(id).isEqualTo(round + 1);
          assertThat(TimeUnit.NANOSECONDS.toMillis(event.receivedNanos() - appendedAt))
              .as("milliseconds from append to arrival, round %d", round)
              .isLessThan(1_000);
        }
      }
      assertThat(id).isEqualTo(4);
    }
  }
}
