package dev.storefront.common.config;

/**
 * Kafka client settings. KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092), KAFKA_GROUP_ID (the service
 * name: instances of one service share the work of a topic), KAFKA_CLIENT_ID (service name plus
 * instance id).
 */
public record KafkaConfig(String bootstrapServers, String groupId, String clientId) {

  public static KafkaConfig from(Env env, String service, String instanceId) {
    return new KafkaConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.string("KAFKA_GROUP_ID", service),
        env.string("KAFKA_CLIENT_ID", service + "-" + instanceId));
  }
}
