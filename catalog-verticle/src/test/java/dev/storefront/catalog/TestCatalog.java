package dev.storefront.catalog;

import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.ThrowawayDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A catalog service as the stack runs it (the real verticle, its migrations, its HTTP servers on
 * two event loops) against a throwaway database, with a client that can speak as an admin, a
 * customer or nobody. The gateway's internal token key is a fresh pair; the service gets its public
 * half the way production does, through INTERNAL_TOKEN_PUBLIC_KEY_PEM.
 */
final class TestCatalog {

  static final Caller ADMIN = new Caller("admin-1", "boss@example.com", Set.of("admin"));
  static final Caller CUSTOMER = new Caller("cust-1", "alice@example.com", Set.of("customer"));

  final Vertx vertx;
  final CatalogVerticle verticle;
  final SimpleMeterRegistry meters;
  final WebClient client;
  final InternalTokens.Issuer issuer;
  final int port;
  private final String deploymentId;

  private TestCatalog(
      Vertx vertx,
      String deploymentId,
      CatalogVerticle verticle,
      SimpleMeterRegistry meters,
      InternalTokens.Issuer issuer) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.verticle = verticle;
    this.meters = meters;
    this.issuer = issuer;
    this.port = verticle.port();
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  /** The environment a catalog process on {@code db} gets, keyed to {@code key}. */
  static Map<String, String> env(ThrowawayDatabase db, EcKeys.SigningKey key) {
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "2");
    env.put("PG_POOL_SIZE", "8");
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    // Nothing listens there: the test must not talk to the broker of a local stack. Tests of the
    // order events consumer turn it on with a broker of their own.
    env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
    env.put("CATALOG_ORDER_EVENTS", "false");
    return env;
  }

  static TestCatalog start(Vertx vertx, Map<String, String> env, EcKeys.SigningKey key) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CatalogVerticle verticle =
        new CatalogVerticle(dev.storefront.common.config.Env.of(env), meters);
    String id = await(vertx.deployVerticle(verticle));
    return new TestCatalog(vertx, id, verticle, meters, new InternalTokens.Issuer(vertx, key));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** Runs SQL as the database administrator, for fixtures the API cannot make. */
  static void sql(ThrowawayDatabase db, String... statements) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO catalog");
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long queryLong(ThrowawayDatabase db, String query) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO catalog");
      var rs = s.executeQuery(query);
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpRequest<Buffer> request(HttpMethod method, String path, Caller caller) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    if (caller != null) {
      request.putHeader(InternalTokens.HEADER, issuer.issue(caller));
    }
    return request;
  }

  HttpResponse<Buffer> get(String path) {
    return await(request(HttpMethod.GET, path, null).send());
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, Caller caller, JsonObject body) {
    HttpRequest<Buffer> request = request(method, path, caller);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  Future<HttpResponse<Buffer>> sendAsync(
      HttpMethod method, String path, Caller caller, JsonObject body) {
    HttpRequest<Buffer> request = request(method, path, caller);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  void stop() {
    client.close();
    await(vertx.undeploy(deploymentId));
  }
}
