package dev.storefront.common.launch;

import dev.storefront.common.cluster.HazelcastConfigFactory;
import dev.storefront.common.cluster.StorefrontClusterManager;
import dev.storefront.common.config.ClusterConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x application launcher with Storefront's defaults: clustered over Hazelcast as
 * configured by environment variables, Micrometer metrics on. The manifest's {@code Main-Verticle}
 * names the service's verticle, which deploys one HTTP verticle per event loop itself, so the
 * launcher deploys it once.
 *
 * <p>Whether the process holds cluster data comes from {@code STOREFRONT_CLUSTER_DATA_MEMBER}, by
 * default from the jar's manifest: only the services that keep data in the cluster are data
 * members, the others are lite members (see {@link StorefrontClusterManager}).
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

  static final String DATA_MEMBER_ATTRIBUTE = "Storefront-Cluster-Data-Member";

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
      ClusterConfig cluster = ClusterConfig.from(env, dataMemberByDefault());
      LOG.info(
          "Cluster member holding data: {}",
          cluster.dataMember() ? "yes" : "no (a lite member; STOREFRONT_CLUSTER_DATA_MEMBER)");
      builder.withClusterManager(
          new StorefrontClusterManager(HazelcastConfigFactory.create(cluster)));
      options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host());
    }
    return builder;
  }

  /**
   * What the service's jar says in its manifest ({@value #DATA_MEMBER_ATTRIBUTE}): whether the
   * service keeps data in the cluster. Outside a service's jar (tests), true.
   */
  static boolean dataMemberByDefault() {
    try {
      Enumeration<URL> manifests =
          StorefrontLauncher.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
      while (manifests.hasMoreElements()) {
        try (InputStream in = manifests.nextElement().openStream()) {
          Attributes main = new Manifest(in).getMainAttributes();
          if (StorefrontLauncher.class.getName().equals(main.getValue("Main-Class"))) {
            String value = main.getValue(DATA_MEMBER_ATTRIBUTE);
            return value == null || Boolean.parseBoolean(value);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not read the jar's manifest: {}", e.toString());
    }
    return true;
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
