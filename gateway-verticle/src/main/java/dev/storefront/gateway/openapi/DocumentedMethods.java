package dev.storefront.gateway.openapi;

import dev.storefront.common.http.Problems;
import dev.storefront.gateway.http.GatewayRouter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Answers a request whose method the API document does not have for its path (TRACE, an unknown
 * method, a PATCH where there is none) with 405 and the {@code Allow} header naming the methods the
 * path has, before authentication: what a path takes is in the published document already, and a
 * 401 or 403 would say the request could work with a token. Paths the document lacks pass on.
 *
 * <pre>
 *   DocumentedMethods.of(document).before(security::mount)   // the Security GatewayRouter mounts
 * </pre>
 */
public final class DocumentedMethods implements Handler<RoutingContext> {

  private static final List<String> ORDER =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  private final OperationIndex operations;
  private final Map<Path, String> allow = new IdentityHashMap<>();

  private DocumentedMethods(ApiDocument document) {
    this.operations = new OperationIndex(document.contract());
    for (Path path : document.contract().getPaths()) {
      allow.put(
          path,
          path.getOperations().stream()
              .map(o -> o.getHttpMethod().name())
              .sorted(Comparator.comparingInt(DocumentedMethods::rank))
              .collect(Collectors.joining(", ")));
    }
  }

  public static DocumentedMethods of(ApiDocument document) {
    return new DocumentedMethods(document);
  }

  /** {@code security}, with this check mounted first, ahead of authentication. */
  public GatewayRouter.Security before(GatewayRouter.Security security) {
    return (router, afterAuthentication, beforeAuthEndpoints) -> {
      router.route().handler(this);
      security.mount(router, afterAuthentication, beforeAuthEndpoints);
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    String requested = ctx.normalizedPath();
    Path path = requested == null ? null : operations.path(requested);
    if (path == null || has(path, ctx)) {
      ctx.next();
      return;
    }
    String methods = allow.get(path);
    ctx.response().headers().set(HttpHeaders.ALLOW, methods);
    ctx.fail(Problems.of(405, "This resource takes " + methods));
  }

  /** Methods in the order HTTP's specification lists them, reads first. */
  private static int rank(String method) {
    int rank = ORDER.indexOf(method);
    return rank < 0 ? ORDER.size() : rank;
  }

  private static boolean has(Path path, RoutingContext ctx) {
    for (Operation operation : path.getOperations()) {
      if (operation.getHttpMethod().equals(ctx.request().method())) {
        return true;
      }
    }
    return false;
  }
}
