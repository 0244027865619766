package dev.storefront.common.config;

import java.util.List;

/**
 * How a process joins the Hazelcast cluster.
 *
 * <table>
 *   <tr><td>STOREFRONT_CLUSTER_NAME</td><td>storefront</td><td>members with another name never
 *   merge, so two stacks can share a machine</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_JOIN</td><td>tcp</td><td>tcp (member list) or kubernetes</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_MEMBERS</td><td>127.0.0.1</td><td>comma-separated host or
 *   host:port</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_HOST</td><td>127.0.0.1</td><td>interface to bind and
 *   advertise</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_PORT</td><td>5701</td><td>first port tried; the next free one is
 *   taken</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_PORT_COUNT</td><td>20</td><td>ports tried from the first, and the
 *   range probed on each member host</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_K8S_SERVICE_DNS</td><td>-</td><td>headless service name for
 *   kubernetes join</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_DATA_MEMBER</td><td>the jar's</td><td>true: the process holds
 *   cluster data (a Hazelcast data member); false: a lite member, which holds none, so starting or
 *   stopping it moves no data. Each service's jar says which it is (cart and gateway hold carts and
 *   rate limits; the others hold nothing)</td></tr>
 *   <tr><td>STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS</td><td>1</td><td>how many data members the
 *   cluster is meant to have (cart and gateway processes together). A side of a network partition
 *   that sees fewer than a majority of them ({@link #writeQuorum()}) refuses cart writes instead of
 *   acknowledging what the merge after the partition would have to reconcile; 1 (a one-machine
 *   stack) never refuses. An odd number tolerates the most: with 2, losing either refuses writes.
 *   Give every process the same value</td></tr>
 * </table>
 */
public record ClusterConfig(
    String name,
    String join,
    List<String> members,
    String host,
    int port,
    int portCount,
    String kubernetesServiceDns,
    boolean dataMember,
    int expectedDataMembers) {

  public static final String JOIN_TCP = "tcp";
  public static final String JOIN_KUBERNETES = "kubernetes";

  public ClusterConfig {
    if (!JOIN_TCP.equals(join) && !JOIN_KUBERNETES.equals(join)) {
      throw new ConfigException("STOREFRONT_CLUSTER_JOIN must be tcp or kubernetes, got " + join);
    }
    if (JOIN_TCP.equals(join) && members.isEmpty()) {
      throw new ConfigException("STOREFRONT_CLUSTER_MEMBERS must name at least one member");
    }
    if (expectedDataMembers < 1) {
      throw new ConfigException(
          "STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS must be at least 1, got "
              + expectedDataMembers);
    }
    members = List.copyOf(members);
  }

  /** A cluster meant to have one data member: no write is ever refused for want of a majority. */
  public ClusterConfig(
      String name,
      String join,
      List<String> members,
      String host,
      int port,
      int portCount,
      String kubernetesServiceDns,
      boolean dataMember) {
    this(name, join, members, host, port, portCount, kubernetesServiceDns, dataMember, 1);
  }

  /**
   * The data members a side of the cluster must see to accept writes to protected maps: a strict
   * majority of {@link #expectedDataMembers()}, so two sides of a partition never both accept.
   */
  public int writeQuorum() {
    return expectedDataMembers / 2 + 1;
  }

  /** From the environment; a data member unless STOREFRONT_CLUSTER_DATA_MEMBER says otherwise. */
  public static ClusterConfig from(Env env) {
    return from(env, true);
  }

  /**
   * From the environment, {@code dataMemberByDefault} when STOREFRONT_CLUSTER_DATA_MEMBER is unset.
   */
  public static ClusterConfig from(Env env, boolean dataMemberByDefault) {
    return new ClusterConfig(
        env.string("STOREFRONT_CLUSTER_NAME", "storefront"),
        env.string("STOREFRONT_CLUSTER_JOIN", JOIN_TCP),
        env.list("STOREFRONT_CLUSTER_MEMBERS", "127.0.0.1"),
        env.string("STOREFRONT_CLUSTER_HOST", "127.0.0.1"),
        env.port("STOREFRONT_CLUSTER_PORT", 5701),
        env.positive("STOREFRONT_CLUSTER_PORT_COUNT", 20),
        env.string("STOREFRONT_CLUSTER_K8S_SERVICE_DNS", ""),
        env.bool("STOREFRONT_CLUSTER_DATA_MEMBER", dataMemberByDefault),
        env.positive("STOREFRONT_CLUSTER_EXPECTED_DATA_MEMBERS", 1));
  }
}
