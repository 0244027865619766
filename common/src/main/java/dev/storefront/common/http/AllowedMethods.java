package dev.storefront.common.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The methods a router's routes take on a path, for the {@code Allow} header a 405 must carry (RFC
 * 9110 15.5.6). Only answers that are 405 anyway pay for it: it walks the routes.
 */
final class AllowedMethods {

  private AllowedMethods() {}

  /** The methods of the routes whose path matches {@code path}, comma-separated; "" if none. */
  static String of(Router router, String path) {
    if (path == null) {
      return "";
    }
    Set<HttpMethod> methods = new LinkedHashSet<>();
    for (Route route : router.getRoutes()) {
      if (route.methods() != null && route.getPath() != null && matches(route, path)) {
        methods.addAll(route.methods());
      }
    }
    return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
  }

  /**
   * Whether {@code path} falls under the route's path: the same path, one under a prefix route
   * ({@code /api/*}), or one matching a path with parameters ({@code /api/products/:id}).
   */
  static boolean matches(Route route, String path) {
    String pattern = route.getPath();
    if (!route.isExactPath()) {
      return path.startsWith(pattern) || (path + "/").equals(pattern);
    }
    String[] expected = trimSlash(pattern).split("/", -1);
    String[] actual = trimSlash(path).split("/", -1);
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      boolean parameter = expected[i].startsWith(":");
      if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  /** A trailing '/' matches as well as none, as vertx-web has it. */
  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
