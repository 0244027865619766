package dev.storefront.common.security;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one encoding of an ES256 token the project writes and accepts: three base64url segments (RFC
 * 7515 compact serialization) without padding, with no bits set beyond the last byte, and a
 * signature of exactly 64 bytes, R then S (the JOSE form, not DER), with S in the lower half of the
 * curve order. A signature over the same claims can be spelled many ways that a lenient decoder and
 * the JCA all accept (a DER signature, a padded or trailing-dot token, (R, n − S) for (R, S)); one
 * spelling per token keeps caches keyed by the token honest and leaves a forger nothing to vary.
 */
public final class CompactJws {

  /** Bytes of an ES256 signature in the JOSE form: R and S, 32 bytes each, big-endian. */
  public static final int SIGNATURE_BYTES = 64;

  /** The order n of the P-256 group (FIPS 186-4, D.1.2.3). */
  public static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static final BigInteger HALF_ORDER = P256_ORDER.shiftRight(1);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private CompactJws() {}

  /** Nothing when {@code token} is in the one accepted encoding; else an InvalidTokenException. */
  public static void check(String token) {
    if (token == null) {
      throw new InvalidTokenException("no token");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new InvalidTokenException("the token is not three segments");
    }
    if (!canonicalSegment(token, 0, first)
        || !canonicalSegment(token, first + 1, second)
        || !canonicalSegment(token, second + 1, token.length())) {
      throw new InvalidTokenException("the token is not canonical base64url");
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(token.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the token is not canonical base64url");
    }
    if (signature.length != SIGNATURE_BYTES) {
      throw new InvalidTokenException("the signature is not 64 bytes of R and S");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || r.compareTo(P256_ORDER) >= 0 || s.signum() == 0) {
      throw new InvalidTokenException("the signature is out of range");
    }
    if (s.compareTo(HALF_ORDER) > 0) {
      throw new InvalidTokenException("the signature is not in low-S form");
    }
  }

  /**
   * {@code token}, a valid ES256 JWS, with its signature in low-S form: (R, n − S) verifies exactly
   * where (R, S) does, so this changes the spelling and never the validity.
   */
  public static String lowS(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    if (signature.length != SIGNATURE_BYTES) {
      throw new IllegalArgumentException("not an ES256 signature in the JOSE form");
    }
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (s.compareTo(HALF_ORDER) <= 0) {
      return token;
    }
    byte[] flipped = Arrays.copyOf(signature, SIGNATURE_BYTES);
    byte[] other = unsigned32(P256_ORDER.subtract(s));
    System.arraycopy(other, 0, flipped, 32, 32);
    return token.substring(0, dot + 1) + ENCODER.encodeToString(flipped);
  }

  /** {@code value} as exactly 32 big-endian bytes. */
  static byte[] unsigned32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  /**
   * Whether {@code token[from, to)} is non-empty base64url without padding whose last character
   * carries no bits beyond the last byte, so that it is the only spelling of the bytes it decodes
   * to.
   */
  private static boolean canonicalSegment(String token, int from, int to) {
    int length = to - from;
    if (length == 0 || length % 4 == 1) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (value(token.charAt(i)) < 0) {
        return false;
      }
    }
    int last = value(token.charAt(to - 1));
    return switch (length % 4) {
      case 2 -> (last & 0x0F) == 0;
      case 3 -> (last & 0x03) == 0;
      default -> true;
    };
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    if (c == '_') {
      return 63;
    }
    return -1;
  }
}
