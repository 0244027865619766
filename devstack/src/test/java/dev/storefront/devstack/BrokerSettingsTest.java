package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

  private final BrokerSettings settings =
      new BrokerSettings(Path.of("/data/kafka-logs"), 19092, 19093);

  @Test
  void isACombinedSingleNodeKraftBrokerOnLoopback() throws Exception {
    Properties properties = load(settings.toFileText());

    assertThat(properties.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
    assertThat(properties.getProperty("node.id")).isEqualTo("1");
    assertThat(properties.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:19092");
    assertThat(properties.getProperty("log.dirs")).isEqualTo("/data/kafka-logs");
    assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
  }

  @Test
  void replicatesEverythingOnceAndCreatesTopicsOnDemand() throws Exception {
    Properties properties = load(settings.toFileText());

    assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    assertThat(properties.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
    assertThat(properties.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
    assertThat(properties.getProperty("min.insync.replicas")).isEqualTo("1");
    assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("true");
    assertThat(properties.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
  }

  @Test
  void aBackslashInTheLogDirSurvivesPropertiesEscaping() throws Exception {
    var odd = new BrokerSettings(Path.of("/data/a\\b"), 1, 2);
    assertThat(load(odd.toFileText()).getProperty("log.dirs")).isEqualTo("/data/a\\b");
  }

  @Test
  void rejectsImpossiblePorts() {
    assertThatThrownBy(() -> new BrokerSettings(Path.of("/d"), 0, 9093))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port must be between 1 and 65535");
    assertThatThrownBy(() -> new BrokerSettings(Path.of("/d"), 9092, 9092))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must differ");
  }

  private static Properties load(String text) throws Exception {
    var properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
