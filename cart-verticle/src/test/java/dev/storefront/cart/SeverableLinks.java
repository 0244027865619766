package dev.storefront.cart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network between Hazelcast members of one JVM, made to fail as a switch does. Member {@code i}
 * has a loopback address of its own, {@code 127.0.0.(i+1)}, binds its real port there, and
 * advertises the port of a relay in front of it instead; members bind their outgoing connections to
 * their own address, so the relay knows which member calls. {@link #cut} makes every relay between
 * the two sides swallow what it is sent (connections stay open, nothing arrives: members find out
 * only when heartbeats stop, as in a real partition); {@link #heal} closes the swallowed
 * connections, and from then on bytes flow again. No root rights, no firewall rules to clean up.
 */
final class SeverableLinks implements AutoCloseable {

  private final List<Relay> relays = new CopyOnWriteArrayList<>();
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile Set<Integer> cutOff = Set.of();

  /** The address member {@code index} binds and connects from. */
  static InetAddress address(int index) {
    try {
      return InetAddress.getByName("127.0.0." + (index + 1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A relay in front of member {@code index}'s real port; returns the address to advertise. */
  InetSocketAddress relay(int index, int realPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(address(index), 0));
    Relay relay = new Relay(index, server, new InetSocketAddress(address(index), realPort));
    relays.add(relay);
    Thread accept = new Thread(relay::acceptLoop, "relay-accept-" + index);
    accept.setDaemon(true);
    accept.start();
    return new InetSocketAddress(address(index), server.getLocalPort());
  }

  /** From now on nothing passes between the members in {@code side} and all the others. */
  void cut(Set<Integer> side) {
    cutOff = Set.copyOf(side);
  }

  /** Everything passes again; connections that swallowed bytes are closed, members reconnect. */
  void heal() {
    Set<Integer> side = cutOff;
    cutOff = Set.of();
    for (Link link : links) {
      if (crosses(side, link.from, link.to)) {
        link.close();
      }
    }
  }

  private boolean severed(Link link) {
    return crosses(cutOff, link.from, link.to);
  }

  private static boolean crosses(Set<Integer> side, int from, int to) {
    return from >= 0 && to >= 0 && side.contains(from) != side.contains(to);
  }

  /** Which member an address belongs to; -1 for any other caller. */
  private static int member(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 && bytes[0] == 127 && bytes[1] == 0 && bytes[2] == 0
        ? (bytes[3] & 0xff) - 1
        : -1;
  }

  @Override
  public void close() {
    for (Relay relay : relays) {
      try {
        relay.server.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
    links.forEach(Link::close);
  }

  private final class Relay {
    final int index;
    final ServerSocket server;
    final InetSocketAddress target;

    Relay(int index, ServerSocket server, InetSocketAddress target) {
      this.index = index;
      this.server = server;
      this.target = target;
    }

    void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket inbound = server.accept();
          Link link = new Link(member(inbound.getInetAddress()), index, inbound);
          links.add(link);
          if (severed(link)) {
            // A new connection across the cut is refused, as a rejecting firewall does.
            link.close();
            continue;
          }
          Socket outbound = new Socket();
          link.outbound = outbound;
          try {
            outbound.connect(target, 1_000);
          } catch (IOException e) {
            // No member behind the relay (not started yet, or gone): refused, as it would be.
            link.close();
            continue;
          }
          pump(link, inbound.getInputStream(), outbound.getOutputStream());
          pump(link, outbound.getInputStream(), inbound.getOutputStream());
        } catch (IOException e) {
          // The relay closed.
        }
      }
    }
  }

  private void pump(Link link, InputStream in, OutputStream out) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  // Across the cut the bytes are read and dropped, as a switch drops packets.
                  if (!severed(link)) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // Either end closed.
              } finally {
                link.close();
              }
            },
            "relay-" + link.from + "-" + link.to);
    thread.setDaemon(true);
    thread.start();
  }

  private final class Link {
    final int from;
    final int to;
    final Socket inbound;
    volatile Socket outbound;

    Link(int from, int to, Socket inbound) {
      this.from = from;
      this.to = to;
      this.inbound = inbound;
    }

    void close() {
      links.remove(this);
      closeQuietly(inbound);
      closeQuietly(outbound);
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
