package dev.storefront.load.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.storefront.load.sim.Workload;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoadOptionsTest {

  private static LoadOptions parse(String... args) throws UsageException {
    return LoadOptions.parse(List.of(args));
  }

  /** The refusal's message: one line, naming the problem. */
  private static String refusal(String... args) {
    Throwable thrown = catchThrowable(() -> parse(args));
    assertThat(thrown).isInstanceOf(UsageException.class);
    String message = thrown.getMessage();
    assertThat(message).isNotBlank().doesNotContain("\n").doesNotContain("\r");
    return message;
  }

  @Test
  void defaults() throws UsageException {
    LoadOptions options = parse("mix");

    assertThat(options.capacity()).isFalse();
    assertThat(options.journeys().profile()).isEqualTo("mix");
    assertThat(options.journeys().target()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(options.journeys().closed()).isFalse();
    assertThat(options.journeys().users()).isZero();
    assertThat(options.journeys().rate()).isEqualTo(10.0);
    assertThat(options.journeys().durationSeconds()).isEqualTo(30);
    assertThat(options.journeys().rampSeconds()).isZero();
    assertThat(options.journeys().steps()).isEqualTo(1);
    assertThat(options.journeys().thinkSeconds()).isEqualTo(1.0);
    assertThat(options.journeys().mix()).isEqualTo(Workload.Mix.STOREFRONT);
    assertThat(options.journeys().mix()).isEqualTo(new Workload.Mix(85, 5, 10));
    assertThat(options.journeys().declinedPercent()).isEqualTo(10);
    assertThat(options.journeys().returningPercent()).isEqualTo(50);
    assertThat(options.sloP99Millis()).isEqualTo(LoadOptions.DEFAULT_SLOS);
    assertThat(options.sloP99Millis())
        .containsEntry("catalog", 300L)
        .containsEntry("auth", 2000L)
        .containsEntry("cart", 300L)
        .containsEntry("checkout", 1000L)
        .containsEntry("order final", 3000L)
        .containsEntry("notifications", 300L)
        .hasSize(6);
    assertThat(options.maxErrorsPercent()).isEqualTo(1.0);
    assertThat(options.resultsDir()).isEqualTo(Path.of("load-tests/target/gatling"));
    assertThat(options.publishDir()).isNull();
    assertThat(options.stackDir()).isNull();
    assertThat(options.fromRate()).isEqualTo(5.0);
    assertThat(options.factor()).isEqualTo(1.5);
    assertThat(options.stepSeconds()).isEqualTo(20);
    assertThat(options.maxRate()).isEqualTo(2000.0);
    assertThat(options.warmupSeconds()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"browse", "shop", "listen", "mix"})
  void everyProfileIsAccepted(String profile) throws UsageException {
    assertThat(parse(profile).journeys().profile()).isEqualTo(profile);
  }

  @ParameterizedTest
  @CsvSource({"30s, 30", "2m, 120", "1h, 3600", "500ms, 1", "1500ms, 2", "45, 45", "2M, 120"})
  void durations(String duration, int seconds) throws UsageException {
    assertThat(parse("browse", "--duration", duration).journeys().durationSeconds())
        .isEqualTo(seconds);
    assertThat(parse("browse", "--ramp", duration).journeys().rampSeconds()).isEqualTo(seconds);
    assertThat(parse("capacity", "browse", "--step-duration", duration).stepSeconds())
        .isEqualTo(seconds);
  }

  @Test
  void eachOptionIsParsed() throws UsageException {
    LoadOptions options =
        parse(
            "shop",
            "--target",
            "https://shop.example.com:8443/",
            "--rate",
            "12.5",
            "--duration",
            "2m",
            "--steps",
            "4",
            "--think",
            "0",
            "--mix",
            "70,20,10",
            "--declined",
            "25",
            "--returning",
            "0",
            "--max-errors",
            "2.5",
            "--results",
            "out/gatling",
            "--publish",
            "docs/results",
            "--stack-dir",
            ".storefront/dev");

    assertThat(options.journeys().profile()).isEqualTo("shop");
    assertThat(options.journeys().target()).isEqualTo(URI.create("https://shop.example.com:8443"));
    assertThat(options.journeys().rate()).isEqualTo(12.5);
    assertThat(options.journeys().durationSeconds()).isEqualTo(120);
    assertThat(options.journeys().steps()).isEqualTo(4);
    assertThat(options.journeys().thinkSeconds()).isZero();
    assertThat(options.journeys().mix()).isEqualTo(new Workload.Mix(70, 20, 10));
    assertThat(options.journeys().declinedPercent()).isEqualTo(25);
    assertThat(options.journeys().returningPercent()).isZero();
    assertThat(options.maxErrorsPercent()).isEqualTo(2.5);
    assertThat(options.resultsDir()).isEqualTo(Path.of("out/gatling"));
    assertThat(options.publishDir()).isEqualTo(Path.of("docs/results"));
    assertThat(options.stackDir()).isEqualTo(Path.of(".storefront/dev"));
    assertThat(options.journeys().closed()).isFalse();
  }

  @Test
  void sloOptionsMapDashedGroupNamesAndKeepTheOtherDefaults() throws UsageException {
    LoadOptions options =
        parse("mix", "--slo", "order-final=2500", "--slo", "catalog=150", "--slo", "cart=400");

    assertThat(options.sloP99Millis())
        .containsEntry("order final", 2500L)
        .containsEntry("catalog", 150L)
        .containsEntry("cart", 400L)
        .containsEntry("auth", 2000L)
        .containsEntry("checkout", 1000L)
        .containsEntry("notifications", 300L)
        .doesNotContainKey("order-final")
        .hasSize(6);
  }

  @Test
  void usersSwitchToTheClosedModel() throws UsageException {
    LoadOptions options = parse("listen", "--users", "40");

    assertThat(options.journeys().closed()).isTrue();
    assertThat(options.journeys().users()).isEqualTo(40);
    Workload workload = options.journeys().forRun(10, 30, Path.of("counts.json"));
    assertThat(workload.closed()).isTrue();
    assertThat(workload.users()).isEqualTo(40);
  }

  @Test
  void capacitySearch() throws UsageException {
    LoadOptions options =
        parse(
            "capacity",
            "browse",
            "--from",
            "20",
            "--factor",
            "2",
            "--step-duration",
            "1m",
            "--max-rate",
            "500");

    assertThat(options.capacity()).isTrue();
    assertThat(options.journeys().profile()).isEqualTo("browse");
    assertThat(options.journeys().closed()).isFalse();
    assertThat(options.fromRate()).isEqualTo(20.0);
    assertThat(options.factor()).isEqualTo(2.0);
    assertThat(options.stepSeconds()).isEqualTo(60);
    assertThat(options.maxRate()).isEqualTo(500.0);
    assertThat(options.warmupSeconds()).as("a capacity search warms up by default").isEqualTo(15);
  }

  @Test
  void warmupIsADurationOrZero() throws UsageException {
    assertThat(parse("capacity", "browse", "--warmup", "0").warmupSeconds()).isZero();
    assertThat(parse("mix", "--warmup", "1m").warmupSeconds()).isEqualTo(60);
    assertThat(refusal("mix", "--warmup", "-1s")).startsWith("--warmup must be a duration");
  }

  @Test
  void aCapacityStepsWorkloadTakesItsRateAndLength() throws UsageException {
    LoadOptions options = parse("capacity", "shop", "--think", "0.5");

    Workload workload = options.journeys().forRun(42, 20, Path.of("step-1/journeys.json"));

    assertThat(workload.profile()).isEqualTo("shop");
    assertThat(workload.rate()).isEqualTo(42.0);
    assertThat(workload.durationSeconds()).isEqualTo(20);
    assertThat(workload.thinkSeconds()).isEqualTo(0.5);
    assertThat(workload.countsFile()).isEqualTo(Path.of("step-1/journeys.json"));
  }

  @Test
  void refusesAnUnknownProfile() {
    assertThat(refusal("stroll")).contains("unknown profile").contains("'stroll'");
    assertThat(refusal("capacity", "stroll")).contains("unknown profile").contains("'stroll'");
  }

  @Test
  void refusesNoProfile() {
    assertThat(refusal()).contains("profile").contains("browse");
    assertThat(refusal("--rate", "5")).contains("profile");
    assertThat(refusal("capacity")).contains("capacity needs a profile");
    assertThat(refusal("capacity", "--from", "5")).contains("capacity needs a profile");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "0", "0.0", "ten", "NaN", "Infinity", ""})
  void refusesARateThatIsNotAPositiveNumber(String rate) {
    assertThat(refusal("browse", "--rate", rate)).startsWith("--rate ").contains("'" + rate + "'");
  }

  @Test
  void saysWhyARateIsRefused() {
    assertThat(refusal("browse", "--rate", "-1")).contains("above 0");
    assertThat(refusal("browse", "--rate", "0")).contains("above 0");
    assertThat(refusal("browse", "--rate", "ten")).contains("must be a number");
  }

  @Test
  void refusesAnUnknownOption() {
    assertThat(refusal("browse", "--speed", "5")).isEqualTo("unknown option --speed");
    assertThat(refusal("browse", "extra")).isEqualTo("unknown option extra");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--target",
        "--rate",
        "--duration",
        "--ramp",
        "--steps",
        "--users",
        "--think",
        "--mix",
        "--slo",
        "--max-errors",
        "--results",
        "--publish",
        "--stack-dir",
        "--from",
        "--factor",
        "--step-duration",
        "--max-rate",
        "--declined",
        "--returning"
      })
  void refusesAnOptionWithoutItsValue(String option) {
    assertThat(refusal("mix", option)).isEqualTo(option + " needs a value");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "30x",
        "s",
        "-5s",
        "1.5m",
        "two minutes",
        "0s",
        "0",
        "25h",
        "99999999999999999999",
        "1152921504606846977h"
      })
  void refusesABadDuration(String duration) {
    assertThat(refusal("browse", "--duration", duration))
        .startsWith("--duration must be")
        .contains("'" + duration + "'");
  }

  @Test
  void refusesAMixThatDoesNotAddUpTo100() {
    assertThat(refusal("mix", "--mix", "80,10,5")).startsWith("--mix").contains("add up to 100");
    assertThat(refusal("mix", "--mix", "90,20,-10")).startsWith("--mix").contains("0 or more");
    assertThat(refusal("mix", "--mix", "80,20")).startsWith("--mix").contains("three");
    assertThat(refusal("mix", "--mix", "a,b,c")).startsWith("--mix").contains("whole");
    assertThat(refusal("mix", "--mix", "85,5,10,")).startsWith("--mix").contains("three");
  }

  @Test
  void refusesStepsWithRamp() {
    assertThat(refusal("browse", "--steps", "3", "--ramp", "10s"))
        .contains("--steps")
        .contains("--ramp");
  }

  @Test
  void refusesOutOfRangeWholeNumbers() {
    assertThat(refusal("browse", "--steps", "0")).startsWith("--steps").contains("1 to 100");
    assertThat(refusal("browse", "--users", "1.5")).startsWith("--users").contains("'1.5'");
    assertThat(refusal("shop", "--declined", "101")).startsWith("--declined").contains("0 to 100");
    assertThat(refusal("mix", "--max-errors", "150")).startsWith("--max-errors").contains("100");
    assertThat(refusal("mix", "--think", "-1")).startsWith("--think").contains("0 or more");
  }

  @Test
  void refusesACapacitySearchWithUsers() {
    assertThat(refusal("capacity", "browse", "--users", "10")).contains("--users");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0.5", "1.0", "11"})
  void refusesAFactorOutsideAbove1To10(String factor) {
    assertThat(refusal("capacity", "browse", "--factor", factor))
        .startsWith("--factor must be above 1")
        .contains("'" + factor + "'");
  }

  @Test
  void refusesFromAboveMaxRate() {
    assertThat(refusal("capacity", "browse", "--from", "300", "--max-rate", "200"))
        .contains("--from")
        .contains("--max-rate");
  }

  @Test
  void maxRateOnlyBoundsACapacitySearch() throws UsageException {
    assertThat(parse("browse", "--max-rate", "3").journeys().rate()).isEqualTo(10);
  }

  @Test
  void refusesATargetWithAPath() {
    assertThat(refusal("browse", "--target", "http://127.0.0.1:8080/shop"))
        .startsWith("--target is the gateway's base URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://127.0.0.1:21", "127.0.0.1:8080", "localhost", "http://", "h t"})
  void refusesATargetThatIsNotHttp(String target) {
    assertThat(refusal("browse", "--target", target))
        .startsWith("--target must be an http(s) URL")
        .contains("'" + target + "'");
  }

  @Test
  void acceptsAPlainHttpTarget() throws UsageException {
    assertThat(parse("browse", "--target", "http://127.0.0.1:9090").journeys().target())
        .isEqualTo(URI.create("http://127.0.0.1:9090"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders=500", "catalog", "=300", "order_final=100"})
  void refusesAnUnknownSloGroup(String slo) {
    assertThat(refusal("mix", "--slo", slo))
        .startsWith("--slo looks like GROUP=MS")
        .contains("'" + slo + "'");
  }

  @Test
  void refusesAnSloLimitThatIsNotAWholeNumberOfMilliseconds() {
    assertThat(refusal("mix", "--slo", "catalog=fast"))
        .startsWith("--slo catalog")
        .contains("'fast'");
    assertThat(refusal("mix", "--slo", "order-final=0")).startsWith("--slo order final");
  }
}
