package dev.storefront.gateway.edge;

import dev.storefront.common.config.ConfigException;
import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;

/**
 * Which connections' X-Forwarded-For the gateway believes when it tells one client from another
 * ({@code TRUST_FORWARDED_FOR}).
 */
public enum ForwardedForTrust {
  /** The header is ignored: a client is the connection's peer address. */
  NONE,
  /**
   * The header is believed only from a loopback peer (127.0.0.0/8, ::1, ::ffff:127.x.y.z): a proxy
   * or load generator on the same host, while remote clients cannot choose their address.
   */
  LOOPBACK,
  /** The header is believed from any peer: the gateway runs behind one trusted proxy. */
  ANY;

  /**
   * Reads a {@code TRUST_FORWARDED_FOR} value: {@code false}, {@code true} or {@code loopback}, in
   * any case; the other spellings of a boolean the variable took before ({@code no}, {@code 0},
   * {@code off}, {@code yes}, {@code 1}, {@code on}) still mean false and true.
   */
  public static ForwardedForTrust parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "false", "no", "0", "off" -> NONE;
      case "loopback" -> LOOPBACK;
      case "true", "yes", "1", "on" -> ANY;
      default ->
          throw new ConfigException(
              "TRUST_FORWARDED_FOR must be false, true or loopback, got '" + value.trim() + "'");
    };
  }

  /** Whether the X-Forwarded-For of a request whose connection comes from {@code peer} counts. */
  public boolean trusts(SocketAddress peer) {
    return switch (this) {
      case NONE -> false;
      case ANY -> true;
      case LOOPBACK -> peer != null && peer.isInetSocket() && isLoopback(peer.hostAddress());
    };
  }

  /**
   * Whether {@code address}, an IP literal, is a loopback address. Parsed as a literal only, so
   * that no name is ever looked up on the event loop.
   */
  static boolean isLoopback(String address) {
    byte[] bytes = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 4) {
      return bytes[0] == 127;
    }
    // IPv6: ::1, or 127.0.0.0/8 mapped into ::ffff:0:0/96 (a dual-stack socket's IPv4 peers).
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
      return bytes[12] == 127;
    }
    if (bytes[10] != 0 || bytes[11] != 0 || bytes[12] != 0 || bytes[13] != 0 || bytes[14] != 0) {
      return false;
    }
    return bytes[15] == 1;
  }
}
