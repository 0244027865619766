package dev.storefront.common.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-request HTTP server meters of vertx-micrometer (same names, labels and descriptions:
 * {@code vertx_http_server_requests_total}, {@code _response_time_seconds}, {@code
 * _response_bytes}, {@code _request_bytes}, {@code _request_resets_total}, {@code
 * _active_requests}), with each meter looked up once per label set and then held.
 *
 * <p>vertx-micrometer builds the tags of a request anew and looks each meter up by them, four times
 * a request; at tens of thousands of requests a second that was about 3% of the gateway's CPU. Here
 * a request costs one look-up by method and one by (method, route, status).
 *
 * <p>A request is in flight ({@code _active_requests}) from its head until its response ends or it
 * is reset. vertx-micrometer also waited for the request's own end, which a handler that answers
 * without reading the request never sees delivered: the gateway's gauge grew by one for every
 * proxied GET (480,000 after one benchmark).
 *
 * <p>Connections, bytes and websockets stay with vertx-micrometer's metrics ({@code connections}).
 * Only the labels the project uses are built here (method, route, status); under other labels or a
 * custom tags provider, {@link #supports} says no and vertx-micrometer's metrics serve unchanged.
 */
final class HttpServerMeters
    implements HttpServerMetrics<HttpServerMeters.Exchange, Object, Object> {

  /** Labels vertx-micrometer puts on request meters that are not built here. */
  private static final Set<Label> UNSUPPORTED_LABELS =
      EnumSet.of(Label.LOCAL, Label.REMOTE, Label.HTTP_PATH);

  /**
   * Methods metered under their own name. Vert.x accepts any token as a method; any other is
   * metered as {@value #OTHER_METHOD}, so that made-up methods cannot add time series without end.
   */
  private static final Set<HttpMethod> NAMED_METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.PATCH,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.CONNECT);

  static final String OTHER_METHOD = "OTHER";

  /**
   * The in-flight counts by registry and method. A gauge holds the one object it was registered
   * with, so every server of a process (one per event loop) must count into the same adder.
   */
  private static final Map<MeterRegistry, ConcurrentMap<String, LongAdder>> IN_FLIGHT =
      new WeakHashMap<>();

  private final HttpServerMetrics<Object, Object, Object> connections;
  private final MeterRegistry registry;
  private final Clock clock;
  private final MetricsNaming names;
  private final boolean byMethod;
  private final boolean byRoute;
  private final boolean byCode;
  private final ConcurrentMap<String, RequestMeters> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<ResponseKey, ResponseMeters> responses = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> inFlight;

  @SuppressWarnings("unchecked")
  HttpServerMeters(
      HttpServerMetrics<?, ?, ?> connections,
      MeterRegistry registry,
      MicrometerMetricsOptions options) {
    this.connections = (HttpServerMetrics<Object, Object, Object>) connections;
    this.registry = registry;
    this.clock = registry.config().clock();
    this.names =
        options
            .getMetricsNaming()
            .withBaseName("vertx." + MetricsDomain.HTTP_SERVER.toCategory() + ".");
    Set<Label> labels = options.getLabels();
    this.byMethod = labels.contains(Label.HTTP_METHOD);
    this.byRoute = labels.contains(Label.HTTP_ROUTE);
    this.byCode = labels.contains(Label.HTTP_CODE);
    synchronized (IN_FLIGHT) {
      this.inFlight = IN_FLIGHT.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
  }

  /** Whether these meters can stand in for vertx-micrometer's under {@code options}. */
  static boolean supports(MicrometerMetricsOptions options) {
    return options.getLabels().stream().noneMatch(UNSUPPORTED_LABELS::contains)
        && options.getServerRequestTagsProvider() == null;
  }

  @Override
  public Exchange requestBegin(Object socketMetric, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Exchange responsePushed(
      Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private Exchange begin(HttpMethod method) {
    String label = !byMethod ? "" : NAMED_METHODS.contains(method) ? method.name() : OTHER_METHOD;
    RequestMeters meters = requests.get(label);
    if (meters == null) {
      meters = requests.computeIfAbsent(label, this::requestMeters);
    }
    meters.inFlight.increment();
    return new Exchange(meters, label, clock.monotonicTime());
  }

  @Override
  public void requestRouted(Exchange exchange, String route) {
    exchange.addRoute(route);
  }

  @Override
  public void requestEnd(Exchange exchange, HttpRequest request, long bytesRead) {
    exchange.meters.requestBytes.record(bytesRead);
  }

  @Override
  public void requestReset(Exchange exchange) {
    exchange.meters.resets.increment();
    exchange.finish();
  }

  @Override
  public void responseEnd(Exchange exchange, HttpResponse response, long bytesWritten) {
    ResponseKey key = new ResponseKey(exchange.method, exchange.route(), response.statusCode());
    ResponseMeters meters = responses.get(key);
    if (meters == null) {
      meters = responses.computeIfAbsent(key, this::responseMeters);
    }
    meters.count.increment();
    meters.time.record(clock.monotonicTime() - exchange.start, TimeUnit.NANOSECONDS);
    meters.bytes.record(bytesWritten);
    exchange.finish();
  }

  private RequestMeters requestMeters(String method) {
    Tags tags = byMethod ? Tags.of(Label.HTTP_METHOD.toString(), method) : Tags.empty();
    LongAdder active = inFlight.computeIfAbsent(method, m -> new LongAdder());
    Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
        .description("Number of requests being processed")
        .tags(tags)
        .register(registry);
    return new RequestMeters(
        active,
        DistributionSummary.builder(names.getHttpRequestBytes())
            .description("Size of requests in bytes")
            .tags(tags)
            .register(registry),
        Counter.builder(names.getHttpRequestResetsCount())
            .description("Number of request resets")
            .tags(tags)
            .register(registry));
  }

  private ResponseMeters responseMeters(ResponseKey key) {
    Tags tags = Tags.empty();
    if (byMethod) {
      tags = tags.and(Label.HTTP_METHOD.toString(), key.method());
    }
    if (byRoute) {
      tags = tags.and(Label.HTTP_ROUTE.toString(), key.route());
    }
    if (byCode) {
      tags = tags.and(Label.HTTP_CODE.toString(), Integer.toString(key.code()));
    }
    return new ResponseMeters(
        Counter.builder(names.getHttpRequestsCount())
            .description("Number of processed requests")
            .tags(tags)
            .register(registry),
        Timer.builder(names.getHttpResponseTime())
            .description("Request processing time")
            .tags(tags)
            .register(registry),
        DistributionSummary.builder(names.getHttpResponseBytes())
            .description("Size of responses in bytes")
            .tags(tags)
            .register(registry));
  }

  // Connections, bytes and websockets: vertx-micrometer's own.

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return connections.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
    connections.disconnected(socketMetric, remoteAddress);
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesRead(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
    connections.exceptionOccurred(socketMetric, remoteAddress, t);
  }

  @Override
  public Object connected(Object socketMetric, Exchange exchange, ServerWebSocket serverWebSocket) {
    // vertx-micrometer's websocket gauge reads only the connection's metric.
    return connections.connected(socketMetric, null, serverWebSocket);
  }

  @Override
  public void disconnected(Object webSocketMetric) {
    connections.disconnected(webSocketMetric);
  }

  @Override
  public void close() {
    connections.close();
  }

  private record RequestMeters(
      LongAdder inFlight, DistributionSummary requestBytes, Counter resets) {}

  private record ResponseMeters(Counter count, Timer time, DistributionSummary bytes) {}

  private record ResponseKey(String method, String route, int code) {}

  /** One request, from its head to the end of its response (or its reset). */
  static final class Exchange {

    private final RequestMeters meters;
    private final String method;
    private final long start;
    // The routes a router reports, joined with '>' as vertx-micrometer does ("" when none).
    private String route = "";
    private boolean finished;

    private Exchange(RequestMeters meters, String method, long start) {
      this.meters = meters;
      this.method = method;
      this.start = start;
    }

    void addRoute(String next) {
      if (next != null) {
        route = route.isEmpty() ? next : route + '>' + next;
      }
    }

    String route() {
      return route;
    }

    /** Out of flight, once: a reset may follow the end of the response, or come instead. */
    void finish() {
      if (!finished) {
        finished = true;
        meters.inFlight.decrement();
      }
    }
  }
}
