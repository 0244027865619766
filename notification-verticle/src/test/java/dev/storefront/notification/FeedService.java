package dev.storefront.notification;

import dev.storefront.common.config.Env;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** One deployed notification verticle with its own meters, as a test uses it. */
public final class FeedService {

  private final Vertx vertx;
  private final String deploymentId;
  private final int port;
  private final int managementPort;
  private final SimpleMeterRegistry registry;
  private final Env env;

  private FeedService(
      Vertx vertx,
      String deploymentId,
      int port,
      int managementPort,
      SimpleMeterRegistry registry,
      Env env) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.port = port;
    this.managementPort = managementPort;
    this.registry = registry;
    this.env = env;
  }

  /**
   * The environment of a service on {@code db} that trusts identity tokens signed with {@code key},
   * on two event loops, with no broker: the read side does not need one.
   */
  public static Env env(ThrowawayDatabase db, EcKeys.SigningKey key, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "2");
    env.put("PG_POOL_SIZE", "8");
    // A port nothing listens on: the consumer keeps trying; the read side does not care.
    env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort());
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    env.putAll(extra);
    return Env.of(env);
  }

  public static FeedService deploy(Vertx vertx, Env env) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NotificationVerticle verticle = new NotificationVerticle(env, registry);
    String id = FeedCalls.await(vertx.deployVerticle(verticle));
    return new FeedService(vertx, id, verticle.port(), verticle.managementPort(), registry, env);
  }

  public int port() {
    return port;
  }

  /** Health and metrics. */
  public int managementPort() {
    return managementPort;
  }

  public Env env() {
    return env;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String deploymentId() {
    return deploymentId;
  }

  /** {@code storefront_notification_streams_open}. */
  public int openStreams() {
    Gauge gauge = registry.find("storefront_notification_streams_open").gauge();
    return gauge == null ? 0 : (int) gauge.value();
  }

  /** {@code storefront_notification_stream_events}. */
  public long streamedEvents() {
    Counter counter = registry.find("storefront_notification_stream_events").counter();
    return counter == null ? 0 : (long) counter.count();
  }

  /** Waits up to {@code millis} for {@link #openStreams()} to reach {@code expected}. */
  public void awaitOpenStreams(int expected, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (openStreams() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (openStreams() != expected) {
      throw new AssertionError("open streams: " + openStreams() + ", expected " + expected);
    }
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
