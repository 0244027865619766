package dev.storefront.common.events;

/**
 * An event that cannot be read: not JSON, or an envelope without a field the contract requires.
 * Handing it to a handler again cannot help, so a consumer dead-letters it at once; a handler that
 * finds an event's {@code data} unusable may fail with it for the same effect.
 */
public class MalformedEventException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
