package dev.storefront.devstack;

/** A piece of the local stack could not be started, stopped or prepared. */
public class DevStackException extends RuntimeException {

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
