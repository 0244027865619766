package dev.storefront.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The index finds what vertx-openapi's own look-up finds, for the API document's every path. */
class OperationIndexTest {

  private static final List<HttpMethod> METHODS =
      List.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.PATCH,
          HttpMethod.DELETE,
          HttpMethod.OPTIONS);

  private static OpenAPIContract contract;
  private static OperationIndex index;

  @BeforeAll
  static void loadTheDocument() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      contract =
          ApiDocument.load(vertx)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .contract();
    } finally {
      vertx.close();
    }
    index = new OperationIndex(contract);
  }

  @Test
  void findsTheLibrarysOperationForEveryDocumentedPathAndItsNearMisses() {
    Set<String> paths = new LinkedHashSet<>();
    for (Path path : contract.getPaths()) {
      String template = path.getOperations().get(0).getAbsoluteOpenAPIPath();
      for (String value : List.of("3fa85f64-5717-4562-b3fc-2c963f66afa6", "abc", "a%2Fb", "")) {
        String concrete = template.replaceAll("\\{[^}]*}", value);
        paths.add(concrete);
        paths.add(concrete + "/");
        paths.add(concrete + "//");
        paths.add(concrete + "/extra");
        paths.add(concrete.toUpperCase());
        paths.add(concrete.substring(0, Math.max(1, concrete.lastIndexOf('/'))));
        paths.add(concrete.replaceFirst("/", "//"));
      }
    }
    paths.addAll(List.of("/", "//", "///", "/api", "/api/", "/nowhere", "/api/products/x/y/z"));

    List<String> compared = new ArrayList<>();
    for (String path : paths) {
      for (HttpMethod method : METHODS) {
        Operation expected = contract.findOperation(path, method);
        assertThat(index.find(path, method)).as("%s %s", method, path).isSameAs(expected);
        if (expected != null) {
          compared.add(method + " " + path);
        }
      }
    }
    // The comparison covered every operation of the document, not only misses.
    assertThat(compared.size()).isGreaterThanOrEqualTo(contract.operations().size());
  }

  @Test
  void countsSegmentsAsSplittingOnSlashDoes() {
    for (String path :
        List.of("/", "//", "///", "/a", "/a/", "/a//", "/a/b", "/a//b", "/a/b/", "/a/b//", "//a")) {
      assertThat(OperationIndex.segmentCount(path))
          .as(path)
          .isEqualTo(path.substring(1).split("/").length);
    }
  }
}
