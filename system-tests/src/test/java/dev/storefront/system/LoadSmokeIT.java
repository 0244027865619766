package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short run of the storefront mix with the load-testing tool, as {@code ./storefront load} runs
 * it, against a whole stack: a journey that breaks fails the build. The gateway trusts
 * X-Forwarded-For from loopback peers as the local stack's does, under its default rate limits.
 */
class LoadSmokeIT {

  private static final Duration SAGA = Duration.ofSeconds(60);

  private static GreenMail smtp;
  private static TestStack stack;
  private static int gatewayPort;

  @BeforeAll
  static void startStack() throws Exception {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    smtp.start();
    stack = TestStack.start("load-smoke");
    ServiceProcess gateway =
        stack.startService("gateway", "gateway-1", Map.of("TRUST_FORWARDED_FOR", "loopback"));
    gatewayPort = gateway.awaitPort(Duration.ofSeconds(120));
    List<ServiceProcess> services = new ArrayList<>(List.of(gateway));
    services.add(
        stack.startService(
            "catalog",
            "catalog-1",
            Map.of("CATALOG_DEMO_DATA", "true", "CATALOG_DEMO_PRODUCTS", "200")));
    services.add(stack.startService("cart", "cart-1", Map.of()));
    services.add(stack.startService("order", "order-1", Map.of()));
    services.add(stack.startService("payment", "payment-1", Map.of()));
    services.add(
        stack.startService(
            "notification",
            "notification-1",
            Map.of(
                "MAIL_HOST", "127.0.0.1",
                "MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "MAIL_STARTTLS", "DISABLED")));
    for (ServiceProcess process : services) {
      TestStack.awaitReady(process);
    }
    TestStack.await(
        "every service discovered by the gateway",
        Duration.ofSeconds(60),
        () ->
            List.of("catalog", "cart", "order", "payment", "notification").stream()
                .allMatch(service -> TestStack.instances(gatewayPort, service).size() == 1));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  @Test
  void theStorefrontMixRunsWithinItsSlosAndLosesNothing() throws Exception {
    Path root = Path.of(System.getProperty("storefront.root", "..")).toAbsolutePath().normalize();
    Path results = root.resolve("system-tests/target/load-smoke");
    Path output = Files.createDirectories(results).resolve("load.log");
    // Shares above the storefront mix's, so a short run has shoppers and listeners; SLOs loose
    // enough for a busy two-core machine running seven JVMs and the load generator.
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            root.resolve("load-tests/target/load-tests.jar")
                + java.io.File.pathSeparator
                + root.resolve("load-tests/target/lib/*"),
            "dev.storefront.load.cli.LoadCli",
            "mix",
            "--target",
            "http://127.0.0.1:" + gatewayPort,
            "--rate",
            "2",
            "--duration",
            "15s",
            "--think",
            "0.3",
            "--mix",
            "60,25,15",
            "--slo",
            "catalog=3000",
            "--slo",
            "cart=3000",
            "--slo",
            "notifications=3000",
            "--slo",
            "auth=10000",
            "--slo",
            "checkout=10000",
            "--slo",
            "order-final=20000",
            "--max-errors",
            "0",
            "--results",
            results.toString());
    Process load =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertThat(load.waitFor(4, TimeUnit.MINUTES)).as("the run ended").isTrue();
    String printed = Files.readString(output);
    assertThat(load.exitValue()).as(printed).isZero();
    assertThat(printed).contains("every SLO held").contains("report        file:");

    JsonObject journeys = new JsonObject(Files.readString(journeysFile(results)));
    assertThat(journeys.getLong("orders.confirmed", 0L)).as(printed).isPositive();
    assertThat(journeys.getLong("streams.opened", 0L)).as(printed).isPositive();
    assertThat(journeys.getLong("accounts.signedUp", 0L)).as(printed).isPositive();
    assertThat(journeys.getLong("generator.cpuMillis", 0L)).isPositive();

    stack.awaitCleanReconciliation(SAGA, check -> false);
  }

  private static Path journeysFile(Path results) throws Exception {
    try (Stream<Path> files = Files.walk(results)) {
      return files
          .filter(file -> file.getFileName().toString().equals("journeys.json"))
          .findFirst()
          .orElseThrow();
    }
  }
}
