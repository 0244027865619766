package dev.storefront.common.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.cluster.ClusterMembership;
import dev.storefront.common.config.Env;
import dev.storefront.common.metrics.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Vert.x instance the launcher builds for a service process, clustered and not. */
@ExtendWith(VertxExtension.class)
class StorefrontLauncherIT {

  @Test
  void aClusteredProcessJoinsHazelcastOnTheConfiguredInterfaceWithMetrics(VertxTestContext ctx) {
    String clusterName = "it-launcher-" + UUID.randomUUID();
    Env env =
        Env.of(
            Map.of(
                "STOREFRONT_CLUSTER_NAME",
                clusterName,
                "STOREFRONT_CLUSTER_HOST",
                "127.0.0.1",
                "STOREFRONT_CLUSTER_MEMBERS",
                "127.0.0.1",
                // Away from a local stack's 5701, so the test never joins it.
                "STOREFRONT_CLUSTER_PORT",
                Integer.toString(ThreadLocalRandom.current().nextInt(20_000, 40_000))));
    StorefrontLauncher launcher = new StorefrontLauncher(new String[0], env);

    launcher
        .createVertxBuilder(new VertxOptions())
        .buildClustered()
        .onComplete(
            ctx.succeeding(
                vertx -> {
                  ctx.verify(
                      () -> {
                        VertxInternal internal = (VertxInternal) vertx;
                        assertThat(vertx.isClustered()).isTrue();
                        assertThat(vertx.isMetricsEnabled()).isTrue();
                        assertThat(Metrics.registry()).isInstanceOf(PrometheusMeterRegistry.class);
                        assertThat(internal.clusterManager())
                            .isInstanceOf(HazelcastClusterManager.class);
                        var hazelcast =
                            ((HazelcastClusterManager) internal.clusterManager())
                                .getHazelcastInstance();
                        assertThat(hazelcast.getConfig().getClusterName()).isEqualTo(clusterName);
                        assertThat(ClusterMembership.of(vertx).healthy()).isTrue();
                        // Other members reach this one's event bus at the configured address.
                        assertThat(internal.clusterManager().getNodeInfo().host())
                            .isEqualTo("127.0.0.1");
                      });
                  vertx.close().onComplete(ctx.succeedingThenComplete());
                }));
  }

  @Test
  void anUnclusteredProcessStillHasMetrics(VertxTestContext ctx) {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTERED", "false"));
    Vertx vertx =
        new StorefrontLauncher(new String[0], env).createVertxBuilder(new VertxOptions()).build();

    ctx.verify(
        () -> {
          assertThat(vertx.isClustered()).isFalse();
          assertThat(vertx.isMetricsEnabled()).isTrue();
          assertThat(Metrics.registry()).isInstanceOf(PrometheusMeterRegistry.class);
          assertThat(ClusterMembership.of(vertx).nodeId()).isEqualTo("standalone");
        });
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }
}
