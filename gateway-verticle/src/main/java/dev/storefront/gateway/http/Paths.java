package dev.storefront.gateway.http;

/** Path tests the edge makes on every request. */
public final class Paths {

  private Paths() {}

  /**
   * Whether {@code path} is {@code prefix} itself or lies under it ({@code /api} and {@code
   * /api/cart}, not {@code /apix}); without building a string, as it runs several times per
   * request.
   */
  public static boolean under(String path, String prefix) {
    return path.startsWith(prefix)
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }
}
