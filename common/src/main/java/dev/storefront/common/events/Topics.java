package dev.storefront.common.events;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service publishes to or reads from, with their dead-letter topics, when they
 * are missing, so that a fresh broker works without a separate set-up step.
 */
public final class Topics {

  /** The suffix of a topic's dead-letter topic: {@code orders.events.dlq}. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * How new topics are created. KAFKA_TOPIC_PARTITIONS (3), KAFKA_TOPIC_REPLICATION (1: the local
   * single broker; 3 on a real cluster).
   */
  public record Settings(int partitions, short replicationFactor) {

    public static Settings defaults() {
      return new Settings(3, (short) 1);
    }

    public static Settings from(Env env) {
      return new Settings(
          env.positive("KAFKA_TOPIC_PARTITIONS", 3),
          (short) env.positive("KAFKA_TOPIC_REPLICATION", 1));
    }
  }

  public static String deadLetterTopic(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  /** {@link #ensure(Vertx, KafkaConfig, List, Settings)} with settings from the environment. */
  public static Future<Void> ensure(Vertx vertx, KafkaConfig kafka, List<String> names) {
    return ensure(vertx, kafka, names, Settings.from(Env.system()));
  }

  /** Creates each of {@code names} and its dead-letter topic unless it exists already. */
  public static Future<Void> ensure(
      Vertx vertx, KafkaConfig kafka, List<String> names, Settings settings) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      wanted.add(name);
      wanted.add(deadLetterTopic(name));
    }
    KafkaAdminClient admin = KafkaClients.admin(vertx, kafka);
    return admin
        .listTopics()
        .compose(
            existing -> {
              List<NewTopic> missing = new ArrayList<>();
              for (String name : wanted) {
                if (!existing.contains(name)) {
                  missing.add(
                      new NewTopic(name, settings.partitions(), settings.replicationFactor()));
                }
              }
              if (missing.isEmpty()) {
                return Future.<Void>succeededFuture();
              }
              return admin
                  .createTopics(missing)
                  .onSuccess(
                      v ->
                          LOG.info(
                              "Created topic(s) {}",
                              missing.stream().map(NewTopic::getName).toList()))
                  // Another instance starting at the same moment may have won the race.
                  .recover(
                      e ->
                          rootCause(e) instanceof TopicExistsException
                              ? Future.succeededFuture()
                              : Future.failedFuture(e));
            })
        .eventually(admin::close);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
