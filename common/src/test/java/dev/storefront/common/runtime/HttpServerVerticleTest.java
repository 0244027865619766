package dev.storefront.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A server that is stopping tells its callers to take their next request elsewhere. */
@ExtendWith(VertxExtension.class)
class HttpServerVerticleTest {

  @Test
  void answersWhileWithdrawingCloseTheConnectionAndTheDrainIsQuick(
      Vertx vertx, VertxTestContext ctx) {
    Promise<Void> withdrawing = Promise.promise();
    Promise<Void> withdrawn = Promise.promise();
    HttpServerVerticle verticle =
        new HttpServerVerticle(
            v -> {
              Router router = Router.router(v);
              router.get("/ok").handler(rc -> rc.end("ok"));
              return router;
            },
            new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(false),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            () -> {
              withdrawing.tryComplete();
              return withdrawn.future();
            });
    HttpClient client = vertx.createHttpClient();
    vertx
        .deployVerticle(verticle, new DeploymentOptions())
        .compose(
            id -> {
              int port = verticle.actualPort();
              Future<HttpClientResponse> before = get(client, port);
              return before.compose(
                  first -> {
                    Future<String> undeployed = vertx.undeploy(id).map(v -> "stopped");
                    long stopping = System.nanoTime();
                    return withdrawing
                        .future()
                        .compose(w -> get(client, port))
                        .onComplete(ar -> withdrawn.tryComplete())
                        .compose(
                            during ->
                                undeployed.map(
                                    s -> {
                                      long millis = (System.nanoTime() - stopping) / 1_000_000;
                                      ctx.verify(
                                          () -> {
                                            assertThat(first.getHeader("Connection")).isNull();
                                            assertThat(during.statusCode()).isEqualTo(200);
                                            assertThat(during.getHeader("Connection"))
                                                .isEqualTo("close");
                                            // Idle keep-alive connections close at once.
                                            assertThat(millis).isLessThan(2_000);
                                          });
                                      return s;
                                    }));
                  });
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<HttpClientResponse> get(HttpClient client, int port) {
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", "/ok")
        .compose(request -> request.send())
        .compose(response -> response.body().map(b -> response));
  }
}
