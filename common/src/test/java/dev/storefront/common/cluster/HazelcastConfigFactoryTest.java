package dev.storefront.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.storefront.common.config.ClusterConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class HazelcastConfigFactoryTest {

  private static final ClusterConfig TCP =
      new ClusterConfig(
          "stack-a", "tcp", List.of("10.0.0.1", "10.0.0.2:5801"), "10.0.0.9", 6000, 7, "", true);

  private static final ClusterConfig KUBERNETES =
      new ClusterConfig(
          "stack-k8s",
          "kubernetes",
          List.of(),
          "0.0.0.0",
          5701,
          1,
          "storefront-hz.shop.svc.cluster.local",
          true);

  @Test
  void onlyAProcessThatHoldsClusterDataIsADataMember() {
    ClusterConfig lite =
        new ClusterConfig("s", "tcp", List.of("127.0.0.1"), "127.0.0.1", 5701, 1, "", false);

    assertThat(HazelcastConfigFactory.create(TCP).isLiteMember()).isFalse();
    assertThat(HazelcastConfigFactory.create(lite).isLiteMember()).isTrue();
  }

  @Test
  void writesNeedAMajorityOfTheExpectedDataMembersAndOneExpectedMemberNeverRefuses() {
    for (int expected : new int[] {2, 3, 4, 5}) {
      ClusterConfig cluster =
          new ClusterConfig(
              "s", "tcp", List.of("127.0.0.1"), "127.0.0.1", 5701, 1, "", true, expected);
      var quorum =
          HazelcastConfigFactory.create(cluster)
              .getSplitBrainProtectionConfigs()
              .get(HazelcastConfigFactory.WRITE_QUORUM);

      assertThat(quorum).as("%d expected", expected).isNotNull();
      assertThat(quorum.isEnabled()).isTrue();
      assertThat(quorum.getProtectOn()).isEqualTo(SplitBrainProtectionOn.WRITE);
      assertThat(quorum.getMinimumClusterSize()).isEqualTo(expected / 2 + 1);
      assertThat(quorum.getFunctionImplementation())
          .isInstanceOfSatisfying(
              DataMemberQuorum.class, f -> assertThat(f.minimum()).isEqualTo(expected / 2 + 1));
    }
    // One data member by design (a one-machine stack): nothing to protect against.
    assertThat(HazelcastConfigFactory.create(TCP).getSplitBrainProtectionConfigs()).isEmpty();
  }

  @Test
  void tcpJoinUsesExactlyTheConfiguredMembers() {
    JoinConfig join = HazelcastConfigFactory.create(TCP).getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5801");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void tcpJoinBindsAndAdvertisesOnlyTheConfiguredInterface() {
    Config config = HazelcastConfigFactory.create(TCP);

    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("10.0.0.9");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
  }

  @Test
  void portsStartAtTheConfiguredPortAndTheWholeRangeIsProbed() {
    Config config = HazelcastConfigFactory.create(TCP);

    assertThat(config.getNetworkConfig().getPort()).isEqualTo(6000);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getNetworkConfig().getPortCount()).isEqualTo(7);
    assertThat(config.getProperty("hazelcast.tcp.join.port.try.count")).isEqualTo("7");
  }

  @Test
  void theClusterNameKeepsStacksApart() {
    assertThat(HazelcastConfigFactory.create(TCP).getClusterName()).isEqualTo("stack-a");
    assertThat(HazelcastConfigFactory.create(KUBERNETES).getClusterName()).isEqualTo("stack-k8s");
  }

  @Test
  void everyConfigNamesADistinctInstance() {
    // Several members in one JVM (tests, embedded starts) must not share a Hazelcast instance.
    String first = HazelcastConfigFactory.create(TCP).getInstanceName();
    String second = HazelcastConfigFactory.create(TCP).getInstanceName();

    assertThat(first).startsWith("storefront-").isNotEqualTo(second);
  }

  @Test
  void joiningAndFailureDetectionAreFast() {
    Config config = HazelcastConfigFactory.create(TCP);

    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.max.wait.seconds.before.join")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
  }

  @Test
  void hazelcastLeavesShutdownToVertx() {
    Config config = HazelcastConfigFactory.create(TCP);

    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
  }

  @Test
  void kubernetesJoinUsesTheServiceDnsAndNoMemberList() {
    JoinConfig join = HazelcastConfigFactory.create(KUBERNETES).getNetworkConfig().getJoin();

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("storefront-hz.shop.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesJoinWithoutServiceDnsLeavesThePropertyUnset() {
    ClusterConfig noDns =
        new ClusterConfig("s", "kubernetes", List.of(), "0.0.0.0", 5701, 1, "", true);

    JoinConfig join = HazelcastConfigFactory.create(noDns).getNetworkConfig().getJoin();

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isNull();
  }

  @Test
  void kubernetesJoinStillDetectsFailuresFast() {
    Config config = HazelcastConfigFactory.create(KUBERNETES);

    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
  }

  @Test
  void vertxEventBusAndHaStructuresKeepTheirConfig() {
    for (ClusterConfig cluster : List.of(TCP, KUBERNETES)) {
      Config config = HazelcastConfigFactory.create(cluster);

      assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
      MultiMapConfig subs = config.getMultiMapConfigs().get("__vertx.subs");
      assertThat(subs.getBackupCount()).isEqualTo(1);
      assertThat(subs.getValueCollectionType()).isEqualTo(MultiMapConfig.ValueCollectionType.SET);
      assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
    }
  }

  @Test
  void hazelcastsOwnMetricsCollectorIsOff() {
    // Metrics leave through Micrometer; Hazelcast's collector would only cost CPU in every process.
    assertThat(HazelcastConfigFactory.create(TCP).getMetricsConfig().isEnabled()).isFalse();
    assertThat(HazelcastConfigFactory.create(KUBERNETES).getMetricsConfig().isEnabled()).isFalse();
  }
}
