package dev.storefront.common.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id that ties together the log lines of one request across services. The gateway sets
 * {@value #HEADER} (keeping a well-formed one a client sent); services adopt the one they receive.
 * It lives in the request's Vert.x context, which every callback of that request shares, so logs
 * written from any of them carry it.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** Route handler: adopts or creates the id, echoes it on the response. */
  public static void handle(RoutingContext ctx) {
    String id = adopt(ctx.request().getHeader(HEADER));
    ctx.put(HEADER, id);
    bind(id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String adopt(String candidate) {
    return wellFormed(candidate) ? candidate : create();
  }

  /**
   * Whether {@code candidate} is 1 to 128 of {@code A-Z a-z 0-9 . _ : -}: checked by hand, since
   * every request of every service asks (a regex match cost more than the rest of this handler).
   */
  static boolean wellFormed(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new id in the shape of a random (version 4) UUID. An id only has to be unique, not
   * unguessable: drawn from the thread's own generator rather than the shared, locked SecureRandom
   * behind {@link UUID#randomUUID}, which every request of the process would queue on.
   */
  static String create() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** Binds {@code id} to the current (per-request) context. */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      context.putLocal(RequestIdStorage.REQUEST_ID, id);
    }
  }

  /** The id of the request being handled on this thread, or null outside a request. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(RequestIdStorage.REQUEST_ID);
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(HEADER);
  }
}
