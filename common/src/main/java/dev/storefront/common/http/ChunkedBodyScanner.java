package dev.storefront.common.http;

import io.netty.buffer.ByteBuf;

/**
 * Reads a chunked body's framing (RFC 9112 §7.1) ahead of the decoder, byte by byte as it arrives,
 * so that a body whose framing the decoder would misread is refused before any of it is acted on:
 * Netty's decoder keeps a chunk size in an {@code int} and wraps one of 17 hex digits round to a
 * small number, which lets a request hide in the rest of the body.
 */
final class ChunkedBodyScanner {

  /** A chunk the decoder can carry in one piece; larger ones are refused as too large. */
  static final long MAX_CHUNK_BYTES = Integer.MAX_VALUE;

  private static final int MAX_LINE_BYTES = 4096;
  private static final int MAX_TRAILER_BYTES = 8192;

  private enum State {
    SIZE,
    EXTENSION,
    SIZE_LF,
    DATA,
    DATA_CR,
    DATA_LF,
    TRAILER_LINE_START,
    TRAILER_LINE,
    TRAILER_LF,
    END_LF,
    DONE
  }

  private State state = State.SIZE;
  private long size;
  private long remaining;
  private int lineBytes;
  private int trailerBytes;
  private ProblemException refusal;

  /**
   * Reads {@code buffer}'s bytes from {@code from} (inclusive) to {@code to} (exclusive) and
   * returns the index where it stopped: {@code to}, or the first byte past the body once it has
   * ended, or the byte at which the framing broke (then {@link #refusal()} says why).
   */
  int scan(ByteBuf buffer, int from, int to) {
    int i = from;
    while (i < to && refusal == null && state != State.DONE) {
      if (state == State.DATA) {
        long skip = Math.min(remaining, to - i);
        remaining -= skip;
        i += (int) skip;
        if (remaining == 0) {
          state = State.DATA_CR;
        }
        continue;
      }
      step(buffer.getByte(i));
      if (refusal == null) {
        i++;
      }
    }
    return i;
  }

  boolean done() {
    return state == State.DONE;
  }

  /** Why the framing broke, or null while it holds. */
  ProblemException refusal() {
    return refusal;
  }

  private void step(byte b) {
    switch (state) {
      case SIZE -> size(b);
      case EXTENSION -> extension(b);
      case SIZE_LF -> endOfSizeLine(b);
      case DATA_CR -> expect(b, '\r', State.DATA_LF, "A chunk's data must end with CRLF");
      case DATA_LF -> expect(b, '\n', State.SIZE, "A chunk's data must end with CRLF");
      case TRAILER_LINE_START -> trailerLineStart(b);
      case TRAILER_LINE -> trailerLine(b);
      case TRAILER_LF -> expect(b, '\n', State.TRAILER_LINE_START, "A trailer must end with CRLF");
      case END_LF -> expect(b, '\n', State.DONE, "A chunked body must end with CRLF");
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void size(byte b) {
    int digit = Character.digit(b, 16);
    if (digit >= 0 && b < 0x80) {
      lineBytes++;
      if (size > (Long.MAX_VALUE - digit) / 16) {
        refuse(400, "A chunk size is out of range");
        return;
      }
      size = size * 16 + digit;
      return;
    }
    if (lineBytes == 0) {
      refuse(400, "A chunk size is missing");
      return;
    }
    if (b == ';' || b == ' ' || b == '\t') {
      state = State.EXTENSION;
      extension(b);
    } else if (b == '\r') {
      state = State.SIZE_LF;
    } else {
      refuse(400, "A chunk size is malformed");
    }
  }

  private void extension(byte b) {
    if (b == '\r') {
      state = State.SIZE_LF;
    } else if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f) {
      refuse(400, "A chunk extension is malformed");
    } else if (++lineBytes > MAX_LINE_BYTES) {
      refuse(400, "A chunk extension is too long");
    }
  }

  private void endOfSizeLine(byte b) {
    if (b != '\n') {
      refuse(400, "A chunk size line must end with CRLF");
      return;
    }
    if (size > MAX_CHUNK_BYTES) {
      refuse(413, "A chunk is too large");
      return;
    }
    remaining = size;
    state = size == 0 ? State.TRAILER_LINE_START : State.DATA;
    size = 0;
    lineBytes = 0;
  }

  private void trailerLineStart(byte b) {
    if (b == '\r') {
      state = State.END_LF;
    } else {
      state = State.TRAILER_LINE;
      trailerLine(b);
    }
  }

  private void trailerLine(byte b) {
    if (b == '\r') {
      state = State.TRAILER_LF;
    } else if (b == '\n' || b == 0) {
      refuse(400, "A trailer field is malformed");
    } else if (++trailerBytes > MAX_TRAILER_BYTES) {
      refuse(431, "The trailer section is too large");
    }
  }

  private void expect(byte b, char wanted, State next, String otherwise) {
    if (b == wanted) {
      state = next;
    } else {
      refuse(400, otherwise);
    }
  }

  private void refuse(int status, String detail) {
    refusal = Problems.of(status, detail);
  }
}
