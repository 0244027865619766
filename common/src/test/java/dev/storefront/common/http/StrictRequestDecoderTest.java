package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Raw bytes against a server reading HTTP/1 through {@link StrictRequestDecoder}: every ambiguous
 * framing is refused with problem+json and a closed connection, and the request hidden behind it
 * never runs; framing that is merely unusual but exact still works.
 */
class StrictRequestDecoderTest {

  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

  private static Vertx vertx;
  private static HttpServer server;
  private static final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    server =
        StrictRequestDecoder.createServer(vertx, options, Duration.ofMillis(600))
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              seen.add(request.path());
                              request.response().end("got " + body.length());
                            }))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CL and TE|POST /a HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
        "TE not ending in chunked|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n0\\r\\n\\r\\n|400",
        "chunked twice|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
        "unknown coding with CL|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: foo\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n|501",
        "gzip before chunked|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n|501",
        "HTTP/1.0 with TE|POST /a HTTP/1.0\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|400",
        "chunk size past 63 bits|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1000000000000003c\\r\\n|400",
        "chunk size not hex|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3g\\r\\n|400",
        "chunk line ended by a bare LF|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\nabc\\r\\n0\\r\\n\\r\\n|400",
        "chunk data longer than its size|POST /a HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabcd\\r\\n0\\r\\n\\r\\n|400",
        "HTTP/1.2|GET /a HTTP/1.2\\r\\nHost: x\\r\\n\\r\\n|505",
        "HTTP/2.0 as text|GET /a HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n|505",
        "no Host|GET /a HTTP/1.1\\r\\n\\r\\n|400",
        "two Hosts|GET /a HTTP/1.1\\r\\nHost: x\\r\\nHost: y\\r\\n\\r\\n|400",
        "malformed Host|GET /a HTTP/1.1\\r\\nHost: a/b@c\\r\\n\\r\\n|400",
        "folded header line|POST /a HTTP/1.1\\r\\nHost: x\\r\\nX: y\\r\\n Transfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\nabc|400",
        "bare LF in the head|GET /a HTTP/1.1\\nHost: x\\n\\n|400",
        "space before the colon|GET /a HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n|400",
        "two spaces in the request line|GET  /a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "tab in the request line|GET\\t/a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "lower-case version|GET /a http/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "another protocol|GET /a FOO/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "a target without a slash|GET a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "asterisk for a GET|GET * HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|400",
        "empty header name|GET /a HTTP/1.1\\r\\nHost: x\\r\\n: y\\r\\n\\r\\n|400",
      })
  void ambiguousFramingIsRefusedAndNothingBehindItRuns(String name, String head, int status)
      throws Exception {
    String request = unescape(head);
    Exchange exchange = send(request + SMUGGLED);

    assertThat(exchange.head()).as(name).matches("(?s)HTTP/1\\.[01] " + status + " .*");
    assertThat(exchange.header("content-type")).isEqualTo("application/problem+json");
    assertThat(exchange.header("connection")).isEqualTo("close");
    assertThat(exchange.json().getInteger("status")).isEqualTo(status);
    assertThat(exchange.closed()).as("connection closed").isTrue();
    assertThat(seen).as("requests that ran").isEmpty();
  }

  @Test
  void exactChunkedFramingWithExtensionsAndTrailersWorksAndTheNextRequestRuns() throws Exception {
    String chunked =
        "POST /chunked HTTP/1.1\r\nHost: shop.example:8080\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "00003;name=value\r\nabc\r\n"
            + "2\r\nde\r\n"
            + "0\r\nX-Checksum: 1\r\n\r\n";
    Exchange exchange =
        send(chunked + "GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(exchange.text()).contains("got 5");
    assertThat(seen).containsExactly("/chunked", "/next");
  }

  @Test
  void aBodyArrivingByteByByteIsReadExactly() throws Exception {
    String request =
        "POST /slow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "a\r\n0123456789\r\n0\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
        out.write(b);
        out.flush();
      }
      String answer = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("got 10");
    }
    assertThat(seen).containsExactly("/slow");
  }

  @Test
  void aChunkSizeOutOfRangeArrivingAfterTheHeadClosesTheConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /late HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "3\r\nabc\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(200);
      out.write(
          ("1000000000000003c\r\n" + "x".repeat(60) + "\r\n0\r\n\r\n" + SMUGGLED)
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] answer = readAll(socket.getInputStream());
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("200");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aHeadThatTricklesInPastTheLimitIs408() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      out.write("GET /slowloris HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      for (int i = 0; i < 4; i++) {
        Thread.sleep(250);
        try {
          out.write(("X-Line-" + i + ": y\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException closed) {
          break;
        }
      }
      Exchange exchange = Exchange.parse(readAll(socket.getInputStream()), true);
      assertThat(exchange.status()).isEqualTo(408);
      assertThat(exchange.json().getString("detail")).contains("600 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void anIdleKeepAliveConnectionIsNotCutByTheHeadLimit() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /one HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(1_200);
      out.write(
          "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      readAll(socket.getInputStream());
    }
    assertThat(seen).containsExactly("/one", "/two");
  }

  private static String unescape(String text) {
    return text.replace("\\r", "\r").replace("\\n", "\n");
  }

  private static Exchange send(String raw) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      boolean closed = readInto(socket.getInputStream(), answer);
      return Exchange.parse(answer.toByteArray(), closed);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    readInto(in, answer);
    return answer.toByteArray();
  }

  /** Reads until the server closes (true) or stays silent for the socket's timeout (false). */
  private static boolean readInto(InputStream in, ByteArrayOutputStream answer) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.write(buffer, 0, n);
      }
      return true;
    } catch (SocketTimeoutException silent) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private record Exchange(String head, String body, boolean closed) {

    static Exchange parse(byte[] bytes, boolean closed) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("a response in: " + text).isPositive();
      return new Exchange(text.substring(0, end), text.substring(end + 4), closed);
    }

    int status() {
      return Integer.parseInt(head.split(" ")[1]);
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    String text() {
      return head + "\r\n\r\n" + body;
    }
  }
}
