package dev.storefront.load.sim;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one simulation: the {@link Workload} in the system properties says which journeys run, at
 * what rate, against which target.
 */
public final class StorefrontSimulation extends Simulation {

  /** Time after the last arrival for the journeys under way to end. */
  private static final Duration JOURNEY_GRACE = Duration.ofSeconds(90);

  private final Workload workload = Workload.fromProperties(System.getProperties());
  private final JourneyCounts counts = new JourneyCounts();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "event-stream-timer");
            thread.setDaemon(true);
            return thread;
          });
  private final Journeys journeys;

  public StorefrontSimulation() throws IOException, InterruptedException {
    CatalogSample catalog = CatalogSample.read(client, workload.target());
    journeys = new Journeys(workload, catalog, new Accounts(), counts, client, timer);
    HttpProtocolBuilder protocol =
        http.baseUrl(workload.target().toString())
            .acceptHeader("application/json")
            .userAgentHeader("storefront-load")
            .header("X-Forwarded-For", "#{visitor}")
            .disableWarmUp()
            .disableCaching();

    Workload.Mix shares =
        switch (workload.profile()) {
          case "browse" -> new Workload.Mix(100, 0, 0);
          case "shop" -> new Workload.Mix(0, 100, 0);
          case "listen" -> new Workload.Mix(0, 0, 100);
          default -> workload.mix();
        };
    List<PopulationBuilder> populations = new ArrayList<>();
    add(populations, "browse", journeys.browse(), shares.browse(), protocol);
    add(populations, "shop", journeys.shop(), shares.shop(), protocol);
    add(populations, "listen", journeys.listen(), shares.listen(), protocol);
    setUp(populations)
        .maxDuration(Duration.ofSeconds(workload.arrivalSeconds()).plus(JOURNEY_GRACE));
  }

  @Override
  public void before() {
    counts.start();
    journeys.startClock();
  }

  @Override
  public void after() {
    timer.shutdownNow();
    try {
      counts.write(workload.countsFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void add(
      List<PopulationBuilder> populations,
      String name,
      ChainBuilder journey,
      int sharePercent,
      HttpProtocolBuilder protocol) {
    if (sharePercent == 0) {
      return;
    }
    var scenario = scenario(name).exec(journeys.arrive()).exec(journey);
    double share = sharePercent / 100.0;
    PopulationBuilder population;
    if (workload.closed()) {
      int users = Math.max(1, (int) Math.round(workload.users() * share));
      population =
          scenario.injectClosed(
              constantConcurrentUsers(users)
                  .during(Duration.ofSeconds(workload.durationSeconds())));
    } else {
      double rate = workload.rate() * share;
      Duration duration = Duration.ofSeconds(workload.durationSeconds());
      if (workload.steps() > 1) {
        double level = rate / workload.steps();
        population =
            scenario.injectOpen(
                incrementUsersPerSec(level)
                    .times(workload.steps())
                    .eachLevelLasting(duration.dividedBy(workload.steps()))
                    .startingFrom(level));
      } else if (workload.rampSeconds() > 0) {
        population =
            scenario.injectOpen(
                rampUsersPerSec(0).to(rate).during(Duration.ofSeconds(workload.rampSeconds())),
                constantUsersPerSec(rate).during(duration).randomized());
      } else {
        population = scenario.injectOpen(constantUsersPerSec(rate).during(duration).randomized());
      }
    }
    populations.add(population.protocols(protocol));
  }
}
