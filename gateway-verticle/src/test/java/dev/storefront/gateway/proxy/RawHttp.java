package dev.storefront.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Requests written byte by byte, for what a well-behaved client library refuses to send: control
 * characters in header values, empty header names, two Host headers. HTTP/2 negotiated over TLS
 * (the frames and HPACK by hand, on a blocking socket), and HTTP/1.x as text over TLS. The server's
 * certificate is trusted whatever it is. For tests, run off the event loops.
 */
final class RawHttp {

  /** An answer: its status (-1 for a reset stream), headers with lower-case names, and body. */
  record Answer(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and header lines, CRLF-separated, without the blank line) and
   * an optional body on a connection of its own, and reads the answer until the connection closes
   * or the body announced by Content-Length has come.
   */
  static Answer http1(int port, String head, String body) throws IOException {
    try (Socket socket = tls(port, "http/1.1")) {
      OutputStream out = socket.getOutputStream();
      out.write(
          (head + "\r\n\r\n" + (body == null ? "" : body)).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readHttp1(socket.getInputStream());
    }
  }

  private static Answer readHttp1(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.merge(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; ) {
        body.write(in.readNBytes(size));
        line(in);
        size = Integer.parseInt(line(in).trim(), 16);
      }
    }
    return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-line: " + line);
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** An HTTP/1.1 connection to {@code port}, for a test to write to as it likes. */
  static Socket connect(int port) throws IOException {
    return tls(port, "http/1.1");
  }

  /** A TLS connection to {@code port} that offers {@code protocol} through ALPN. */
  private static Socket tls(int port, String protocol) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, null);
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return socket;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** Trusts the test's self-signed certificate. */
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

  /** One HTTP/2 connection (negotiated over TLS), its requests sent one after another. */
  static final class Http2 implements AutoCloseable {
    private static final int HEADERS = 1;
    private static final int DATA = 0;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int port;
    private final DefaultHttp2HeadersEncoder encoder =
        new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private int nextStream = 1;

    Http2(int port) throws IOException {
      this.port = port;
      socket = tls(port, "h2");
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(SETTINGS, 0, 0, new byte[0]);
    }

    /**
     * Sends {@code method path} with {@code headers} (pairs of name and value, sent as they are)
     * and waits for its answer.
     */
    Answer request(String method, String path, List<String> headers) throws Exception {
      int stream = nextStream;
      nextStream += 2;
      Http2Headers h2 = new DefaultHttp2Headers(false, false, 8);
      h2.method(method).scheme("https").authority("127.0.0.1:" + port).path(path);
      for (int i = 0; i < headers.size(); i += 2) {
        h2.add(headers.get(i), headers.get(i + 1));
      }
      ByteBuf block = Unpooled.buffer();
      encoder.encodeHeaders(stream, h2, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      frame(HEADERS, END_STREAM | END_HEADERS, stream, bytes);
      return answer(stream);
    }

    private Answer answer(int stream) throws IOException, Http2Exception {
      int status = 0;
      Map<String, String> headers = new TreeMap<>();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int id = in.readInt() & 0x7FFFFFFF;
        byte[] payload = in.readNBytes(length);
        switch (type) {
          case SETTINGS -> {
            if ((flags & 0x1) == 0) {
              frame(SETTINGS, 0x1, 0, new byte[0]);
            }
          }
          case PING -> {
            if ((flags & 0x1) == 0) {
              frame(PING, 0x1, 0, payload);
            }
          }
          case GOAWAY -> throw new IOException("the server went away");
          case RST_STREAM -> {
            if (id == stream) {
              return new Answer(-1, headers, "");
            }
          }
          case HEADERS -> {
            // Past the pad length and the priority fields, when the flags say they are there.
            int start = (flags & PADDED) != 0 ? 1 : 0;
            int padding = (flags & PADDED) != 0 ? payload[0] & 0xFF : 0;
            start += (flags & PRIORITY) != 0 ? 5 : 0;
            Http2Headers decoded =
                decoder.decodeHeaders(
                    id, Unpooled.wrappedBuffer(payload, start, payload.length - start - padding));
            if (id == stream) {
              decoded.forEach(
                  e -> {
                    String name = e.getKey().toString();
                    if (!name.startsWith(":")) {
                      headers.merge(name, e.getValue().toString(), (a, b) -> a + ", " + b);
                    }
                  });
              if (decoded.status() != null) {
                status = Integer.parseInt(decoded.status().toString());
              }
              if ((flags & END_STREAM) != 0) {
                return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
              }
            }
          }
          case DATA -> {
            if (length > 0) {
              // Give the window back at once: the answers here are small but many.
              byte[] increment = {
                (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
              };
              frame(WINDOW_UPDATE, 0, 0, increment);
              if ((flags & END_STREAM) == 0) {
                frame(WINDOW_UPDATE, 0, id, increment);
              }
            }
            if (id == stream) {
              int padding = (flags & PADDED) != 0 ? (payload[0] & 0xFF) + 1 : 0;
              body.write(payload, padding == 0 ? 0 : 1, payload.length - padding);
              if ((flags & END_STREAM) != 0) {
                return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
              }
            }
          }
          default -> {
            // WINDOW_UPDATE, PRIORITY and the like: nothing to do for a test.
          }
        }
      }
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
      byte[] head = {
        (byte) (payload.length >>> 16),
        (byte) (payload.length >>> 8),
        (byte) payload.length,
        (byte) type,
        (byte) flags,
        (byte) (stream >>> 24),
        (byte) (stream >>> 16),
        (byte) (stream >>> 8),
        (byte) stream
      };
      out.write(head);
      out.write(payload);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
