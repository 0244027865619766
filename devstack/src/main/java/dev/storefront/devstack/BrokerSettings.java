package dev.storefront.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server.properties of a single-node KRaft broker: one process is both broker and the only
 * controller, everything replicated once, listening on loopback only.
 *
 * @param logDir where Kafka keeps its partitions and the KRaft metadata log
 * @param port the client listener, advertised as {@code 127.0.0.1:port}
 * @param controllerPort the KRaft controller listener
 */
public record BrokerSettings(Path logDir, int port, int controllerPort) {

  /** Partitions of an auto-created topic: more than one, so that consumer groups can spread. */
  public static final int DEFAULT_PARTITIONS = 3;

  public BrokerSettings {
    requirePort("port", port);
    requirePort("controllerPort", controllerPort);
    if (port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
    }
    logDir = logDir.toAbsolutePath();
  }

  private static void requirePort(String name, int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(name + " must be between 1 and 65535, got " + value);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The properties in file order; insertion order keeps the written file readable. */
  public Map<String, String> properties() {
    var p = new LinkedHashMap<String, String>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: nothing can be replicated more than once.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
    p.put("auto.create.topics.enable", "true");
    // Tests and a freshly started stack should not wait three seconds for the first rebalance.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("offsets.topic.num.partitions", "10");
    // After a kill, the restarted broker cannot register until its old session expires: 4.5 s
    // instead of the default 9 s. Heartbeats stay inside one process, so they are not late.
    p.put("broker.session.timeout.ms", "4500");
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("log.retention.hours", "168");
    return p;
  }

  /** The properties as the text of a server.properties file. */
  public String toFileText() {
    return properties().entrySet().stream()
            .map(e -> e.getKey() + "=" + escape(e.getValue()))
            .collect(
                Collectors.joining("\n", "# Written by devstack; rewritten on every start.\n", ""))
        + "\n";
  }

  // java.util.Properties treats backslashes as escapes; a log dir never contains the others.
  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }
}
