package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevStackTest {

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final DevStack devStack =
      new DevStack(new PrintStream(output, true, StandardCharsets.UTF_8), Map.of());

  @Test
  void badArgumentsExitWithTwo() {
    assertThat(devStack.execute("kafka", "--port", "1")).isEqualTo(DevStack.USAGE);
    assertThat(devStack.execute()).isEqualTo(DevStack.USAGE);
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    assertThat(devStack.execute("help")).isEqualTo(DevStack.OK);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("wait-port HOST PORT TIMEOUT_S");
  }

  @Test
  void waitPortSucceedsOnAListeningPortAndFailsOnAClosedOne() throws Exception {
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(
              devStack.execute(
                  "wait-port", "127.0.0.1", Integer.toString(server.getLocalPort()), "5"))
          .isEqualTo(DevStack.OK);
    }
    int closed = FreePorts.pick();
    assertThat(devStack.execute("wait-port", "127.0.0.1", Integer.toString(closed), "0"))
        .isEqualTo(DevStack.FAILED);
  }
}
