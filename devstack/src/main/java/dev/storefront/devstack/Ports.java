package dev.storefront.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Whether something listens on a TCP address, without speaking its protocol. */
public final class Ports {

  private static final int CONNECT_TIMEOUT_MS = 500;

  private Ports() {}

  /** True when a TCP connection to {@code host:port} is accepted right now. */
  public static boolean accepting(String host, int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until {@code host:port} accepts connections; false when {@code timeout} passes first. */
  public static boolean awaitAccepting(String host, int port, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (accepting(host, port)) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(200);
    }
  }
}
