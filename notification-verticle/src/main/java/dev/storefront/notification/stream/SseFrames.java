package dev.storefront.notification.stream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Server-sent event framing (the WHATWG {@code text/event-stream} format). A field value must not
 * contain a line break, since CR, LF and CRLF all end a line; data spanning lines is sent as one
 * {@code data:} line per line, which the client joins back with LF.
 */
public final class SseFrames {

  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private SseFrames() {}

  /** {@code retry: <millis>}: how long a client waits before reconnecting after a drop. */
  public static Buffer retry(long millis) {
    return utf8("retry: " + millis + "\n\n");
  }

  /** A comment line, which clients ignore; it keeps connections and proxies from going idle. */
  public static Buffer comment(String text) {
    requireSingleLine("comment", text);
    return utf8(": " + text + "\n\n");
  }

  /** One event: {@code id}, {@code event} name and {@code data}, then the blank line ending it. */
  public static Buffer event(long id, String event, String data) {
    requireSingleLine("event", event);
    StringBuilder frame = new StringBuilder(data.length() + 48);
    frame.append("id: ").append(id).append('\n');
    frame.append("event: ").append(event).append('\n');
    for (String line : LINE_BREAK.split(data, -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    frame.append('\n');
    return utf8(frame.toString());
  }

  private static void requireSingleLine(String field, String value) {
    if (LINE_BREAK.matcher(value).find()) {
      throw new IllegalArgumentException("an SSE " + field + " cannot span lines");
    }
  }

  private static Buffer utf8(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }
}
