package dev.storefront.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.http.ServiceRouter;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A burst larger than the database pool and its wait queue, on the real PostgreSQL: the requests
 * the pool cannot queue are refused at once with 503 and Retry-After, the others are served, and
 * nothing is answered 500.
 */
class PoolBusyIT {

  /** One connection and {@code 64} waiters (Database sizes the queue at 64 per connection). */
  private static final int POOL_SIZE = 1;

  private static final int BURST = 100;

  private static ThrowawayDatabase database;
  private static Vertx vertx;
  private static Pool pool;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    database = ThrowawayDatabase.create("pool_busy_it");
    vertx = Vertx.vertx();
    pool =
        Database.pool(
            vertx,
            new DatabaseConfig(
                database.host(),
                database.port(),
                database.name(),
                "order",
                "",
                "orders",
                POOL_SIZE),
            1);
    Router router = ServiceRouter.create(vertx);
    // Long enough that the burst arrives while the first query still holds the connection.
    router
        .get("/slow")
        .respond(rc -> pool.query("SELECT pg_sleep(0.05)").execute().map(rows -> "served"));
    ServiceRouter.complete(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      database.close();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void whatThePoolCannotQueueIsA503WithRetryAfterAndTheRestIsServed() {
    HttpClientAgent client =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(BURST));
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      answers.add(
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost("127.0.0.1")
                      .setPort(server.actualPort())
                      .setURI("/slow"))
              .compose(
                  request ->
                      request
                          .send()
                          .compose(
                              response ->
                                  response
                                      .body()
                                      .map(
                                          body ->
                                              response.statusCode()
                                                  + " "
                                                  + response.getHeader("Retry-After")))));
    }
    Future.join(answers).await();

    List<String> outcomes = answers.stream().map(Future::result).toList();
    assertThat(outcomes).allMatch(o -> o.equals("200 null") || o.equals("503 1"), "200 or 503");
    // At most one running and 64 waiting at any moment: some of 100 found the queue full, and
    // every query the pool took was answered.
    assertThat(outcomes).contains("503 1");
    assertThat(outcomes.stream().filter("200 null"::equals).count())
        .isGreaterThanOrEqualTo(POOL_SIZE + 64);
  }
}
