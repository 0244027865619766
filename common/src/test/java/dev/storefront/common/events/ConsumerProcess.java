package dev.storefront.common.events;

import dev.storefront.common.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventConsumer} in a JVM of its own, so that a test can kill it as a crash would: no
 * offsets committed, no goodbye to the group. Prints {@code handled <eventId>} for each event.
 *
 * <p>Arguments: bootstrap servers, group id, client id, topic.
 */
public final class ConsumerProcess {

  static final String HANDLED = "handled ";

  private ConsumerProcess() {}

  public static void main(String[] args) throws Exception {
    KafkaConfig config = new KafkaConfig(args[0], args[1], args[2]);
    Vertx vertx = Vertx.vertx();
    EventConsumer.start(
            vertx,
            config,
            List.of(args[3]),
            event -> {
              System.out.println(HANDLED + event.eventId());
              System.out.flush();
              return Future.succeededFuture();
            },
            EventConsumer.Options.defaults())
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    System.out.println("consuming");
    System.out.flush();
  }

  /** Starts this class in a child JVM on the test's class path; its output goes to {@code log}. */
  static Process launch(KafkaConfig config, String topic, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConsumerProcess.class.getName());
    command.add(config.bootstrapServers());
    command.add(config.groupId());
    command.add(config.clientId());
    command.add(topic);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
