package dev.storefront.common.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorefrontLauncherTest {

  private static final Env DEFAULT = Env.of(Map.of());

  @Test
  void clusteringIsAddedByDefault() {
    String[] args = {"-conf", "{}"};

    assertThat(StorefrontLauncher.withDefaults(args, DEFAULT))
        .containsExactly("-conf", "{}", "-cluster");
  }

  @Test
  void anEmptyCommandLineBecomesClustered() {
    assertThat(StorefrontLauncher.withDefaults(new String[0], DEFAULT)).containsExactly("-cluster");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-cluster", "--cluster"})
  void anExplicitClusterFlagIsNotRepeated(String flag) {
    String[] args = {flag, "-instances", "1"};

    assertThat(StorefrontLauncher.withDefaults(args, DEFAULT))
        .containsExactly(flag, "-instances", "1");
  }

  @Test
  void otherClusterOptionsDoNotCountAsTheFlag() {
    String[] args = {"-cluster-host", "10.0.0.5", "--cluster-port", "15701"};

    assertThat(StorefrontLauncher.withDefaults(args, DEFAULT))
        .containsExactly("-cluster-host", "10.0.0.5", "--cluster-port", "15701", "-cluster");
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "no", "0", "off", "FALSE"})
  void clusteringCanBeSwitchedOff(String value) {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTERED", value));
    String[] args = {"-conf", "{}"};

    assertThat(StorefrontLauncher.withDefaults(args, env)).containsExactly("-conf", "{}");
  }

  @Test
  void clusteringExplicitlyOnBehavesLikeTheDefault() {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTERED", "true"));

    assertThat(StorefrontLauncher.withDefaults(new String[0], env)).containsExactly("-cluster");
  }

  @Test
  void theCallersArrayIsLeftAlone() {
    String[] args = {"-conf", "{}"};

    StorefrontLauncher.withDefaults(args, DEFAULT);

    assertThat(args).containsExactly("-conf", "{}");
  }

  @Test
  void aBadSwitchStopsTheLaunch() {
    Env env = Env.of(Map.of("STOREFRONT_CLUSTERED", "sometimes"));

    assertThatThrownBy(() -> StorefrontLauncher.withDefaults(new String[0], env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STOREFRONT_CLUSTERED");
  }
}
