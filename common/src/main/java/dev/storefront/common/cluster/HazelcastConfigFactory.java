package dev.storefront.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.storefront.common.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Turns {@link ClusterConfig} into a Hazelcast {@link Config}: Vert.x's own map and multimap
 * settings, plus explicit membership, fast joining and fast failure detection, and the write quorum
 * that maps holding acknowledged user data name.
 */
public final class HazelcastConfigFactory {

  /**
   * The split-brain protection a map names to refuse writes on a side of a partition that sees
   * fewer than {@link ClusterConfig#writeQuorum()} data members. Defined on every member when the
   * quorum is above one; a map naming it while it is undefined (a one-member cluster by design) is
   * never refused.
   */
  public static final String WRITE_QUORUM = "storefront-data-write-quorum";

  private HazelcastConfigFactory() {}

  public static Config create(ClusterConfig cluster) {
    // Every process that makes a member runs its callbacks on reused threads (see the class).
    HazelcastCallbacks.install();
    // Vert.x's default-cluster.xml configures the maps the event bus and HA need.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    // A lite member owns no partitions: joining or leaving migrates nothing.
    config.setLiteMember(!cluster.dataMember());
    config.setInstanceName("storefront-" + java.util.UUID.randomUUID());

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(cluster.portCount());

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (ClusterConfig.JOIN_KUBERNETES.equals(cluster.join())) {
      join.getTcpIpConfig().setEnabled(false);
      var kubernetes = join.getKubernetesConfig().setEnabled(true);
      if (!cluster.kubernetesServiceDns().isEmpty()) {
        kubernetes.setProperty("service-dns", cluster.kubernetesServiceDns());
      }
    } else {
      var tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
      cluster.members().forEach(tcp::addMember);
      // Bind and advertise the configured interface only, so loopback stacks stay on loopback.
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      config.setProperty("hazelcast.socket.bind.any", "false");
      // A member given without a port is probed over the whole port range.
      config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(cluster.portCount()));
    }

    // Join in about a second instead of Hazelcast's default five-second wait.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "1");
    // Processes started together may still form separate clusters for a moment: merge them fast.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // A killed member is noticed through refused connections at once, and by silence within 5 s.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // Vert.x leaves the cluster itself, after unpublishing its records; Hazelcast's own hook
    // would leave first and strand them.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Leaving waits for the member's partitions to find new owners, but not past this: a stop
    // must finish well inside a supervisor's grace period (30 s for the local stack and k8s).
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Hazelcast's own metrics feed its Management Center, which Storefront does not run (every
    // service exports its metrics through Micrometer); collecting them walks every internal probe
    // every few seconds in every process.
    config.getMetricsConfig().setEnabled(false);
    if (cluster.writeQuorum() > 1) {
      config.addSplitBrainProtectionConfig(
          new SplitBrainProtectionConfig(WRITE_QUORUM, true, cluster.writeQuorum())
              .setProtectOn(SplitBrainProtectionOn.WRITE)
              .setFunctionImplementation(new DataMemberQuorum(cluster.writeQuorum())));
    }
    return config;
  }
}
