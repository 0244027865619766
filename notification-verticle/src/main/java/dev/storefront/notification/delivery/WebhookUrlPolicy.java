package dev.storefront.notification.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which URLs a webhook may have: absolute {@code http} or {@code https}, at most {@value
 * #MAX_LENGTH} characters, without credentials; and, unless private targets are allowed (for
 * development), not {@code localhost} nor a loopback, private, link-local or unspecified address
 * written as a literal, in whatever form a resolver would read it ({@code 127.1}, {@code
 * 0x7f000001}, {@code [::ffff:10.0.0.1]}…). The service would otherwise send requests into its own
 * network on an outsider's behalf. Names are not resolved: that a name resolves to a private
 * address is a matter for the network's egress rules.
 */
public final class WebhookUrlPolicy {

  public static final int MAX_LENGTH = 2048;

  // What inet_aton(3) reads as an IPv4 address: one to four numbers, decimal, octal or hex.
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");

  private final boolean allowPrivateTargets;

  public WebhookUrlPolicy(boolean allowPrivateTargets) {
    this.allowPrivateTargets = allowPrivateTargets;
  }

  /** Why {@code url} may not be a webhook's, or empty when it may. */
  public Optional<String> check(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("url is required");
    }
    if (url.length() > MAX_LENGTH) {
      return Optional.of("url is longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      return Optional.of("url must be an absolute http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("url must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("url must not carry credentials");
    }
    if (allowPrivateTargets) {
      return Optional.empty();
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return Optional.of("url must not target localhost");
    }
    Optional<InetAddress> literal;
    try {
      literal = literal(host);
    } catch (IllegalArgumentException e) {
      return Optional.of("url has an invalid host: " + e.getMessage());
    }
    if (literal.isPresent() && isInternal(literal.get())) {
      return Optional.of("url must not target a loopback, private or link-local address");
    }
    return Optional.empty();
  }

  /**
   * The address {@code host} (as {@link URI#getHost()} gives it, lower case) spells, if it is a
   * literal; IllegalArgumentException for a numeric host that is no address.
   */
  static Optional<InetAddress> literal(String host) {
    try {
      if (host.startsWith("[") && host.endsWith("]")) {
        // A literal with a colon is parsed, never looked up.
        return Optional.of(InetAddress.getByName(host.substring(1, host.length() - 1)));
      }
      if (NUMERIC_HOST.matcher(host).matches()) {
        return Optional.of(InetAddress.getByAddress(ipv4(host)));
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(host + " is not an address", e);
    }
  }

  /** inet_aton's reading: the last number fills the bytes the ones before it left. */
  private static byte[] ipv4(String host) {
    String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = trimmed.split("\\.");
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i], host);
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        throw new IllegalArgumentException(host + " is not an IPv4 address");
      }
      address |= values[i] << (8 * (3 - i));
    }
    long last = values[parts.length - 1];
    if (last >= 1L << (8 * (4 - (parts.length - 1)))) {
      throw new IllegalArgumentException(host + " is not an IPv4 address");
    }
    address |= last;
    return new byte[] {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    };
  }

  private static long number(String part, String host) {
    try {
      if (part.startsWith("0x")) {
        return part.length() == 2 ? 0 : parseBounded(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return parseBounded(part.substring(1), 8);
      }
      return parseBounded(part, 10);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(host + " is not an IPv4 address", e);
    }
  }

  private static long parseBounded(String digits, int radix) {
    long value = Long.parseLong(digits, radix);
    if (value > 0xffffffffL) {
      throw new NumberFormatException("too large");
    }
    return value;
  }

  /** Loopback, private, link-local, unspecified, shared (CGNAT) or multicast. */
  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      // 0.0.0.0/8 ("this network"), 100.64.0.0/10 (carrier-grade NAT).
      return first == 0 || (first == 100 && (second & 0xc0) == 64);
    }
    if (address instanceof Inet6Address v6) {
      if ((bytes[0] & 0xfe) == 0xfc) {
        return true; // fc00::/7, unique local
      }
      if (v6.isIPv4CompatibleAddress()) {
        try {
          return isInternal(
              InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
