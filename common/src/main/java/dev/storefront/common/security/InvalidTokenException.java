package dev.storefront.common.security;

/** A token that must not be trusted: malformed, forged, expired, or meant for someone else. */
public class InvalidTokenException extends RuntimeException {

  public InvalidTokenException(String reason) {
    super(reason, null, false, false);
  }
}
