package dev.storefront.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, for processes that must be told their port up front (a
 * Kafka broker advertises it; PostgreSQL takes it on the command line).
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * {@code count} distinct ports that were free a moment ago. All sockets are held open together so
   * the ports differ; another process may still take one before the caller binds it.
   */
  public static List<Integer> pick(int count) {
    var sockets = new ArrayList<ServerSocket>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    } finally {
      for (var socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that was never used does not fail in practice.
        }
      }
    }
  }

  public static int pick() {
    return pick(1).get(0);
  }
}
