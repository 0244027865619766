package dev.storefront.gateway.openapi;

import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the document's operation for a request path and method, as {@link
 * OpenAPIContract#findOperation} does, without splitting the path into new strings on every
 * request.
 *
 * <p>The same rules: a path without templates matches only itself, and wins over templated ones;
 * among templated paths with as many segments as the request's (trailing empty segments not
 * counted), literal segments must match and the one matching most literal segments, those to the
 * left weighing more, wins. {@code OperationIndexTest} holds it to the library's answers.
 */
final class OperationIndex {

  private final Map<String, Path> literal = new HashMap<>();
  // Templated paths by their number of segments.
  private final Map<Integer, List<Template>> templated = new HashMap<>();

  OperationIndex(OpenAPIContract contract) {
    for (Path path : contract.getPaths()) {
      if (path.getOperations().isEmpty()) {
        continue;
      }
      // With the servers' base path, as requests arrive.
      String absolute = path.getOperations().get(0).getAbsoluteOpenAPIPath();
      if (path.getName().contains("{")) {
        String[] segments = absolute.substring(1).split("/");
        String[] literals = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
          literals[i] = segments[i].contains("{") ? null : segments[i];
        }
        templated
            .computeIfAbsent(segments.length, n -> new ArrayList<>())
            .add(new Template(path, literals));
      } else {
        literal.put(absolute, path);
      }
    }
  }

  /** The operation for {@code path} (a normalised request path) and {@code method}, or null. */
  Operation find(String path, HttpMethod method) {
    Path match = path(path);
    if (match == null) {
      return null;
    }
    for (Operation operation : match.getOperations()) {
      if (operation.getHttpMethod().equals(method)) {
        return operation;
      }
    }
    return null;
  }

  /** The document's path {@code path} (a normalised request path) falls under, or null. */
  Path path(String path) {
    Path match = literal.get(path);
    return match != null ? match : bestTemplate(path);
  }

  private Path bestTemplate(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    List<Template> candidates = templated.get(segmentCount(path));
    if (candidates == null) {
      return null;
    }
    Path best = null;
    int bestScore = -1;
    for (Template candidate : candidates) {
      int score = candidate.score(path);
      if (score > bestScore) {
        best = candidate.path;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * The segments of {@code path} after its leading '/', as {@code String.split("/")} counts them:
   * trailing empty segments are not counted; "/" has one (empty) segment, "//" none.
   */
  static int segmentCount(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    if (end <= 1) {
      return path.length() <= 1 ? 1 : 0;
    }
    int count = 1;
    for (int i = 1; i < end; i++) {
      if (path.charAt(i) == '/') {
        count++;
      }
    }
    return count;
  }

  /** A templated path: its segments, null where a segment is a template. */
  private record Template(Path path, String[] literals) {

    /**
     * -1 when a literal segment differs; otherwise the weight of the literal segments matched, the
     * i-th of n weighing n - i. The path has as many segments as this template.
     */
    int score(String requestPath) {
      int score = 0;
      int start = 1;
      for (int i = 0; i < literals.length; i++) {
        int end = requestPath.indexOf('/', start);
        if (end < 0) {
          end = requestPath.length();
        }
        String literal = literals[i];
        if (literal != null) {
          if (literal.length() != end - start
              || !requestPath.regionMatches(start, literal, 0, literal.length())) {
            return -1;
          }
          score += literals.length - i;
        }
        start = end + 1;
      }
      return score;
    }
  }
}
