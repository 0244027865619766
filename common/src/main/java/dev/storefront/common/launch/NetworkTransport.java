package dev.storefront.common.launch;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which of Netty's transports a process runs its sockets on, from {@code STOREFRONT_TRANSPORT}:
 *
 * <ul>
 *   <li>{@code auto} (default): the first that loads of io_uring, epoll and NIO. io_uring hands the
 *       kernel a batch of reads and writes per event-loop turn instead of one system call each; on
 *       a proxy hop, where nearly all the work is moving small requests and responses between
 *       sockets, that is the largest single saving (bench/edge-hop.sh measures it). It needs Linux
 *       5.9 or later and is often refused inside containers (Docker's default seccomp profile
 *       blocks it), where epoll is next.
 *   <li>{@code io_uring}, {@code epoll}: that transport or no start, for an operator who has
 *       measured and wants no surprise.
 *   <li>{@code nio}: the JDK's own, to rule the native transports out.
 * </ul>
 */
public record NetworkTransport(Transport transport, String reason) {

  static final String VARIABLE = "STOREFRONT_TRANSPORT";

  /** The order {@code auto} tries; NIO always loads. */
  private static final List<String> PREFERENCE = List.of("io_uring", "epoll", "nio");

  /** The transport {@code env} asks for, or a {@link ConfigException} saying why there is none. */
  public static NetworkTransport choose(Env env) {
    String wanted = env.string(VARIABLE, "auto").toLowerCase(Locale.ROOT);
    return switch (wanted) {
      case "auto" -> firstAvailable(PREFERENCE);
      case "io_uring", "epoll", "nio" -> required(wanted);
      default ->
          throw new ConfigException(
              VARIABLE + " must be auto, io_uring, epoll or nio, got '" + wanted + "'");
    };
  }

  static NetworkTransport firstAvailable(List<String> preference) {
    StringBuilder passedOver = new StringBuilder();
    for (String name : preference) {
      Transport candidate = byName(name);
      if (candidate != null && candidate.available()) {
        String reason = passedOver.isEmpty() ? "the preferred one" : passedOver.toString();
        return new NetworkTransport(candidate, reason);
      }
      passedOver
          .append(passedOver.isEmpty() ? "" : "; ")
          .append(name)
          .append(" unavailable: ")
          .append(cause(candidate));
    }
    throw new ConfigException("no network transport can load: " + passedOver);
  }

  private static NetworkTransport required(String name) {
    Transport transport = byName(name);
    if (transport == null || !transport.available()) {
      throw new ConfigException(VARIABLE + "=" + name + " but it cannot load: " + cause(transport));
    }
    return new NetworkTransport(transport, VARIABLE + "=" + name);
  }

  /**
   * Vert.x leaves a native transport's constant null when Netty's classes for it are not on the
   * class path at all.
   */
  static Transport byName(String name) {
    return switch (name) {
      case "io_uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** {@code io_uring}, {@code epoll} or {@code nio}: the variable's spelling. */
  public String name() {
    return transport.name().toLowerCase(Locale.ROOT);
  }

  private static String cause(Transport transport) {
    if (transport == null) {
      return "its Netty classes are not on the class path";
    }
    Throwable cause = transport.unavailabilityCause();
    return cause == null ? "no reason given" : String.valueOf(cause.getMessage());
  }
}
