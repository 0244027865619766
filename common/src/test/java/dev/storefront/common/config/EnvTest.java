package dev.storefront.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvTest {

  private static final Env EMPTY = Env.of(Map.of());

  @Test
  void absentVariablesGiveTheirDefaults() {
    assertThat(EMPTY.string("NAME", "fallback")).isEqualTo("fallback");
    assertThat(EMPTY.integer("COUNT", 7)).isEqualTo(7);
    assertThat(EMPTY.port("PORT", 8080)).isEqualTo(8080);
    assertThat(EMPTY.positive("SIZE", 16)).isEqualTo(16);
    assertThat(EMPTY.bool("FLAG", true)).isTrue();
    assertThat(EMPTY.bool("FLAG", false)).isFalse();
    assertThat(EMPTY.millis("WAIT_MS", 1_500)).isEqualTo(Duration.ofMillis(1_500));
    assertThat(EMPTY.list("HOSTS", "a,b")).containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "  \n "})
  void blankValuesFallBackToTheDefault(String blank) {
    Env env =
        Env.of(
            Map.of(
                "NAME", blank, "COUNT", blank, "PORT", blank, "FLAG", blank, "WAIT_MS", blank,
                "HOSTS", blank));

    assertThat(env.string("NAME", "fallback")).isEqualTo("fallback");
    assertThat(env.integer("COUNT", 3)).isEqualTo(3);
    assertThat(env.port("PORT", 5432)).isEqualTo(5432);
    assertThat(env.bool("FLAG", true)).isTrue();
    assertThat(env.millis("WAIT_MS", 250)).isEqualTo(Duration.ofMillis(250));
    assertThat(env.list("HOSTS", "x, y")).containsExactly("x", "y");
  }

  @Test
  void valuesAreTrimmed() {
    Env env = Env.of(Map.of("NAME", "  catalog \n", "COUNT", " 42 "));

    assertThat(env.string("NAME", "x")).isEqualTo("catalog");
    assertThat(env.integer("COUNT", 0)).isEqualTo(42);
  }

  @Test
  void integersParseSignedValues() {
    Env env = Env.of(Map.of("A", "-12", "B", "0", "C", "2147483647"));

    assertThat(env.integer("A", 1)).isEqualTo(-12);
    assertThat(env.integer("B", 1)).isZero();
    assertThat(env.integer("C", 1)).isEqualTo(Integer.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "12x", "1.5", "2147483648", "0x10"})
  void aNonIntegerIsRejectedNamingTheVariableAndTheValue(String bad) {
    Env env = Env.of(Map.of("COUNT", bad));

    assertThatThrownBy(() -> env.integer("COUNT", 1))
        .isInstanceOf(ConfigException.class)
        .hasMessage("COUNT must be an integer, got '" + bad + "'");
  }

  @Test
  void portsAcceptZeroToMax() {
    Env env = Env.of(Map.of("LOW", "0", "HIGH", "65535", "MID", "5701"));

    assertThat(env.port("LOW", 1)).isZero();
    assertThat(env.port("HIGH", 1)).isEqualTo(65535);
    assertThat(env.port("MID", 1)).isEqualTo(5701);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 100000})
  void portsOutsideTheRangeAreRejected(int bad) {
    Env env = Env.of(Map.of("HTTP_PORT", Integer.toString(bad)));

    assertThatThrownBy(() -> env.port("HTTP_PORT", 8080))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HTTP_PORT must be a port between 0 and 65535, got " + bad);
  }

  @Test
  void aPortThatIsNotANumberIsRejectedAsAnInteger() {
    Env env = Env.of(Map.of("HTTP_PORT", "http"));

    assertThatThrownBy(() -> env.port("HTTP_PORT", 8080))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HTTP_PORT must be an integer, got 'http'");
  }

  @Test
  void positiveAcceptsOneAndRejectsZeroAndNegatives() {
    assertThat(Env.of(Map.of("N", "1")).positive("N", 5)).isEqualTo(1);

    assertThatThrownBy(() -> Env.of(Map.of("PG_POOL_SIZE", "0")).positive("PG_POOL_SIZE", 16))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PG_POOL_SIZE must be at least 1, got 0");
    assertThatThrownBy(() -> Env.of(Map.of("PG_POOL_SIZE", "-3")).positive("PG_POOL_SIZE", 16))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PG_POOL_SIZE must be at least 1, got -3");
  }

  @Test
  void aDefaultBelowOneIsRejectedToo() {
    // A wrong default in code is caught at start-up just like a wrong value in the environment.
    assertThatThrownBy(() -> EMPTY.positive("VERTICLE_INSTANCES", 0))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VERTICLE_INSTANCES must be at least 1, got 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True", "yes", "YES", "1", "on", "On"})
  void truthyWordsAreTrue(String value) {
    assertThat(Env.of(Map.of("FLAG", value)).bool("FLAG", false)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "FALSE", "no", "No", "0", "off", "OFF"})
  void falsyWordsAreFalse(String value) {
    assertThat(Env.of(Map.of("FLAG", value)).bool("FLAG", true)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "2", "enabled", "t"})
  void otherBooleanWordsAreRejected(String bad) {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTERED", bad));

    assertThatThrownBy(() -> env.bool("STOREFRONT_CLUSTERED", true))
        .isInstanceOf(ConfigException.class)
        .hasMessage("STOREFRONT_CLUSTERED must be true or false, got '" + bad + "'");
  }

  @Test
  void millisParseToDurations() {
    Env env = Env.of(Map.of("A", "0", "B", "250", "C", "86400000"));

    assertThat(env.millis("A", 9)).isEqualTo(Duration.ZERO);
    assertThat(env.millis("B", 9)).isEqualTo(Duration.ofMillis(250));
    assertThat(env.millis("C", 9)).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void negativeMillisAreRejected() {
    Env env = Env.of(Map.of("SHUTDOWN_DRAIN_MS", "-5"));

    assertThatThrownBy(() -> env.millis("SHUTDOWN_DRAIN_MS", 10_000))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SHUTDOWN_DRAIN_MS must not be negative, got -5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10s", "1.5", "ten", "PT10S"})
  void millisThatAreNotANumberAreRejected(String bad) {
    Env env = Env.of(Map.of("SHUTDOWN_DRAIN_MS", bad));

    assertThatThrownBy(() -> env.millis("SHUTDOWN_DRAIN_MS", 10_000))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SHUTDOWN_DRAIN_MS must be a number of milliseconds, got '" + bad + "'");
  }

  @Test
  void listsSplitOnCommasTrimAndDropEmptyItems() {
    Env env = Env.of(Map.of("MEMBERS", " 10.0.0.1:5701 ,, 10.0.0.2 ,  ,10.0.0.3,"));

    assertThat(env.list("MEMBERS", "127.0.0.1"))
        .containsExactly("10.0.0.1:5701", "10.0.0.2", "10.0.0.3");
  }

  @Test
  void aListOfOnlySeparatorsIsEmptyNotTheDefault() {
    // Not blank, so the default does not apply; ClusterConfig rejects the empty member list.
    assertThat(Env.of(Map.of("MEMBERS", " , ,")).list("MEMBERS", "127.0.0.1")).isEmpty();
  }

  @Test
  void listsAreImmutable() {
    List<String> list = Env.of(Map.of("L", "a,b")).list("L", "");

    assertThatThrownBy(() -> list.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withOverridesSomeValuesAndLeavesTheOriginalAlone() {
    Env base = Env.of(Map.of("A", "1", "B", "2"));

    Env overridden = base.with(Map.of("B", "20", "C", "30"));

    assertThat(overridden.integer("A", 0)).isEqualTo(1);
    assertThat(overridden.integer("B", 0)).isEqualTo(20);
    assertThat(overridden.integer("C", 0)).isEqualTo(30);
    assertThat(base.integer("B", 0)).isEqualTo(2);
    assertThat(base.integer("C", 0)).isZero();
  }

  @Test
  void anEnvIsASnapshotOfTheMapItWasGiven() {
    Map<String, String> source = new HashMap<>(Map.of("A", "1"));
    Env env = Env.of(source);

    source.put("A", "2");

    assertThat(env.integer("A", 0)).isEqualTo(1);
  }

  @Test
  void theSystemEnvironmentIsReadable() {
    String path = System.getenv("PATH");

    assertThat(Env.system().string("PATH", null)).isEqualTo(path == null ? null : path.trim());
  }
}
