import dev.storefront.common.config.Env;
import dev.storefront.common.launch.NetworkTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * The floor under the gateway hop, for bench/edge-hop.sh: a reverse proxy on the same Vert.x and
 * Netty as the gateway (the same network transport, one verticle per core, a keep-alive pool per
 * event loop) that does nothing but forward, with no routing, validation, authentication, rate
 * limit, breaker or metrics. What separates it from nginx is the runtime; what separates the
 * gateway from it is the gateway's own work.
 *
 * <p>Run with the gateway's jar on the class path (Java runs a single source file directly):
 * {@code java -cp gateway-verticle/target/gateway-verticle.jar bench/BareProxy.java PORT
 * TARGET_PORT}
 */
public class BareProxy extends VerticleBase {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "host");

  private final int port;
  private final int targetPort;
  private HttpClient client;

  BareProxy(int port, int targetPort) {
    this.port = port;
    this.targetPort = targetPort;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int targetPort = Integer.parseInt(args[1]);
    int loops = Runtime.getRuntime().availableProcessors();
    // The transport the gateway would choose here, from the same STOREFRONT_TRANSPORT.
    NetworkTransport transport = NetworkTransport.choose(Env.system());
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(loops))
            .withTransport(transport.transport())
            .build();
    vertx
        .deployVerticle(() -> new BareProxy(port, targetPort), new DeploymentOptions().setInstances(loops))
        .onSuccess(
            id ->
                System.out.printf(
                    "bare proxy on 127.0.0.1:%d -> 127.0.0.1:%d (%s transport)%n",
                    port, targetPort, transport.name()))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(64));
    return vertx
        .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(this::forward)
        .listen(port, "127.0.0.1");
  }

  private void forward(HttpServerRequest request) {
    request.pause();
    RequestOptions options =
        new RequestOptions()
            .setHost("127.0.0.1")
            .setPort(targetPort)
            .setMethod(request.method())
            .setURI(request.uri())
            .setHeaders(endToEnd(request.headers()));
    client
        .request(options)
        .compose(
            outbound -> {
              request.resume();
              return outbound
                  .send(request)
                  .compose(
                      response -> {
                        var answer = request.response().setStatusCode(response.statusCode());
                        answer.headers().setAll(endToEnd(response.headers()));
                        if (!answer.headers().contains("content-length")) {
                          answer.setChunked(true);
                        }
                        return response.pipeTo(answer);
                      });
            })
        .onFailure(
            e -> {
              if (!request.response().headWritten()) {
                request.response().setStatusCode(502).end();
              } else {
                request.response().reset();
              }
            });
  }

  private static MultiMap endToEnd(MultiMap headers) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(
        (name, value) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase())) {
            copy.add(name, value);
          }
        });
    return copy;
  }
}
