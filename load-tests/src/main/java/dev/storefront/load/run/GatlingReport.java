package dev.storefront.load.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The figures of one Gatling run, read from its HTML report's {@code js/stats.js}: a JavaScript
 * object literal (Gatling 3.13 writes no JSON of its statistics) turned into JSON by quoting its
 * keys.
 *
 * @param all every request of the run
 * @param requestsPerSecond mean requests per second over the run
 * @param groups the top-level request groups by name
 */
public record GatlingReport(
    GroupStats all, double requestsPerSecond, Map<String, GroupStats> groups) {

  private static final Pattern BARE_KEY = Pattern.compile("(?m)^(\\s*)([A-Za-z_][A-Za-z0-9_]*):");

  public static GatlingReport read(Path reportDir) throws IOException {
    return parse(Files.readString(reportDir.resolve("js/stats.js")));
  }

  static GatlingReport parse(String statsJs) throws IOException {
    int start = statsJs.indexOf('{');
    int end = statsJs.indexOf("\nfunction fillStats");
    if (start < 0 || end < start) {
      throw new IOException("js/stats.js does not have the layout of Gatling 3.13's reports");
    }
    String literal = statsJs.substring(start, end).trim();
    if (literal.endsWith(";")) {
      literal = literal.substring(0, literal.length() - 1);
    }
    JsonNode root = new ObjectMapper().readTree(BARE_KEY.matcher(literal).replaceAll("$1\"$2\":"));
    Map<String, GroupStats> groups = new LinkedHashMap<>();
    root.path("contents")
        .forEach(
            node -> {
              if ("GROUP".equals(node.path("type").asText())) {
                GroupStats group = stats(node);
                groups.put(group.name(), group);
              }
            });
    double rps = number(root.path("stats").path("meanNumberOfRequestsPerSecond").path("total"));
    return new GatlingReport(stats(root), rps, groups);
  }

  private static GroupStats stats(JsonNode node) {
    JsonNode stats = node.path("stats");
    return new GroupStats(
        node.path("name").asText(),
        (long) number(stats.path("numberOfRequests").path("total")),
        (long) number(stats.path("numberOfRequests").path("ko")),
        (long) number(stats.path("percentiles1").path("ok")),
        (long) number(stats.path("percentiles3").path("ok")),
        (long) number(stats.path("percentiles4").path("ok")));
  }

  /** Gatling writes figures as strings, and "-" where there is none. */
  private static double number(JsonNode value) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    try {
      return Double.parseDouble(value.asText());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
