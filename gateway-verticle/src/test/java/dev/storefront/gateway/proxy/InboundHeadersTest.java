package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.HttpUtils;
import org.junit.jupiter.api.Test;

class InboundHeadersTest {

  /**
   * What the edge lets through, the connection to the service can carry: Vert.x's client refuses to
   * send exactly the header values and names the edge refuses, so no request can fail there.
   */
  @Test
  void refusesExactlyWhatTheUpstreamConnectionCouldNotCarry() {
    for (char c = 0; c < 256; c++) {
      String value = "a" + c + "b";
      if (InboundHeaders.hasControl(value)) {
        assertThatThrownBy(() -> HttpUtils.validateHeaderValue(value))
            .as("value with %d", (int) c)
            .isInstanceOf(IllegalArgumentException.class);
      } else {
        assertThatCode(() -> HttpUtils.validateHeaderValue(value))
            .as("value with %d", (int) c)
            .doesNotThrowAnyException();
      }
      String name = "X-" + c;
      if (InboundHeaders.isToken(name)) {
        assertThatCode(() -> HttpUtils.validateHeaderName(name))
            .as("name with %d", (int) c)
            .doesNotThrowAnyException();
      }
    }
    assertThat(InboundHeaders.hasControl("tab\tinside")).isFalse();
    assertThat(InboundHeaders.hasControl("del\u007f")).isTrue();
    assertThat(InboundHeaders.isToken("")).isFalse();
    assertThat(InboundHeaders.isToken("X Foo")).isFalse();
    assertThat(InboundHeaders.isToken("X:Foo")).isFalse();
    assertThat(InboundHeaders.isToken("X-Foo_1.2~")).isTrue();
  }

  @Test
  void dropsWhatConnectionNamesButTheHeadersThatFramedTheRequest() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "keep-alive, X-Storefront-Identity")
            .add("Connection", " x-custom ,Content-Length, Transfer-Encoding, Host")
            .add("X-Storefront-Identity", "forged")
            .add("X-Custom", "1")
            .add("Content-Length", "2")
            .add("Host", "shop.example")
            .add("X-Kept", "yes");
    InboundHeaders.dropConnectionScoped(headers);
    assertThat(headers.names())
        .containsExactlyInAnyOrder("Connection", "Content-Length", "Host", "X-Kept");
  }
}
