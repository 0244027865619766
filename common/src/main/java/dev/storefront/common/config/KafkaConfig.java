package dev.storefront.common.config;

import java.time.Duration;

/**
 * Kafka client settings. KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092), KAFKA_GROUP_ID (the service
 * name: instances of one service share the work of a topic), KAFKA_CLIENT_ID (service name plus
 * instance id), and the consumers' timing:
 *
 * <ul>
 *   <li>KAFKA_SESSION_TIMEOUT_MS (6000): a consumer that has not sent a heartbeat for this long is
 *       taken for dead and its partitions go to the other instances. Not below the broker's {@code
 *       group.min.session.timeout.ms} (6000 unless changed), which refuses shorter sessions.
 *   <li>KAFKA_HEARTBEAT_INTERVAL_MS (1500): how often a consumer tells the broker it lives, and so
 *       how soon the others learn of a rebalance; below a third of the session timeout, so that one
 *       lost heartbeat does not end a session.
 *   <li>KAFKA_API_TIMEOUT_MS (3000): how long a consumer's commit and other calls wait for the
 *       broker; one that does not answer fails the call, to be retried, rather than holding the
 *       consumer (and a stop) for Kafka's default minute.
 *   <li>KAFKA_CLOSE_TIMEOUT_MS (1000): how long closing a client waits for its last requests
 *       (leaving the group, pending sends) instead of Kafka's 30 s; what is cut short is
 *       redelivered or sent again.
 * </ul>
 */
public record KafkaConfig(
    String bootstrapServers,
    String groupId,
    String clientId,
    Duration sessionTimeout,
    Duration heartbeatInterval,
    Duration apiTimeout,
    Duration closeTimeout) {

  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMillis(6_000);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(1_500);
  public static final Duration DEFAULT_API_TIMEOUT = Duration.ofMillis(3_000);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofMillis(1_000);

  public KafkaConfig {
    if (heartbeatInterval.isZero() || heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      throw new ConfigException(
          "KAFKA_HEARTBEAT_INTERVAL_MS must be above 0 and below KAFKA_SESSION_TIMEOUT_MS, got "
              + heartbeatInterval.toMillis()
              + " and "
              + sessionTimeout.toMillis());
    }
    if (apiTimeout.isZero()) {
      throw new ConfigException("KAFKA_API_TIMEOUT_MS must be above 0");
    }
  }

  /** The given servers and names with the default timing. */
  public KafkaConfig(String bootstrapServers, String groupId, String clientId) {
    this(
        bootstrapServers,
        groupId,
        clientId,
        DEFAULT_SESSION_TIMEOUT,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_API_TIMEOUT,
        DEFAULT_CLOSE_TIMEOUT);
  }

  public static KafkaConfig from(Env env, String service, String instanceId) {
    return new KafkaConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.string("KAFKA_GROUP_ID", service),
        env.string("KAFKA_CLIENT_ID", service + "-" + instanceId),
        env.millis("KAFKA_SESSION_TIMEOUT_MS", DEFAULT_SESSION_TIMEOUT.toMillis()),
        env.millis("KAFKA_HEARTBEAT_INTERVAL_MS", DEFAULT_HEARTBEAT_INTERVAL.toMillis()),
        env.millis("KAFKA_API_TIMEOUT_MS", DEFAULT_API_TIMEOUT.toMillis()),
        env.millis("KAFKA_CLOSE_TIMEOUT_MS", DEFAULT_CLOSE_TIMEOUT.toMillis()));
  }
}
