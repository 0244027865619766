package dev.storefront.gateway.proxy;

import dev.storefront.common.discovery.Endpoint;
import dev.storefront.common.discovery.ServiceDirectory;
import dev.storefront.common.metrics.BreakerMetrics;
import dev.storefront.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances the gateway balances over, one breaker each, kept in step with the local discovery
 * view. Shared by every event loop of the process: reads are a volatile read of an immutable map,
 * changes come from the directory's context only.
 */
public final class Upstreams {

  /** Only services the route table forwards to need breakers here. */
  private static final java.util.Set<String> ROUTED = java.util.Set.copyOf(RouteTable.services());

  private final Vertx vertx;
  private final ServiceDirectory directory;
  private final GatewayConfig.Upstream config;
  private final MeterRegistry registry;
  private final Map<String, UpstreamInstance> byRegistration = new HashMap<>();
  private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
  private volatile Map<String, List<UpstreamInstance>> byService = Map.of();
  private final RetryBudget retryBudget;
  private final EventStreams streams;
  private final PipelineMeters pipelineMeters;
  private final long refillTimer;

  public Upstreams(
      Vertx vertx,
      ServiceDirectory directory,
      GatewayConfig.Upstream config,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.directory = directory;
    this.config = config;
    this.registry = registry;
    this.retryBudget = new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinPerSecond());
    this.refillTimer = vertx.setPeriodic(1_000, id -> retryBudget.refill());
    this.streams = new EventStreams(registry);
    this.pipelineMeters = new PipelineMeters(registry);
    directory.onChange(this::reconcile);
    reconcile(directory.all());
  }

  /**
   * The instances to try for one request, in order: those with a closed breaker before those whose
   * breaker is open (ejected after repeated failures until a trial request succeeds), and among
   * each the fewest requests under way first, round robin between equals.
   */
  public List<UpstreamInstance> candidates(String service) {
    List<UpstreamInstance> instances = byService.getOrDefault(service, List.of());
    int n = instances.size();
    if (n == 0) {
      return List.of();
    }
    int start =
        Math.floorMod(
            cursors.computeIfAbsent(service, s -> new AtomicInteger()).getAndIncrement(), n);
    List<UpstreamInstance> healthy = new ArrayList<>(n);
    List<UpstreamInstance> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      UpstreamInstance instance = instances.get((start + i) % n);
      (instance.open() ? open : healthy).add(instance);
    }
    // Least outstanding requests first; the round-robin rotation breaks ties, so equally loaded
    // instances still take turns. An instance that answers slowly builds a queue and is avoided.
    healthy.sort(java.util.Comparator.comparingInt(i -> i.outstanding().get()));
    healthy.addAll(open);
    return healthy;
  }

  /** The process-wide budget for retries of requests that reached an instance. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The event streams open through this process. */
  public EventStreams streams() {
    return streams;
  }

  /** How this process's reads reach instances: pipelined or over the pool. */
  public PipelineMeters pipelineMeters() {
    return pipelineMeters;
  }

  /** Stops the retry budget's refill and withdraws the process's stream and pipelining meters. */
  public void close() {
    vertx.cancelTimer(refillTimer);
    streams.close();
    pipelineMeters.remove();
  }

  /**
   * What an operator sees: every instance discovery knows of, with its breaker where the gateway
   * forwards to that service.
   */
  public JsonObject describe() {
    JsonObject all = new JsonObject();
    Map<String, UpstreamInstance> balanced = new HashMap<>();
    byService
        .values()
        .forEach(list -> list.forEach(i -> balanced.put(i.endpoint().registration(), i)));
    directory
        .all()
        .forEach(
            (service, endpoints) ->
                all.put(
                    service,
                    new JsonArray(
                        endpoints.stream()
                            .map(
                                e -> {
                                  JsonObject json = e.toJson();
                                  UpstreamInstance instance = balanced.get(e.registration());
                                  if (instance != null) {
                                    json.put("breaker", instance.breaker().state().name());
                                  }
                                  return json;
                                })
                            .toList())));
    return all;
  }

  private synchronized void reconcile(Map<String, List<Endpoint>> view) {
    var seen = new HashSet<String>();
    Map<String, List<UpstreamInstance>> next = new HashMap<>();
    view.forEach(
        (service, endpoints) -> {
          if (!ROUTED.contains(service)) {
            return;
          }
          for (Endpoint endpoint : endpoints) {
            seen.add(endpoint.registration());
            UpstreamInstance instance =
                byRegistration.computeIfAbsent(endpoint.registration(), r -> create(endpoint));
            next.computeIfAbsent(service, s -> new ArrayList<>()).add(instance);
          }
        });
    byRegistration
        .entrySet()
        .removeIf(
            e -> {
              if (seen.contains(e.getKey())) {
                return false;
              }
              e.getValue().breaker().close();
              e.getValue().unbindMetrics().run();
              return true;
            });
    next.replaceAll((service, list) -> List.copyOf(list));
    byService = Map.copyOf(next);
  }

  private UpstreamInstance create(Endpoint endpoint) {
    CircuitBreaker breaker =
        CircuitBreaker.create(
            endpoint.service() + "@" + endpoint.authority(),
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(config.breakerMaxFailures())
                .setResetTimeout(config.breakerReset().toMillis())
                // The proxy times requests itself, so it can cancel them.
                .setTimeout(-1)
                .setFailuresRollingWindow(10_000)
                // Breaker state reaches operators through Micrometer; the event-bus notifications
                // (and the per-call latency bookkeeping behind them) would only cost time.
                .setNotificationAddress(null));
    // A breaker opens on the instance's health: what the client spoiled does not count.
    breaker.<Object>failurePolicy(ProxyHandler::countsAgainstInstance);
    Runnable unbindBreaker =
        BreakerMetrics.bind(
            registry,
            breaker,
            Tags.of("service", endpoint.service(), "instance_id", endpoint.instanceId()));
    UpstreamMeters meters = UpstreamMeters.register(registry, endpoint);
    return new UpstreamInstance(
        endpoint,
        breaker,
        meters,
        () -> {
          unbindBreaker.run();
          meters.remove(registry);
        });
  }
}
