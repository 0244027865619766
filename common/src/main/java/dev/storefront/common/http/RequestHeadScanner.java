package dev.storefront.common.http;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of a request head as they arrive, checked for what the decoder smooths over: a request
 * line not of the exact form {@code method SP target SP HTTP/d.d}, a line ended by a bare LF, a CR
 * inside a line, a header line folded onto the one before it (obs-fold, RFC 9112 §5.2) or with an
 * empty name. Different parsers repair these differently, which is how a request hides in another,
 * so each is refused. It also counts the Host lines, which the decoder would merge.
 *
 * <p>One pass over the head: it runs on every request of every server.
 */
final class RequestHeadScanner {

  private static final byte[] HOST = {'h', 'o', 's', 't', ':'};
  private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', 0, '.', 0};
  private static final int CHUNK = 16_384;

  private enum Part {
    BEFORE,
    METHOD,
    TARGET,
    VERSION,
    HEADER_LINE_START,
    HEADER_LINE,
    END
  }

  private byte[] bytes = new byte[512];
  private Part part = Part.BEFORE;
  private boolean afterCr;
  private int index;
  private boolean hostSoFar;
  private int hostLines;
  private ProblemException problem;

  /**
   * Reads {@code buffer}'s bytes from {@code from} (inclusive) to {@code to} (exclusive), copied
   * into an array of this scanner's first: a byte read from a buffer is checked for access each
   * time, which cost more than the checks themselves.
   */
  void scan(ByteBuf buffer, int from, int to) {
    for (int start = from; start < to && problem == null && part != Part.END; ) {
      int length = Math.min(to - start, CHUNK);
      if (bytes.length < length) {
        bytes = new byte[Math.max(length, Math.min(bytes.length * 2, CHUNK))];
      }
      buffer.getBytes(start, bytes, 0, length);
      scan(bytes, length);
      start += length;
    }
  }

  private void scan(byte[] head, int length) {
    for (int i = 0; i < length; i++) {
      if (part == Part.HEADER_LINE && !afterCr && index >= HOST.length) {
        // The rest of a header line is only searched for its end, and for an LF before it.
        int end = i;
        while (end < length && head[end] != '\r') {
          if (head[end] == '\n') {
            refuse("Lines of a request head end with CRLF");
            return;
          }
          end++;
        }
        index += end - i;
        i = end;
        if (i == length) {
          return;
        }
      }
      if (!process(head[i])) {
        return;
      }
    }
  }

  /** The problem found in the head just read, if any; ready for the next head. */
  ProblemException finish() {
    ProblemException found = problem;
    problem = null;
    part = Part.BEFORE;
    afterCr = false;
    index = 0;
    hostSoFar = false;
    return found;
  }

  /** Host header lines in the head just read (read before {@link #finish}'s reset of the next). */
  int hostLines() {
    int count = hostLines;
    hostLines = 0;
    return count;
  }

  /** Takes one byte; false once the head has ended or is refused. */
  private boolean process(byte b) {
    if (afterCr) {
      afterCr = false;
      if (b != '\n') {
        return refuse("A CR in a request head must end its line");
      }
      return endOfLine();
    }
    if (b == '\r') {
      if (part == Part.BEFORE) {
        return true; // empty lines before a request line are ignored (RFC 9112 §2.2)
      }
      afterCr = true;
      return true;
    }
    if (b == '\n') {
      return part == Part.BEFORE || refuse("Lines of a request head end with CRLF");
    }
    return switch (part) {
      case BEFORE -> {
        part = Part.METHOD;
        yield method(b);
      }
      case METHOD -> method(b);
      case TARGET -> target(b);
      case VERSION -> version(b);
      case HEADER_LINE_START -> headerLineStart(b);
      case HEADER_LINE -> headerLine(b);
      case END -> false;
    };
  }

  private boolean endOfLine() {
    switch (part) {
      case VERSION -> {
        if (index != VERSION.length) {
          return refuse("The request line is malformed");
        }
        part = Part.HEADER_LINE_START;
      }
      case HEADER_LINE -> {
        if (hostSoFar && index >= HOST.length) {
          hostLines++;
        }
        part = Part.HEADER_LINE_START;
      }
      case HEADER_LINE_START -> {
        part = Part.END;
        return false;
      }
      default -> {
        return refuse("The request line is malformed");
      }
    }
    return true;
  }

  private boolean method(byte b) {
    if (b == ' ' && index > 0) {
      part = Part.TARGET;
      index = 0;
      return true;
    }
    index++;
    return ContentType.isTokenChar((char) (b & 0xff)) || refuse("The request line is malformed");
  }

  private boolean target(byte b) {
    if (b == ' ' && index > 0) {
      part = Part.VERSION;
      index = 0;
      return true;
    }
    index++;
    return (b >= 0x21 && b <= 0x7e) || refuse("The request line is malformed");
  }

  private boolean version(byte b) {
    if (index >= VERSION.length) {
      return refuse("The request line is malformed");
    }
    byte wanted = VERSION[index++];
    boolean fits = wanted == 0 ? (b >= '0' && b <= '9') : b == wanted;
    return fits || refuse("The request line is malformed");
  }

  private boolean headerLineStart(byte b) {
    if (b == ' ' || b == '\t') {
      return refuse("A folded or indented header line is not accepted");
    }
    if (b == ':') {
      return refuse("A header field has an empty name");
    }
    part = Part.HEADER_LINE;
    index = 0;
    hostSoFar = true;
    return headerLine(b);
  }

  private boolean headerLine(byte b) {
    if (hostSoFar && index < HOST.length) {
      hostSoFar = (b | 0x20) == HOST[index];
    }
    index++;
    return true;
  }

  private boolean refuse(String detail) {
    problem = Problems.of(400, detail);
    return false;
  }
}
