package dev.storefront.common.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTransportTest {

  private static Env env(String value) {
    return Env.of(Map.of(NetworkTransport.VARIABLE, value));
  }

  @Test
  void autoIsTheDefaultAndTakesTheFirstTransportThatLoads() {
    NetworkTransport chosen = NetworkTransport.choose(Env.of(Map.of()));

    // The build runs on Linux x86_64, where both native transports ship; io_uring is taken
    // wherever the kernel lets it load, and epoll is what is left where it does not.
    Transport expected = Transport.IO_URING.available() ? Transport.IO_URING : Transport.EPOLL;
    assertThat(chosen.transport()).isSameAs(expected);
    assertThat(chosen.transport().available()).isTrue();
  }

  @Test
  void aTransportPassedOverIsNamedWithItsCauseInTheReason() {
    NetworkTransport chosen = NetworkTransport.firstAvailable(List.of("io_uring", "epoll", "nio"));

    if (chosen.transport() == Transport.IO_URING) {
      assertThat(chosen.reason()).isEqualTo("the preferred one");
    } else {
      assertThat(chosen.reason()).startsWith("io_uring unavailable: ");
    }
  }

  @Test
  void epollCanBeRequiredOnLinux() {
    NetworkTransport chosen = NetworkTransport.choose(env("epoll"));

    assertThat(chosen.transport()).isSameAs(Transport.EPOLL);
    assertThat(chosen.name()).isEqualTo("epoll");
    assertThat(chosen.reason()).isEqualTo("STOREFRONT_TRANSPORT=epoll");
  }

  @Test
  void ioUringRequiredStartsOnItOrSaysWhyNot() {
    if (Transport.IO_URING.available()) {
      assertThat(NetworkTransport.choose(env("io_uring")).transport()).isSameAs(Transport.IO_URING);
    } else {
      assertThatThrownBy(() -> NetworkTransport.choose(env("io_uring")))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("STOREFRONT_TRANSPORT=io_uring but it cannot load");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "NIO", " nio "})
  void nioRulesTheNativeTransportsOut(String value) {
    assertThat(NetworkTransport.choose(env(value)).transport()).isSameAs(Transport.NIO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"native", "true", "kqueue", "uring"})
  void anUnknownTransportStopsTheLaunch(String value) {
    assertThatThrownBy(() -> NetworkTransport.choose(env(value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STOREFRONT_TRANSPORT must be auto, io_uring, epoll or nio");
  }

  /**
   * Whichever transport a process may end up on carries HTTP both ways: a request with a body that
   * spans several reads, answered over a kept-alive connection, twice.
   */
  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyLoadableTransportCarriesHttp(String name) {
    Transport transport = NetworkTransport.byName(name);
    assumeTrue(transport != null && transport.available(), () -> name + " cannot load here");
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(transport != Transport.NIO);
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request
                          .body()
                          .onSuccess(
                              body ->
                                  request
                                      .response()
                                      .end(body.length() + ":" + body.getString(0, 8))))
              .listen(0, "127.0.0.1")
              .await();
      HttpClientAgent client = vertx.createHttpClient();
      Buffer body = Buffer.buffer("a".repeat(300_000));
      for (int round = 0; round < 2; round++) {
        String answer =
            client
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI("/echo"))
                .compose(request -> request.send(body).compose(response -> response.body()))
                .await()
                .toString();
        assertThat(answer).isEqualTo("300000:aaaaaaaa");
      }
    } finally {
      vertx.close().await();
    }
  }
}
