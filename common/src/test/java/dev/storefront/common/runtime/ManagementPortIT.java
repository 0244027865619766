package dev.storefront.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.config.Env;
import dev.storefront.common.config.HttpConfig;
import dev.storefront.common.discovery.ServiceIdentity;
import dev.storefront.common.http.Health;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.servicediscovery.Record;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process's service port carries its API only; health and metrics answer on the management port,
 * which by default only this machine reaches.
 */
class ManagementPortIT {

  private static final List<String> INTERNAL = List.of("/metrics", "/health/live", "/health/ready");

  @TempDir Path temp;

  private Vertx vertx;
  private WebClient web;

  @BeforeEach
  void startVertx() {
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(Metrics.options()))
            .withMetrics(Metrics.factory())
            .build();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void theServicePortRefusesHealthAndMetricsWhichTheManagementPortServes() throws Exception {
    Path portFile = temp.resolve("catalog.port");
    Path managementPortFile = temp.resolve("catalog.management-port");
    HttpConfig http =
        new HttpConfig(
            "127.0.0.1",
            0,
            "127.0.0.1",
            2,
            Duration.ofSeconds(1),
            portFile.toString(),
            "127.0.0.1",
            0,
            managementPortFile.toString(),
            Duration.ofSeconds(10),
            "",
            "");
    Service service = new Service(http);
    await(vertx.deployVerticle(service));
    int port = service.host.port();
    int management = service.host.managementPort();

    assertThat(management).isPositive().isNotEqualTo(port);
    assertThat(Files.readString(portFile)).isEqualTo(Integer.toString(port));
    assertThat(Files.readString(managementPortFile)).isEqualTo(Integer.toString(management));
    assertThat(get(port, "/api/hello").bodyAsString()).isEqualTo("hello");
    for (String path : INTERNAL) {
      HttpResponse<Buffer> refused = get(port, path);
      assertThat(refused.statusCode()).as(path).isEqualTo(404);
      assertThat(refused.getHeader("Content-Type")).as(path).startsWith("application/problem+json");
      assertThat(refused.bodyAsJsonObject().getInteger("status")).as(path).isEqualTo(404);
    }

    assertThat(get(management, "/health/live").statusCode()).isEqualTo(200);
    assertThat(get(management, "/health/ready").bodyAsJsonObject().getString("status"))
        .isEqualTo("UP");
    HttpResponse<Buffer> scrape = get(management, "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.getHeader("Content-Type")).startsWith("text/plain");
    // The service port's requests are what the scrape counts, 404s included.
    assertThat(scrape.bodyAsString())
        .containsPattern("vertx_http_server_requests_total\\{[^}]*code=\"404\"")
        .contains("storefront_discovery_instances");
    // Nor is the management port a second way into the API.
    HttpResponse<Buffer> noApi = get(management, "/api/hello");
    assertThat(noApi.statusCode()).isEqualTo(404);
    assertThat(noApi.getHeader("Content-Type")).startsWith("application/problem+json");

    // Callers are sent to the service port; the management port is in the record for tools.
    Record record = awaitPublished(service.host);
    assertThat(record.getLocation().getInteger("port")).isEqualTo(port);
    assertThat(record.getMetadata().getInteger("managementPort")).isEqualTo(management);
  }

  @Test
  void theManagementPortReportsDrainingUntilTheServersHaveStoppedThenCloses() throws Exception {
    Service service = new Service(HttpConfig.from(Env.of(Map.of()), HttpConfig.LOOPBACK, 0));
    String deployment = await(vertx.deployVerticle(service));
    int management = service.host.managementPort();
    awaitPublished(service.host);

    Future<Void> undeployed = vertx.undeploy(deployment);
    boolean sawDraining = false;
    while (!undeployed.isComplete()) {
      try {
        HttpResponse<Buffer> ready = get(management, "/health/ready");
        if (ready.statusCode() == 503
            && "draining".equals(ready.bodyAsJsonObject().getString("reason"))) {
          sawDraining = true;
        }
      } catch (Exception closedMeanwhile) {
        // The management server closes as the last step of the stop.
      }
      Thread.sleep(20);
    }
    await(undeployed);

    assertThat(sawDraining).isTrue();
    assertThatThrownBy(() -> connect(InetAddress.getLoopbackAddress(), management))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aServicePortThatCannotBeBoundLeavesNoManagementPortBehind() throws Exception {
    int management;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      management = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HttpConfig http =
          HttpConfig.from(
              Env.of(
                  Map.of(
                      "HTTP_PORT", Integer.toString(taken.getLocalPort()),
                      "MANAGEMENT_PORT", Integer.toString(management))),
              HttpConfig.LOOPBACK,
              0);

      // Started outside a verticle: nothing but the host itself would close what it opened.
      assertThatThrownBy(
              () ->
                  await(
                      ServiceHost.start(
                          vertx,
                          new ServiceIdentity("catalog", "it", "b0und"),
                          http,
                          new Health(vertx),
                          v -> ServiceRouter.complete(ServiceRouter.create(v)))))
          .hasRootCauseInstanceOf(java.net.BindException.class);
    }
    assertThatThrownBy(() -> connect(InetAddress.getLoopbackAddress(), management))
        .isInstanceOf(IOException.class);
  }

  /**
   * With nothing configured, the management server listens on loopback only, while a service port
   * told to listen everywhere (the gateway's default) is reachable on the machine's other address.
   */
  @Test
  void byDefaultTheManagementPortIsReachableFromThisMachineOnly() throws Exception {
    HttpConfig defaults = HttpConfig.from(Env.of(Map.of()), HttpConfig.ALL_INTERFACES, 0);
    assertThat(defaults.managementHost()).isEqualTo("127.0.0.1");
    Service service = new Service(defaults);
    await(vertx.deployVerticle(service));
    int port = service.host.port();
    int management = service.host.managementPort();

    connect(InetAddress.getLoopbackAddress(), management);
    Optional<InetAddress> other = nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "this machine has no address but loopback");
    connect(other.get(), port);
    assertThatThrownBy(() -> connect(other.get(), management))
        .as("management port on %s", other.get())
        .isInstanceOf(IOException.class);
  }

  /** A service verticle as the services write theirs: host started in start, stopped in stop. */
  private static final class Service extends VerticleBase {

    private final HttpConfig http;
    private ServiceHost host;

    Service(HttpConfig http) {
      this.http = http;
    }

    @Override
    public Future<?> start() {
      Health health = new Health(vertx);
      return ServiceHost.start(
              vertx,
              new ServiceIdentity("catalog", "it", "m4n4g3d"),
              http,
              health,
              v -> {
                Router router = ServiceRouter.create(v);
                router.get("/api/hello").handler(ctx -> ctx.end("hello"));
                return ServiceRouter.complete(router);
              })
          .onSuccess(h -> host = h);
    }

    @Override
    public Future<?> stop() {
      return host.stop();
    }
  }

  private Record awaitPublished(ServiceHost host) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Record record = await(host.discovery().getRecord(r -> "catalog".equals(r.getName())));
      if (record != null) {
        return record;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the endpoint was never published");
  }

  private HttpResponse<Buffer> get(int port, String path) throws Exception {
    return await(web.get(port, "127.0.0.1", path).send());
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
