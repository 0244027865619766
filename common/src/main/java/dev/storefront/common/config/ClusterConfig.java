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
    boolean dataMember) {

  public static final String JOIN_TCP = "tcp";
  public static final String JOIN_KUBERNETES = "kubernetes";

  public ClusterConfig {
    if (!JOIN_TCP.equals(join) && !JOIN_KUBERNETES.equals(join)) {
      throw new ConfigException("STOREFRONT_CLUSTER_JOIN must be tcp or kubernetes, got " + join);
    }
    if (JOIN_TCP.equals(join) && members.isEmpty()) {
      throw new ConfigException("STOREFRONT_CLUSTER_MEMBERS must name at least one member");
    }
    members = List.copyOf(members);
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
        env.bool("STOREFRONT_CLUSTER_DATA_MEMBER", dataMemberByDefault));
  }
}
