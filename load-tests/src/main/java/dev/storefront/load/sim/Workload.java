package dev.storefront.load.sim;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What one Gatling run drives: the journeys and their shares, the injection profile and the target.
 * The command line tool hands it to the simulation, which runs in its own JVM, as system properties
 * under {@code storefront.load.}.
 *
 * @param profile browse, shop, listen or mix
 * @param target the gateway's base URI
 * @param closed closed model ({@code users} concurrent visitors) instead of arrivals per second
 * @param rate visitors arriving per second (open model), the last level when ramping or stepping
 * @param rampSeconds open model: seconds over which the arrival rate rises from 0 to {@code rate}
 *     before the {@code durationSeconds} at full rate
 * @param steps open model: when above 1, the rate climbs in this many equal levels, each lasting
 *     {@code durationSeconds / steps}
 * @param users closed model: visitors in the system at any time
 * @param durationSeconds how long visitors keep arriving (after any ramp)
 * @param thinkSeconds a visitor's mean pause between two pages; 0 for none
 * @param mix shares of the storefront mix in percent, browse, shop and listen
 * @param declinedPercent share of checkouts paid with the simulated processor's declining card
 * @param returningPercent share of shoppers who sign in to an account of the run instead of signing
 *     up, when one is free
 * @param countsFile where the simulation writes what Gatling's report does not hold (JSON)
 */
public record Workload(
    String profile,
    URI target,
    boolean closed,
    double rate,
    int rampSeconds,
    int steps,
    int users,
    int durationSeconds,
    double thinkSeconds,
    Mix mix,
    int declinedPercent,
    int returningPercent,
    Path countsFile) {

  private static final String PREFIX = "storefront.load.";

  /** Shares of the storefront mix, in percent, adding up to 100. */
  public record Mix(int browse, int shop, int listen) {
    /** Most visitors browse, few buy, some keep the app open: see load-tests/README.md. */
    public static final Mix STOREFRONT = new Mix(85, 5, 10);

    public Mix {
      if (browse < 0 || shop < 0 || listen < 0 || browse + shop + listen != 100) {
        throw new IllegalArgumentException(
            "the mix's shares must be 0 or more and add up to 100, got browse="
                + browse
                + ", shop="
                + shop
                + ", listen="
                + listen);
      }
    }
  }

  /** The same visitors at {@code atRate} for {@code seconds}, counted in {@code file}. */
  public Workload forRun(double atRate, int seconds, Path file) {
    return new Workload(
        profile,
        target,
        closed,
        atRate,
        rampSeconds,
        steps,
        users,
        seconds,
        thinkSeconds,
        mix,
        declinedPercent,
        returningPercent,
        file);
  }

  /** Seconds from the first arrival to the last. */
  public int arrivalSeconds() {
    return closed ? durationSeconds : rampSeconds + durationSeconds;
  }

  public Map<String, String> toProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(PREFIX + "profile", profile);
    properties.put(PREFIX + "target", target.toString());
    properties.put(PREFIX + "closed", Boolean.toString(closed));
    properties.put(PREFIX + "rate", Double.toString(rate));
    properties.put(PREFIX + "rampSeconds", Integer.toString(rampSeconds));
    properties.put(PREFIX + "steps", Integer.toString(steps));
    properties.put(PREFIX + "users", Integer.toString(users));
    properties.put(PREFIX + "durationSeconds", Integer.toString(durationSeconds));
    properties.put(PREFIX + "thinkSeconds", Double.toString(thinkSeconds));
    properties.put(PREFIX + "mix", mix.browse() + "," + mix.shop() + "," + mix.listen());
    properties.put(PREFIX + "declinedPercent", Integer.toString(declinedPercent));
    properties.put(PREFIX + "returningPercent", Integer.toString(returningPercent));
    properties.put(PREFIX + "countsFile", countsFile.toString());
    return properties;
  }

  public static Workload fromProperties(Properties properties) {
    String[] mix = get(properties, "mix").split(",");
    return new Workload(
        get(properties, "profile"),
        URI.create(get(properties, "target")),
        Boolean.parseBoolean(get(properties, "closed")),
        Double.parseDouble(get(properties, "rate")),
        Integer.parseInt(get(properties, "rampSeconds")),
        Integer.parseInt(get(properties, "steps")),
        Integer.parseInt(get(properties, "users")),
        Integer.parseInt(get(properties, "durationSeconds")),
        Double.parseDouble(get(properties, "thinkSeconds")),
        new Mix(Integer.parseInt(mix[0]), Integer.parseInt(mix[1]), Integer.parseInt(mix[2])),
        Integer.parseInt(get(properties, "declinedPercent")),
        Integer.parseInt(get(properties, "returningPercent")),
        Path.of(get(properties, "countsFile")));
  }

  private static String get(Properties properties, String name) {
    String value = properties.getProperty(PREFIX + name);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + PREFIX + name + " is not set; run through ./storefront load");
    }
    return value;
  }
}
