package dev.storefront.devstack;

/**
 * The main class of a {@link KafkaBroker}'s JVM: Kafka's own {@code kafka.Kafka}, plus a watch on
 * the parent process. A test JVM killed outright (a surefire timeout, a SIGKILL) runs no shutdown
 * hook, so without this its broker would live on, holding ports and memory.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) {
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.out.println(
                              "devstack: parent process " + parent.pid() + " is gone; stopping");
                          // Runs Kafka's shutdown hook: a controlled shutdown, as on SIGTERM.
                          System.exit(0);
                        }));
    kafka.Kafka.main(args);
  }
}
