package dev.storefront.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The malformed-request and smuggling corpus ({@code security/generate_corpus.py}) against real
 * processes: every HTTP/1.1 case over cleartext and TLS at the gateway and straight at a service
 * port, every HTTP/2 case at the gateway over TLS. Each answer must be a refusal (4xx, or the 501
 * and 505 the RFCs name for an unknown coding and version) as problem+json, or a closed connection
 * or reset stream; no connection may carry a second answer; the canary hidden behind each request
 * must never reach the catalog; no breaker may open; every process stays ready.
 */
class SecurityCorpusIT {

  private static final Duration SILENCE = Duration.ofMillis(1500);

  private static TestStack stack;
  private static final List<ServiceProcess> processes = new ArrayList<>();
  private static int edgePort;
  private static int edgeTlsPort;
  private static int catalogPort;

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStack.start("security");
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    // The limits are lifted so that a smuggled request would be served, not refused, and seen.
    Map<String, String> noLimits = Map.of("RATE_LIMITS", "/api=1000000/1s");
    processes.add(stack.startService("catalog", "catalog-1", Map.of()));
    processes.add(stack.startService("gateway", "gateway-1", noLimits));
    processes.add(
        stack.startService(
            "gateway",
            "gateway-tls",
            Map.of(
                "RATE_LIMITS", "/api=1000000/1s",
                "TLS_CERT_PATH", certificate.certificatePath(),
                "TLS_KEY_PATH", certificate.privateKeyPath())));
    catalogPort = processes.get(0).awaitPort(Duration.ofSeconds(90));
    edgePort = processes.get(1).awaitPort(Duration.ofSeconds(90));
    edgeTlsPort = processes.get(2).awaitPort(Duration.ofSeconds(90));
    for (ServiceProcess process : processes) {
      TestStack.awaitReady(process);
    }
    TestStack.await(
        "both gateways routing to the catalog",
        Duration.ofSeconds(60),
        () -> {
          try {
            return control(false, edgePort).startsWith("HTTP/1.1 200")
                && control(true, edgeTlsPort).startsWith("HTTP/1.1 200");
          } catch (Exception notYet) {
            return false;
          }
        });
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyMalformedRequestIsRefusedAndNothingHiddenBehindOneRuns() throws Exception {
    List<JsonObject> corpus = generate();
    assertThat(corpus).hasSizeGreaterThan(1000);
    double canariesBefore = canaries();

    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    int sent = 0;
    for (JsonObject entry : corpus) {
      if (entry.getString("protocol").equals("h1")) {
        byte[] raw = Base64.getDecoder().decode(entry.getString("raw"));
        for (Target target : Target.values()) {
          pool.submit(() -> judge(failures, entry, target, () -> http1(target, raw)));
          sent++;
        }
      } else {
        pool.submit(() -> judge(failures, entry, Target.EDGE_TLS, () -> http2(entry)));
        sent++;
      }
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();

    assertThat(failures).as("%d requests; answers that were not refusals", sent).isEmpty();
    assertThat(canaries()).as("canary requests that reached the catalog").isEqualTo(canariesBefore);
    JsonArray catalogs = TestStack.instances(edgePort, "catalog");
    assertThat(catalogs.getJsonObject(0).getString("breaker")).isEqualTo("CLOSED");
    for (ServiceProcess gateway : processes.subList(1, 3)) {
      assertThat(management(gateway, "storefront_circuit_breaker_failures")).isZero();
    }
    for (ServiceProcess process : processes) {
      assertThat(process.alive()).as(process.name()).isTrue();
      int management = process.awaitManagementPort(Duration.ofSeconds(1));
      assertThat(TestStack.get(management, "/health/ready").statusCode())
          .as(process.name() + " ready")
          .isEqualTo(200);
    }
    assertThat(control(false, edgePort)).startsWith("HTTP/1.1 200");
    assertThat(control(true, edgeTlsPort)).startsWith("HTTP/1.1 200");

    // The oracle itself: a canary sent in plain sight is counted.
    double beforePlainCanary = canaries();
    assertThat(control(false, edgePort, "/api/categories?canary=control"))
        .startsWith("HTTP/1.1 200");
    TestStack.await(
        "the plain canary counted",
        Duration.ofSeconds(5),
        () -> canaries() == beforePlainCanary + 1);
  }

  private enum Target {
    EDGE,
    EDGE_TLS,
    SERVICE
  }

  @FunctionalInterface
  private interface Exchange {
    String verdict() throws Exception;
  }

  private static void judge(List<String> failures, JsonObject entry, Target target, Exchange run) {
    try {
      String verdict = run.verdict();
      if (verdict != null) {
        failures.add(
            target
                + " "
                + entry.getString("family")
                + " "
                + entry.getString("name")
                + ": "
                + verdict);
      }
    } catch (Exception e) {
      failures.add(target + " " + entry.getString("name") + ": " + e);
    }
  }

  private static List<JsonObject> generate() throws Exception {
    Path root = Path.of(System.getProperty("storefront.root", "..")).toAbsolutePath().normalize();
    Path out = root.resolve("system-tests/target/security-corpus.jsonl");
    Process generator =
        new ProcessBuilder(
                "python3",
                root.resolve("system-tests/security/generate_corpus.py").toString(),
                out.toString())
            .inheritIO()
            .start();
    assertThat(generator.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(generator.exitValue()).isZero();
    List<JsonObject> corpus = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      corpus.add(new JsonObject(line));
    }
    return corpus;
  }

  /** Requests for the canary path the catalog has served. */
  private static double canaries() {
    return management(processes.get(0), "vertx_http_server_requests_total", "/api/categories");
  }

  private static double management(ServiceProcess process, String metric, String... labels) {
    try {
      return TestStack.metric(process.awaitManagementPort(Duration.ofSeconds(1)), metric, labels);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String control(boolean tls, int port) throws Exception {
    return control(tls, port, "/api/categories");
  }

  private static String control(boolean tls, int port, String path) throws Exception {
    try (Socket socket = open(tls, port, "http/1.1")) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return new String(read(socket.getInputStream()).bytes(), StandardCharsets.ISO_8859_1);
    }
  }

  // ---- HTTP/1.1 ----

  private static String http1(Target target, byte[] raw) throws Exception {
    int port =
        switch (target) {
          case EDGE -> edgePort;
          case EDGE_TLS -> edgeTlsPort;
          case SERVICE -> catalogPort;
        };
    try (Socket socket = open(target == Target.EDGE_TLS, port, "http/1.1")) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(raw);
        out.flush();
      } catch (IOException refusedMidway) {
        // The server may refuse and close before the whole request is written.
      }
      Answer answer = read(socket.getInputStream());
      return judgeHttp1(answer);
    }
  }

  /** Null when the answer is a refusal; otherwise what is wrong with it. */
  static String judgeHttp1(Answer answer) {
    String text = new String(answer.bytes(), StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      return answer.closed() ? null : "no answer and the connection left open";
    }
    List<String> heads = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf("\r\n\r\n", at);
      if (end < 0 || !text.startsWith("HTTP/1.", at)) {
        return "unreadable answer: " + first(text.substring(at));
      }
      String head = text.substring(at, end);
      heads.add(head);
      at = end + 4 + contentLength(head);
    }
    if (heads.size() > 1) {
      return heads.size() + " answers on one connection: " + first(heads.get(1));
    }
    String head = heads.get(0);
    int status = Integer.parseInt(head.substring(9, 12));
    if (!refusal(status)) {
      return "status " + status + ": " + first(head);
    }
    if (!head.toLowerCase().contains("content-type: application/problem+json")) {
      return "a " + status + " that is not problem+json";
    }
    return null;
  }

  private static boolean refusal(int status) {
    return (status >= 400 && status < 500) || status == 501 || status == 505;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).strip());
      }
    }
    return 0;
  }

  private static String first(String text) {
    String line = text.split("\r\n", 2)[0];
    return line.length() > 80 ? line.substring(0, 80) : line;
  }

  record Answer(byte[] bytes, boolean closed) {}

  /** What arrives until the server closes, resets, or says nothing for {@link #SILENCE}. */
  private static Answer read(InputStream in) {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.write(buffer, 0, n);
      }
      return new Answer(answer.toByteArray(), true);
    } catch (SocketTimeoutException silent) {
      return new Answer(answer.toByteArray(), false);
    } catch (IOException reset) {
      return new Answer(answer.toByteArray(), true);
    }
  }

  // ---- HTTP/2 over TLS ----

  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;

  private static String http2(JsonObject entry) throws Exception {
    try (SSLSocket socket = (SSLSocket) open(true, edgeTlsPort, "h2")) {
      if (!"h2".equals(socket.getApplicationProtocol())) {
        return "HTTP/2 not negotiated: " + socket.getApplicationProtocol();
      }
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      frame(out, SETTINGS, 0, 0, new byte[0]);
      // One field at a time, in the corpus's order: a header list would put pseudo-headers first.
      DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
      ByteBuf block = Unpooled.buffer();
      for (Object pair : entry.getJsonArray("headers")) {
        JsonArray nameValue = (JsonArray) pair;
        Http2Headers field = new DefaultHttp2Headers(false);
        field.add(nameValue.getString(0), nameValue.getString(1));
        encoder.encodeHeaders(1, field, block);
      }
      byte[] encoded = new byte[block.readableBytes()];
      block.readBytes(encoded);
      String data = entry.getString("data");
      // END_HEADERS, and END_STREAM when no DATA follows.
      frame(out, HEADERS, data == null ? 0x5 : 0x4, 1, encoded);
      if (data != null) {
        frame(out, DATA, 0x1, 1, data.getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      return judgeHttp2(new DataInputStream(socket.getInputStream()), out);
    }
  }

  private static String judgeHttp2(DataInputStream in, OutputStream out) throws Exception {
    Http2Headers response = null;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    try {
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & 0x1) == 0) {
          frame(out, SETTINGS, 0x1, 0, new byte[0]);
        } else if (type == GOAWAY || (type == RST_STREAM && stream == 1)) {
          return response == null ? null : judgeHttp2Answer(response, body);
        } else if (type == HEADERS && stream == 1) {
          response = decoder.decodeHeaders(1, headerBlock(flags, payload));
          if ((flags & 0x1) != 0) {
            return judgeHttp2Answer(response, body);
          }
        } else if (type == DATA && stream == 1) {
          body.write(payload);
          if ((flags & 0x1) != 0) {
            return judgeHttp2Answer(response, body);
          }
        }
      }
    } catch (IOException closedResetOrSilent) {
      return response == null ? null : judgeHttp2Answer(response, body);
    }
  }

  /** A HEADERS frame's payload without its padding and priority fields (RFC 9113 §6.2). */
  private static ByteBuf headerBlock(int flags, byte[] payload) {
    int from = 0;
    int to = payload.length;
    if ((flags & 0x8) != 0) {
      from = 1;
      to -= payload[0] & 0xff;
    }
    if ((flags & 0x20) != 0) {
      from += 5;
    }
    return Unpooled.wrappedBuffer(payload, from, to - from);
  }

  private static String judgeHttp2Answer(Http2Headers response, ByteArrayOutputStream body) {
    if (response == null || response.status() == null) {
      return "data without a status";
    }
    int status = Integer.parseInt(response.status().toString());
    if (!refusal(status)) {
      return "status " + status;
    }
    CharSequence type = response.get("content-type");
    if (type == null || !type.toString().equals("application/problem+json")) {
      return "a " + status + " that is not problem+json";
    }
    return null;
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    out.write(
        new byte[] {
          (byte) (payload.length >> 16),
          (byte) (payload.length >> 8),
          (byte) payload.length,
          (byte) type,
          (byte) flags,
          (byte) (stream >> 24),
          (byte) (stream >> 16),
          (byte) (stream >> 8),
          (byte) stream
        });
    out.write(payload);
  }

  // ---- connections ----

  private static Socket open(boolean tls, int port, String protocol) throws Exception {
    Socket socket;
    if (tls) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, null);
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {protocol});
      ssl.setSSLParameters(parameters);
      ssl.startHandshake();
      socket = ssl;
    } else {
      socket = new Socket("127.0.0.1", port);
    }
    socket.setSoTimeout((int) SILENCE.toMillis());
    return socket;
  }

  /** Trusts the stack's self-signed certificate. */
  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
