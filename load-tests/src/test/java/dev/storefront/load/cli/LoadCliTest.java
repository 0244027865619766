package dev.storefront.load.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadCliTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final LoadCli cli = new LoadCli(new PrintStream(printed, true, StandardCharsets.UTF_8));

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** Runs the tool and gives what it wrote on standard error. */
  private static String stderrOf(Runnable run) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A port on 127.0.0.1 that nothing listens on. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void helpPrintsTheUsage() {
    assertThat(cli.run(List.of("--help"))).isZero();
    assertThat(printed()).isEqualTo(LoadOptions.USAGE).contains("usage: ./storefront load");
  }

  @Test
  void shortHelpWinsOverAnyOtherArgument() {
    assertThat(cli.run(List.of("stroll", "--rate", "-3", "-h"))).isZero();
    assertThat(printed()).contains("usage: ./storefront load");
  }

  @Test
  void anUnknownProfileIsAUsageError() {
    int[] status = new int[1];
    String err = stderrOf(() -> status[0] = cli.run(List.of("stroll")));

    assertThat(status[0]).isEqualTo(2);
    assertThat(err).startsWith("storefront load: unknown profile 'stroll'");
    assertThat(printed()).isEmpty();
  }

  @Test
  void aBadOptionIsAUsageError() {
    assertThat(cli.run(List.of("browse", "--rate", "0"))).isEqualTo(2);
    assertThat(cli.run(List.of("capacity", "browse", "--users", "3"))).isEqualTo(2);
  }

  @Test
  void anUnreachableTargetIsAUsageError() throws IOException {
    int port = freePort();
    int[] status = new int[1];
    String err =
        stderrOf(
            () -> status[0] = cli.run(List.of("browse", "--target", "http://127.0.0.1:" + port)));

    assertThat(status[0]).isEqualTo(2);
    assertThat(err)
        .startsWith("storefront load: target http://127.0.0.1:" + port + " is unreachable");
    assertThat(printed()).isEmpty();
  }

  @Test
  void aTargetWhoseCatalogDoesNotAnswer200IsAUsageError() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    try {
      String target = "http://127.0.0.1:" + server.getAddress().getPort();
      int[] status = new int[1];
      String err = stderrOf(() -> status[0] = cli.run(List.of("mix", "--target", target)));

      assertThat(status[0]).isEqualTo(2);
      assertThat(err).contains("answered GET /api/products with 503");
    } finally {
      server.stop(0);
    }
  }
}
