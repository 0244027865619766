package dev.storefront.common.launch;

import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x application launcher with Storefront's defaults: clustered over Hazelcast as
 * configured by environment variables, Micrometer metrics on. The manifest's {@code Main-Verticle}
 * names the service's verticle, which deploys one HTTP verticle per event loop itself, so the
 * launcher deploys it once.
 *
 * <p>{@code STOREFRONT_CLUSTERED=false} runs a process outside any cluster (single-service
 * experiments); every other option of {@link VertxApplication} still applies.
 *
 * <p>A stop that takes longer than {@code STOP_TIMEOUT_MS} (25 s) is ended by {@link StopWatchdog},
 * with every thread's stack in the log.
 *
 * <p>Sockets run on the transport {@link NetworkTransport} chooses from {@code
 * STOREFRONT_TRANSPORT}: io_uring where the kernel allows it, then epoll, then NIO.
 */
public class StorefrontLauncher extends VertxApplication implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(StorefrontLauncher.class);

  private final Env env;

  public StorefrontLauncher(String[] args, Env env) {
    super(args);
    this.env = env;
  }

  public static void main(String[] args) {
    Env env = Env.system();
    new StorefrontLauncher(withDefaults(args, env), env).launch();
  }

  static String[] withDefaults(String[] args, Env env) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    boolean clustered = env.bool("STOREFRONT_CLUSTERED", true);
    if (clustered && all.stream().noneMatch(a -> a.matches("-{1,2}cluster"))) {
      all.add("-cluster");
    }
    return all.toArray(String[]::new);
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    NetworkTransport transport = NetworkTransport.choose(env);
    LOG.info("Network transport: {} ({})", transport.name(), transport.reason());
    options.setMetricsOptions(Metrics.options());
    VertxBuilder builder =
        Vertx.builder()
            .with(options)
            .withTransport(transport.transport())
            .withMetrics(Metrics.factory());
    if (env.bool("STOREFRONT_CLUSTERED", true)) {
      ClusterConfig cluster = ClusterConfig.from(env);
      builder.withClusterManager(
          new HazelcastClusterManager(HazelcastConfigFactory.create(cluster)));
      options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host());
    }
    return builder;
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    // With the stop's earlier steps in the log, the last line tells where a slow stop spent time.
    LOG.info("Stopped");
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    StopWatchdog.armAtShutdown(env.millis("STOP_TIMEOUT_MS", 25_000));
  }
}
