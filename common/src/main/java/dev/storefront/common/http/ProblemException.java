package dev.storefront.common.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure that becomes an {@code application/problem+json} response (RFC 9457). Fail a future or
 * a routing context with it; {@link ProblemHandler} writes it.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  public ProblemException(int status, String type, String title, String detail) {
    this(status, type, title, detail, new JsonObject());
  }

  public ProblemException(
      int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions.copy();
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonObject extensions() {
    return extensions.copy();
  }
}
