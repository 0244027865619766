package dev.storefront.load.cli;

import dev.storefront.load.sim.Workload;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@code ./storefront load}: {@code PROFILE [options]} for one run, {@code
 * capacity PROFILE [options]} for a capacity search.
 *
 * @param journeys what the visitors do and how they arrive; each run gets its own counts file
 */
public record LoadOptions(
    boolean capacity,
    Workload journeys,
    Map<String, Long> sloP99Millis,
    double maxErrorsPercent,
    Path resultsDir,
    Path publishDir,
    Path stackDir,
    double fromRate,
    double factor,
    int stepSeconds,
    double maxRate,
    int warmupSeconds) {

  public static final List<String> PROFILES = List.of("browse", "shop", "listen", "mix");

  /** p99 limits per request group, in milliseconds; see load-tests/README.md. */
  public static final Map<String, Long> DEFAULT_SLOS = defaultSlos();

  public static final String USAGE =
      """
      usage: ./storefront load PROFILE [options]
             ./storefront load capacity PROFILE [options]

      PROFILE: browse, shop, listen or mix (the storefront mix)

      Load (open model unless --users):
        --rate N            visitors arriving per second (default 10)
        --duration D        how long they arrive, e.g. 30s, 2m (default 30s)
        --ramp D            first raise the rate from 0 over D
        --steps N           climb to --rate in N equal levels over --duration
        --users N           closed model: N visitors at any time instead of a rate
        --think S           mean seconds a visitor pauses between pages (default 1; 0 for none)
        --mix B,S,L         the mix's browse, shop and listen shares in percent (default 85,5,10)
        --declined P        percent of checkouts paid with the declining card (default 10)
        --returning P       percent of shoppers who sign in to an account of the run (default 50)
      SLOs (a broken one exits 1):
        --slo GROUP=MS      p99 limit of a request group: catalog, auth, cart, checkout,
                            order-final, notifications (repeatable)
        --max-errors P      largest share of failed requests in percent (default 1)
      Capacity search (capacity PROFILE):
        --from N            first arrival rate (default 5)
        --factor F          each step's rate is the last one times F (default 1.5)
        --step-duration D   length of each step (default 20s)
        --max-rate N        stop there even if every SLO holds (default 2000)
        --warmup D          first a run of D at the first rate, not counted, so a freshly
                            started stack is measured warm (default 15s for capacity, else 0)
      Where:
        --target URL        the gateway to load (default: the local stack's)
        --results DIR       where Gatling's reports go (default load-tests/target/gatling)
        --publish DIR       also write a summary (JSON) and, for capacity, a plot (SVG) there
        --stack-dir DIR     a local stack's state directory: its processes' CPU is reported
      """;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private static Map<String, Long> defaultSlos() {
    Map<String, Long> slos = new LinkedHashMap<>();
    slos.put("catalog", 300L);
    slos.put("auth", 2000L);
    slos.put("cart", 300L);
    slos.put("checkout", 1000L);
    slos.put("order final", 3000L);
    slos.put("notifications", 300L);
    return Map.copyOf(slos);
  }

  public static LoadOptions parse(List<String> args) throws UsageException {
    Parser parser = new Parser(args);
    return parser.parse();
  }

  private static final class Parser {
    private final List<String> args;
    private int at;

    Parser(List<String> args) {
      this.args = args;
    }

    LoadOptions parse() throws UsageException {
      if (args.isEmpty()) {
        throw new UsageException("name a profile: " + String.join(", ", PROFILES));
      }
      boolean capacity = "capacity".equals(args.get(0));
      if (capacity) {
        at = 1;
      }
      if (at >= args.size() || args.get(at).startsWith("-")) {
        throw new UsageException(
            (capacity ? "capacity needs" : "name") + " a profile: " + String.join(", ", PROFILES));
      }
      String profile = args.get(at++);
      if (!PROFILES.contains(profile)) {
        throw new UsageException(
            "unknown profile '" + profile + "'; profiles: " + String.join(", ", PROFILES));
      }
      URI target = URI.create("http://127.0.0.1:8080");
      double rate = 10;
      int ramp = 0;
      int steps = 1;
      int users = 0;
      int duration = 30;
      double think = 1;
      Workload.Mix mix = Workload.Mix.STOREFRONT;
      int declined = 10;
      int returning = 50;
      Map<String, Long> slos = new LinkedHashMap<>(DEFAULT_SLOS);
      double maxErrors = 1;
      Path results = Path.of("load-tests/target/gatling");
      Path publish = null;
      Path stackDir = null;
      double from = 5;
      double factor = 1.5;
      int stepSeconds = 20;
      double maxRate = 2000;
      int warmup = capacity ? 15 : 0;
      while (at < args.size()) {
        String option = args.get(at++);
        switch (option) {
          case "--target" -> target = target(value(option));
          case "--rate" -> rate = positive(option, value(option));
          case "--duration" -> duration = seconds(option, value(option));
          case "--ramp" -> ramp = seconds(option, value(option));
          case "--steps" -> steps = (int) whole(option, value(option), 1, 100);
          case "--users" -> users = (int) whole(option, value(option), 1, 100_000);
          case "--think" -> think = nonNegative(option, value(option));
          case "--mix" -> mix = mix(value(option));
          case "--declined" -> declined = (int) whole(option, value(option), 0, 100);
          case "--returning" -> returning = (int) whole(option, value(option), 0, 100);
          case "--slo" -> slo(slos, value(option));
          case "--max-errors" -> maxErrors = percent(option, value(option));
          case "--results" -> results = Path.of(value(option));
          case "--publish" -> publish = Path.of(value(option));
          case "--stack-dir" -> stackDir = Path.of(value(option));
          case "--from" -> from = positive(option, value(option));
          case "--factor" -> factor = factor(value(option));
          case "--step-duration" -> stepSeconds = seconds(option, value(option));
          case "--max-rate" -> maxRate = positive(option, value(option));
          case "--warmup" -> {
            String value = value(option);
            warmup = "0".equals(value.trim()) ? 0 : seconds(option, value);
          }
          default -> throw new UsageException("unknown option " + option);
        }
      }
      if (steps > 1 && ramp > 0) {
        throw new UsageException("--steps and --ramp do not go together");
      }
      if (capacity && users > 0) {
        throw new UsageException(
            "a capacity search steps the arrival rate; --users does not apply");
      }
      if (capacity && from > maxRate) {
        throw new UsageException("--from must not be above --max-rate");
      }
      Workload journeys =
          new Workload(
              profile,
              target,
              users > 0,
              rate,
              ramp,
              steps,
              users,
              duration,
              think,
              mix,
              declined,
              returning,
              Path.of("journeys.json"));
      return new LoadOptions(
          capacity,
          journeys,
          Map.copyOf(slos),
          maxErrors,
          results,
          publish,
          stackDir,
          from,
          factor,
          stepSeconds,
          maxRate,
          warmup);
    }

    private String value(String option) throws UsageException {
      if (at >= args.size()) {
        throw new UsageException(option + " needs a value");
      }
      return args.get(at++);
    }

    private static URI target(String value) throws UsageException {
      try {
        URI uri = new URI(value);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new UsageException("--target must be an http(s) URL, got '" + value + "'");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())
            || uri.getRawQuery() != null) {
          throw new UsageException(
              "--target is the gateway's base URL (scheme, host and port), got '" + value + "'");
        }
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        return URI.create(base);
      } catch (java.net.URISyntaxException e) {
        throw new UsageException("--target must be an http(s) URL, got '" + value + "'");
      }
    }

    private static double number(String option, String value) throws UsageException {
      try {
        double number = Double.parseDouble(value);
        if (Double.isNaN(number) || Double.isInfinite(number)) {
          throw new NumberFormatException();
        }
        return number;
      } catch (NumberFormatException e) {
        throw new UsageException(option + " must be a number, got '" + value + "'");
      }
    }

    private static double positive(String option, String value) throws UsageException {
      double number = number(option, value);
      if (number <= 0) {
        throw new UsageException(option + " must be above 0, got '" + value + "'");
      }
      return number;
    }

    private static double nonNegative(String option, String value) throws UsageException {
      double number = number(option, value);
      if (number < 0) {
        throw new UsageException(option + " must be 0 or more, got '" + value + "'");
      }
      return number;
    }

    private static double percent(String option, String value) throws UsageException {
      double number = nonNegative(option, value);
      if (number > 100) {
        throw new UsageException(option + " is a percentage, 0 to 100, got '" + value + "'");
      }
      return number;
    }

    private static long whole(String option, String value, long min, long max)
        throws UsageException {
      try {
        long number = Long.parseLong(value);
        if (number < min || number > max) {
          throw new NumberFormatException();
        }
        return number;
      } catch (NumberFormatException e) {
        throw new UsageException(
            option
                + " must be a whole number from "
                + min
                + " to "
                + max
                + ", got '"
                + value
                + "'");
      }
    }

    private static double factor(String value) throws UsageException {
      double number = number("--factor", value);
      if (number <= 1 || number > 10) {
        throw new UsageException("--factor must be above 1 and at most 10, got '" + value + "'");
      }
      return number;
    }

    /** 30s, 2m, 1h, 500ms (rounded up to whole seconds) or a plain number of seconds. */
    static int seconds(String option, String value) throws UsageException {
      Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!matcher.matches()) {
        throw new UsageException(
            option + " must be a duration such as 30s, 2m or 1h, got '" + value + "'");
      }
      long amount = Long.parseLong(matcher.group(1));
      String unit = matcher.group(2) == null ? "s" : matcher.group(2);
      long seconds =
          switch (unit) {
            case "ms" -> (amount + 999) / 1000;
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            default -> amount;
          };
      if (seconds < 1 || seconds > 24 * 3600) {
        throw new UsageException(option + " must be from 1s to 24h, got '" + value + "'");
      }
      return (int) seconds;
    }

    private static Workload.Mix mix(String value) throws UsageException {
      String[] parts = value.split(",", -1);
      if (parts.length != 3) {
        throw new UsageException(
            "--mix is three percentages, browse,shop,listen, got '" + value + "'");
      }
      try {
        return new Workload.Mix(
            Integer.parseInt(parts[0].trim()),
            Integer.parseInt(parts[1].trim()),
            Integer.parseInt(parts[2].trim()));
      } catch (NumberFormatException e) {
        throw new UsageException("--mix is three whole percentages, got '" + value + "'");
      } catch (IllegalArgumentException e) {
        throw new UsageException("--mix: " + e.getMessage());
      }
    }

    private static void slo(Map<String, Long> slos, String value) throws UsageException {
      int equals = value.indexOf('=');
      String group = equals < 0 ? "" : value.substring(0, equals).trim().replace('-', ' ');
      if (!DEFAULT_SLOS.containsKey(group)) {
        throw new UsageException(
            "--slo looks like GROUP=MS with GROUP one of catalog, auth, cart, checkout,"
                + " order-final, notifications; got '"
                + value
                + "'");
      }
      slos.put(group, whole("--slo " + group, value.substring(equals + 1).trim(), 1, 3_600_000));
    }
  }
}
