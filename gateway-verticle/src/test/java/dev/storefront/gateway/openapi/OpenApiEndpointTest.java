package dev.storefront.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.ServiceRouter;
import dev.storefront.gateway.proxy.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OpenApiEndpointTest {

  @Test
  void theDocumentIsValidOpenApiAndCoversThePublicApi(Vertx vertx, VertxTestContext ctx) {
    ApiDocument.load(vertx)
        .onComplete(
            ctx.succeeding(
                document ->
                    ctx.verify(
                        () -> {
                          assertThat(document.contract().getVersion())
                              .isEqualTo(OpenAPIVersion.V3_1);
                          Set<String> paths =
                              document.json().toJsonObject().getJsonObject("paths").fieldNames();
                          for (RouteTable.Route route : RouteTable.ROUTES) {
                            assertThat(paths)
                                .as("a path under %s", route.prefix())
                                .anyMatch(
                                    p ->
                                        p.equals(route.prefix())
                                            || p.startsWith(route.prefix() + "/"));
                          }
                          assertThat(paths)
                              .contains(
                                  "/api/auth/register",
                                  "/api/auth/login",
                                  "/api/auth/refresh",
                                  "/.well-known/jwks.json",
                                  "/api/products/{id}",
                                  "/api/cart/items/{productId}",
                                  "/api/orders/{id}",
                                  "/api/notifications/stream");
                          List<String> ids =
                              document.contract().operations().stream()
                                  .map(Operation::getOperationId)
                                  .toList();
                          assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(21);
                          // Every error answer of every operation is problem+json, as served.
                          JsonObject raw = document.json().toJsonObject();
                          JsonObject responses =
                              raw.getJsonObject("components").getJsonObject("responses");
                          for (String name : responses.fieldNames()) {
                            assertThat(
                                    responses
                                        .getJsonObject(name)
                                        .getJsonObject("content")
                                        .fieldNames())
                                .as(name)
                                .containsExactly("application/problem+json");
                          }
                          // Shared: a second load gives the same document.
                          ApiDocument.load(vertx)
                              .onComplete(
                                  ctx.succeeding(
                                      again ->
                                          ctx.verify(
                                              () -> {
                                                assertThat(again).isSameAs(document);
                                                ctx.completeNow();
                                              })));
                        })));
  }

  @Test
  void theDocumentIsServedAsYamlAndAsJson(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    ApiDocument.load(vertx)
        .compose(
            document -> {
              Router router = Router.router(vertx);
              new OpenApiEndpoint(document).mount(router);
              ServiceRouter.complete(router);
              return vertx.createHttpServer().requestHandler(router).listen(0);
            })
        .compose(
            server -> {
              int port = server.actualPort();
              Future<HttpResponse<Buffer>> yaml =
                  web.request(HttpMethod.GET, port, "127.0.0.1", OpenApiEndpoint.YAML_PATH).send();
              Future<HttpResponse<Buffer>> json =
                  web.request(HttpMethod.GET, port, "127.0.0.1", OpenApiEndpoint.JSON_PATH).send();
              return Future.all(yaml, json).map(all -> List.of(yaml.result(), json.result()));
            })
        .onComplete(
            ctx.succeeding(
                answers ->
                    ctx.verify(
                        () -> {
                          HttpResponse<Buffer> yaml = answers.get(0);
                          HttpResponse<Buffer> json = answers.get(1);
                          assertThat(yaml.statusCode()).isEqualTo(200);
                          assertThat(yaml.getHeader("Content-Type")).startsWith("application/yaml");
                          assertThat(yaml.bodyAsString()).startsWith("openapi: 3.1.0");
                          assertThat(json.statusCode()).isEqualTo(200);
                          assertThat(json.getHeader("Content-Type")).isEqualTo("application/json");
                          JsonObject parsed = json.bodyAsJsonObject();
                          assertThat(parsed.getString("openapi")).isEqualTo("3.1.0");
                          assertThat(parsed.getJsonObject("paths").fieldNames())
                              .contains("/api/products", "/api/orders");
                          // The JSON says what the YAML says.
                          assertThat(parsed)
                              .isEqualTo(ApiDocument.parse(yaml.bodyAsBuffer()).json());
                          Set<String> problemSchema =
                              parsed
                                  .getJsonObject("components")
                                  .getJsonObject("schemas")
                                  .getJsonObject("ProblemDetails")
                                  .getJsonObject("properties")
                                  .fieldNames()
                                  .stream()
                                  .collect(Collectors.toSet());
                          assertThat(problemSchema)
                              .containsExactlyInAnyOrder(
                                  "type", "title", "status", "detail", "instance");
                          ctx.completeNow();
                        })));
  }
}
