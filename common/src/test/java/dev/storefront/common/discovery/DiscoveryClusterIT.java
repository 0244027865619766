package dev.storefront.common.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three clustered Vert.x members in this JVM, each with the project's Hazelcast configuration, its
 * own discovery, directory and reaper, as every service process has them. Member 2 is killed hard
 * (its Hazelcast instance terminated, nothing unpublished) and the survivors must forget it.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveryClusterIT {

  private static final int MEMBERS = 3;
  private static final String SERVICE = "catalog";

  /** How long a hard-killed member's endpoints may outlive it. */
  private static final Duration REAP_LIMIT = Duration.ofSeconds(5);

  /** How long a published instance may stay unknown to the other members. */
  private static final Duration PUBLISH_LIMIT = Duration.ofSeconds(5);

  /** How long to keep measuring before giving up, so a slow result still reports its time. */
  private static final Duration MEASURE_LIMIT = Duration.ofSeconds(20);

  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<ServiceDiscovery> discoveries = new ArrayList<>();
  private static final List<ServiceDirectory> directories = new ArrayList<>();
  private static final List<DeadMemberReaper> reapers = new ArrayList<>();
  private static final List<Counter> reaped = new ArrayList<>();
  private static final List<String> nodeIds = new ArrayList<>();
  private static boolean member2Killed;
  private static boolean member1CutOff;

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
    for (Vertx node : nodes) {
      nodeIds.add(ClusterMembership.of(node).nodeId());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!nodes.stream().allMatch(n -> ClusterMembership.of(n).memberIds().size() == MEMBERS)) {
      assertThat(System.nanoTime()).as("all members see each other").isLessThan(deadline);
      Thread.sleep(100);
    }
    // The kill below is of a member of a settled cluster: a member killed while partitions are
    // still migrating to it (the first seconds after a join) takes the survivors' store queries
    // a few seconds longer.
    while (!hazelcastOf(nodes.get(0))
        .getHazelcastInstance()
        .getPartitionService()
        .isClusterSafe()) {
      assertThat(System.nanoTime()).as("partitions settle").isLessThan(deadline);
      Thread.sleep(100);
    }

    for (Vertx node : nodes) {
      ServiceDiscovery discovery = ServiceDiscovery.create(node);
      ServiceDirectory directory = new ServiceDirectory(node, discovery);
      Counter counter = Counter.builder("reaped").register(new SimpleMeterRegistry());
      DeadMemberReaper reaper = new DeadMemberReaper(node, discovery, counter);
      // Like a service's verticle does: on a context of its own, so its callbacks share a thread.
      await(onContext(node, () -> directory.start().map(d -> reaper).onSuccess(r -> r.start())));
      discoveries.add(discovery);
      directories.add(directory);
      reapers.add(reaper);
      reaped.add(counter);
    }

    await(discoveries.get(1).publish(endpoint(1, "a", 1111)));
    await(discoveries.get(2).publish(endpoint(2, "b", 2222)));
  }

  @AfterAll
  static void closeCluster() throws Exception {
    Exception first = null;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      boolean dead = (i == 2 && member2Killed) || (i == 1 && member1CutOff);
      try {
        close(i, dead);
      } catch (Exception e) {
        // The terminated member cannot leave a cluster it is no longer part of.
        if (!dead && first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void close(int i, boolean dead) throws Exception {
    Vertx node = nodes.get(i);
    if (!dead && i < reapers.size()) {
      DeadMemberReaper reaper = reapers.get(i);
      ServiceDirectory directory = directories.get(i);
      ServiceDiscovery discovery = discoveries.get(i);
      await(
          onContext(
              node,
              () -> {
                reaper.stop();
                return directory.stop().onComplete(ar -> discovery.close());
              }));
    }
    node.close().toCompletionStage().toCompletableFuture().get(dead ? 5 : 30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void everyMemberFindsEveryPublishedInstance(VertxTestContext ctx) {
    long start = System.nanoTime();
    eventually(
            nodes.get(0),
            PUBLISH_LIMIT,
            () ->
                Future.succeededFuture(
                    directories.stream().allMatch(d -> instanceIds(d).equals(Set.of("a", "b")))))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          System.out.printf(
                              "[DiscoveryClusterIT] every member's directory listed both"
                                  + " catalog instances after %d ms%n",
                              millisSince(start));
                          List<Endpoint> catalog = directories.get(0).instances(SERVICE);
                          assertThat(catalog)
                              .extracting(Endpoint::nodeId)
                              .containsExactlyInAnyOrder(nodeIds.get(1), nodeIds.get(2));
                          assertThat(catalog)
                              .extracting(Endpoint::authority)
                              .containsExactlyInAnyOrder("127.0.0.1:1111", "127.0.0.1:2222");
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(2)
  void sweepRemovesRecordsOfNodesThatAreNotMembers(VertxTestContext ctx) {
    String ghost = UUID.randomUUID().toString();
    double reapedBefore = totalReaped();

    discoveries
        .get(0)
        .publish(
            Endpoint.record(new ServiceIdentity(SERVICE, "it", "ghost"), "127.0.0.1", 3333, ghost))
        .compose(published -> onContext(nodes.get(0), () -> reapers.get(0).sweep()))
        .compose(swept -> storeOwners(0).map(owners -> new Object[] {swept, owners}))
        .onComplete(
            ctx.succeeding(
                result ->
                    ctx.verify(
                        () -> {
                          int swept = (Integer) result[0];
                          @SuppressWarnings("unchecked")
                          List<String> owners = (List<String>) result[1];
                          assertThat(owners).doesNotContain(ghost);
                          assertThat(owners)
                              .containsExactlyInAnyOrder(nodeIds.get(1), nodeIds.get(2));
                          // Every reaper also sweeps on its own timer; exactly one removal
                          // happened, normally by the sweep called here.
                          assertThat(totalReaped() - reapedBefore).isEqualTo(1.0);
                          assertThat(swept).isBetween(0, 1);
                          ctx.completeNow();
                        })));
  }

  @Test
  @Order(3)
  void aHardKilledMembersEndpointsDisappearWithinFiveSeconds(VertxTestContext ctx) {
    String dead = nodeIds.get(2);
    String survivor = nodeIds.get(1);
    double reapedBefore = totalReaped();
    long start = System.nanoTime();

    // No unpublish, no leave: the process is simply gone, as after kill -9.
    hazelcastOf(nodes.get(2)).getHazelcastInstance().getLifecycleService().terminate();
    member2Killed = true;
    // Its timers would only log that its cluster is gone.
    reapers.get(2).stop();
    directories.get(2).stop();

    long[] directoryMillis = new long[1];
    eventually(
            nodes.get(0),
            MEASURE_LIMIT,
            () -> Future.succeededFuture(!directoryNodeIds(0).contains(dead)))
        .onSuccess(v -> directoryMillis[0] = millisSince(start))
        .compose(
            v ->
                eventually(
                    nodes.get(0), MEASURE_LIMIT, () -> storeOwners(0).map(o -> !o.contains(dead))))
        .compose(
            v -> {
              long storeMillis = millisSince(start);
              System.out.printf(
                  "[DiscoveryClusterIT] hard-killed member gone from member 0's directory after"
                      + " %d ms, from the discovery store after %d ms%n",
                  directoryMillis[0], storeMillis);
              return storeOwners(0).map(owners -> new Object[] {storeMillis, owners});
            })
        .onComplete(
            ctx.succeeding(
                result ->
                    ctx.verify(
                        () -> {
                          long storeMillis = (Long) result[0];
                          @SuppressWarnings("unchecked")
                          List<String> owners = (List<String>) result[1];
                          assertThat(directoryMillis[0]).isLessThan(REAP_LIMIT.toMillis());
                          assertThat(storeMillis).isLessThan(REAP_LIMIT.toMillis());
                          assertThat(owners).containsExactly(survivor);
                          assertThat(directoryNodeIds(0)).containsExactly(survivor);
                          assertThat(directoryNodeIds(1)).containsExactly(survivor);
                          assertThat(instanceIds(0)).containsExactly("a");
                          // Both survivors race to remove the record; exactly one wins.
                          assertThat(totalReaped() - reapedBefore).isEqualTo(1.0);
                          assertThat(ClusterMembership.of(nodes.get(0)).memberIds())
                              .containsExactlyInAnyOrder(nodeIds.get(0), survivor);
                          ctx.completeNow();
                        })));
  }

  /** A directory hears of a new or withdrawn instance from discovery's announcements at once. */
  @Test
  @Order(4)
  void aDirectoryFollowsAnnouncementsWithoutWaitingForItsResync(VertxTestContext ctx) {
    Vertx node = nodes.get(0);
    ServiceDirectory fresh = new ServiceDirectory(node, discoveries.get(0));
    // Started now, this directory has read the store; its own timer re-reads it only in 15 s.
    Record record = endpoint(1, "c", 4444);
    long start = System.nanoTime();
    long[] seenMillis = new long[1];
    onContext(node, fresh::start)
        .compose(d -> discoveries.get(1).publish(record))
        .compose(
            published ->
                eventually(
                    node,
                    Duration.ofSeconds(2),
                    () -> Future.succeededFuture(hasInstance(fresh, "c"))))
        .onSuccess(v -> seenMillis[0] = millisSince(start))
        .compose(v -> discoveries.get(1).unpublish(record.getRegistration()))
        .compose(
            v ->
                eventually(
                    node,
                    Duration.ofSeconds(2),
                    () -> Future.succeededFuture(!hasInstance(fresh, "c"))))
        .eventually(() -> onContext(node, fresh::stop))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(seenMillis[0]).isLessThan(2_000);
                          ctx.completeNow();
                        })));
  }

  /**
   * A member that leaves this process's sight of the cluster but still answers (cut off, not dead)
   * stays in the view, marked as retained, for as long as its readiness check answers; then goes.
   */
  @Test
  @Order(5)
  void anInstanceCutOffFromTheClusterIsRoutedToWhileItAnswersItsHealthCheck(VertxTestContext ctx)
      throws Exception {
    Vertx cutOff = nodes.get(1);
    HttpServer health =
        await(
            cutOff
                .createHttpServer()
                .requestHandler(r -> r.response().end("{\"status\":\"UP\"}"))
                .listen(0, "127.0.0.1"));
    Record record =
        Endpoint.record(
            new ServiceIdentity(SERVICE, "it", "d"),
            "127.0.0.1",
            5555,
            health.actualPort(),
            nodeIds.get(1));
    await(discoveries.get(1).publish(record));
    await(
        eventually(
            nodes.get(0),
            Duration.ofSeconds(5),
            () -> Future.succeededFuture(hasInstance(directories.get(0), "d"))));

    // Member 1's cluster traffic stops; its HTTP side goes on answering.
    reapers.get(1).stop();
    directories.get(1).stop();
    hazelcastOf(cutOff).getHazelcastInstance().getLifecycleService().terminate();
    member1CutOff = true;

    long start = System.nanoTime();
    eventually(
            nodes.get(0),
            Duration.ofSeconds(15),
            () ->
                Future.succeededFuture(
                    !ClusterMembership.of(nodes.get(0)).memberIds().contains(nodeIds.get(1))
                        && directories.get(0).retained().size() == 1))
        .compose(
            v -> {
              long retainedMillis = millisSince(start);
              System.out.printf(
                  "[DiscoveryClusterIT] cut-off member retained %d ms after the kill%n",
                  retainedMillis);
              ctx.verify(
                  () -> {
                    assertThat(instanceIds(0)).contains("d").doesNotContain("a");
                    assertThat(directories.get(0).retained())
                        .extracting(Endpoint::instanceId)
                        .containsExactly("d");
                  });
              return health.close();
            })
        .compose(
            v ->
                eventually(
                    nodes.get(0),
                    Duration.ofMillis(ServiceDirectory.RETAINED_PROBE_MS * 2 + 2_000),
                    () -> Future.succeededFuture(!hasInstance(directories.get(0), "d"))))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(directories.get(0).retained()).isEmpty();
                          ctx.completeNow();
                        })));
  }

  private static Record endpoint(int member, String instanceId, int port) {
    return Endpoint.record(
        new ServiceIdentity(SERVICE, "it", instanceId), "127.0.0.1", port, nodeIds.get(member));
  }

  private static boolean hasInstance(ServiceDirectory directory, String instanceId) {
    return directory.instances(SERVICE).stream().anyMatch(e -> e.instanceId().equals(instanceId));
  }

  private static Set<String> instanceIds(int member) {
    return instanceIds(directories.get(member));
  }

  private static Set<String> instanceIds(ServiceDirectory directory) {
    return directory.instances(SERVICE).stream()
        .map(Endpoint::instanceId)
        .collect(Collectors.toSet());
  }

  private static List<String> directoryNodeIds(int member) {
    return directories.get(member).instances(SERVICE).stream().map(Endpoint::nodeId).toList();
  }

  /** The owning node of every record in the cluster-wide store, as member {@code i} reads it. */
  private static Future<List<String>> storeOwners(int member) {
    return discoveries
        .get(member)
        .getRecords(r -> true, true)
        .map(
            records ->
                records.stream().map(r -> r.getMetadata().getString(Endpoint.NODE_ID)).toList());
  }

  private static double totalReaped() {
    return reaped.stream().mapToDouble(Counter::count).sum();
  }

  private static HazelcastClusterManager hazelcastOf(Vertx node) {
    return (HazelcastClusterManager) ((VertxInternal) node).clusterManager();
  }

  private static <T> Future<T> onContext(Vertx node, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    node.getOrCreateContext().runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Succeeds once {@code condition} holds, checking every 50 ms; fails after {@code limit}. */
  private static Future<Void> eventually(
      Vertx node, Duration limit, Supplier<Future<Boolean>> condition) {
    Promise<Void> promise = Promise.promise();
    poll(node, System.nanoTime() + limit.toNanos(), limit, condition, promise);
    return promise.future();
  }

  private static void poll(
      Vertx node,
      long deadline,
      Duration limit,
      Supplier<Future<Boolean>> condition,
      Promise<Void> promise) {
    condition
        .get()
        .otherwise(false)
        .onSuccess(
            met -> {
              if (met) {
                promise.complete();
              } else if (System.nanoTime() > deadline) {
                promise.fail(new AssertionError("condition not met within " + limit));
              } else {
                node.setTimer(50, t -> poll(node, deadline, limit, condition, promise));
              }
            });
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
