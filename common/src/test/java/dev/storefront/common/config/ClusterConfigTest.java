package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void defaultsJoinALoopbackTcpCluster() {
    ClusterConfig config = ClusterConfig.from(Env.of(Map.of()));

    assertThat(config)
        .isEqualTo(
            new ClusterConfig(
                "storefront", "tcp", List.of("127.0.0.1"), "127.0.0.1", 5701, 20, "", true));
  }

  @Test
  void theJarSaysWhetherItHoldsClusterDataAndTheEnvironmentMayOverrule() {
    assertThat(ClusterConfig.from(Env.of(Map.of()), false).dataMember()).isFalse();
    assertThat(ClusterConfig.from(Env.of(Map.of()), true).dataMember()).isTrue();
    Env overruled = Env.of(Map.of("STOREFRONT_CLUSTER_DATA_MEMBER", "true"));
    assertThat(ClusterConfig.from(overruled, false).dataMember()).isTrue();
  }

  @Test
  void theWriteQuorumIsAMajorityOfTheExpectedDataMembers() {
    assertThat(ClusterConfig.from(Env.of(Map.of())).expectedDataMembers()).isEqualTo(1);
    assertThat(ClusterConfig.from(Env.of(Map.of())).writeQuorum()).isEqualTo(1);
    int[][] expectedAndQuorum = {{2, 2}, {3, 2}, {4, 3}, {5, 3}, {6, 4}};
    for (int[] pair : expectedAndQuorum) {
      Env env =
          Env.of(Map.of("STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS", Integer.toString(pair[0])));
      assertThat(ClusterConfig.from(env).writeQuorum()).as("of %d", pair[0]).isEqualTo(pair[1]);
    }
    assertThatThrownBy(
            () ->
                ClusterConfig.from(Env.of(Map.of("STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS");
  }

  @Test
  void everyValueComesFromItsVariable() {
    Env env =
        Env.of(
            Map.of(
                "STOREFRONT_CLUSTER_NAME", "stack-b",
                "STOREFRONT_CLUSTER_JOIN", "tcp",
                "STOREFRONT_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2",
                "STOREFRONT_CLUSTER_HOST", "10.0.0.9",
                "STOREFRONT_CLUSTER_PORT", "6701",
                "STOREFRONT_CLUSTER_PORT_COUNT", "5",
                "STOREFRONT_CLUSTER_K8S_SERVICE_DNS", "ignored-for-tcp"));

    ClusterConfig config = ClusterConfig.from(env);

    assertThat(config.name()).isEqualTo("stack-b");
    assertThat(config.join()).isEqualTo(ClusterConfig.JOIN_TCP);
    assertThat(config.members()).containsExactly("10.0.0.1:5701", "10.0.0.2");
    assertThat(config.host()).isEqualTo("10.0.0.9");
    assertThat(config.port()).isEqualTo(6701);
    assertThat(config.portCount()).isEqualTo(5);
    assertThat(config.kubernetesServiceDns()).isEqualTo("ignored-for-tcp");
  }

  @Test
  void kubernetesJoinNeedsNoMemberList() {
    ClusterConfig config =
        new ClusterConfig(
            "storefront", "kubernetes", List.of(), "0.0.0.0", 5701, 1, "hz.storefront.svc", true);

    assertThat(config.join()).isEqualTo(ClusterConfig.JOIN_KUBERNETES);
    assertThat(config.members()).isEmpty();
  }

  @Test
  void anUnknownJoinMethodIsRejected() {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTER_JOIN", "multicast"));

    assertThatThrownBy(() -> ClusterConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage("STOREFRONT_CLUSTER_JOIN must be tcp or kubernetes, got multicast");
  }

  @Test
  void joinIsCaseSensitive() {
    assertThatThrownBy(
            () ->
                new ClusterConfig(
                    "s", "TCP", List.of("127.0.0.1"), "127.0.0.1", 5701, 20, "", true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got TCP");
  }

  @Test
  void tcpJoinWithoutMembersIsRejected() {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTER_MEMBERS", " , "));

    assertThatThrownBy(() -> ClusterConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage("STOREFRONT_CLUSTER_MEMBERS must name at least one member");
  }

  @Test
  void badPortsAreRejected() {
    assertThatThrownBy(() -> ClusterConfig.from(Env.of(Map.of("STOREFRONT_CLUSTER_PORT", "70000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("STOREFRONT_CLUSTER_PORT must be a port");
    assertThatThrownBy(
            () -> ClusterConfig.from(Env.of(Map.of("STOREFRONT_CLUSTER_PORT_COUNT", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("STOREFRONT_CLUSTER_PORT_COUNT must be at least 1, got 0");
  }

  @Test
  void theMemberListIsAnImmutableCopy() {
    List<String> members = new ArrayList<>(List.of("10.0.0.1"));
    ClusterConfig config = new ClusterConfig("s", "tcp", members, "127.0.0.1", 5701, 20, "", true);

    members.add("10.0.0.2");

    assertThat(config.members()).containsExactly("10.0.0.1");
    assertThatThrownBy(() -> config.members().add("10.0.0.3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
