package dev.storefront.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.common.http.ServiceRouter;
import dev.storefront.gateway.proxy.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
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

  private static final String BASE = "https://storefront.test/openapi.json";

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
                                  "/api/notifications/{id}/read",
                                  "/api/notifications/stream",
                                  "/api/notifications/webhooks",
                                  "/api/notifications/webhooks/{id}",
                                  "/api/notifications/webhooks/{id}/deliveries");
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

  /**
   * The stream's example is what a client receives: a retry line, events whose ids are the integer
   * ids a client sends back in Last-Event-ID and whose data are notifications as the list gives
   * them, and heartbeat comments.
   */
  @Test
  void theNotificationExamplesAreWhatTheServiceSends(Vertx vertx, VertxTestContext ctx) {
    ApiDocument.load(vertx)
        .onComplete(
            ctx.succeeding(
                document ->
                    ctx.verify(
                        () -> {
                          // The contract requests are checked against has no response
                          // content (see ApiDocument): read the document's own schemas.
                          JsonObject raw = document.json().toJsonObject();
                          Validator page =
                              SchemaRepository.create(
                                      new JsonSchemaOptions()
                                          .setDraft(Draft.DRAFT202012)
                                          .setBaseUri(BASE))
                                  .dereference(BASE, JsonSchema.of(raw))
                                  .validator(BASE + "#/components/schemas/NotificationPage");
                          JsonObject paths = document.json().toJsonObject().getJsonObject("paths");
                          JsonObject listExample =
                              ok(paths, "/api/notifications", "application/json")
                                  .getJsonObject("example");
                          assertValid(page.validate(listExample));

                          JsonObject stream =
                              paths.getJsonObject("/api/notifications/stream").getJsonObject("get");
                          String lastEventId =
                              stream.getJsonArray("parameters").stream()
                                  .map(JsonObject.class::cast)
                                  .filter(p -> p.getString("name").equals("Last-Event-ID"))
                                  .findFirst()
                                  .orElseThrow()
                                  .getJsonObject("schema")
                                  .getString("pattern");
                          String example =
                              ok(paths, "/api/notifications/stream", "text/event-stream")
                                  .getString("example");
                          String[] blocks = example.split("\n\n");
                          assertThat(blocks[0]).isEqualTo("retry: 2000");
                          JsonArray events = new JsonArray();
                          int heartbeats = 0;
                          for (int i = 1; i < blocks.length; i++) {
                            if (blocks[i].startsWith(":")) {
                              assertThat(blocks[i]).isEqualTo(": keep-alive");
                              heartbeats++;
                              continue;
                            }
                            String[] lines = blocks[i].split("\n");
                            assertThat(lines).hasSize(3);
                            assertThat(lines[0]).startsWith("id: ");
                            String id = lines[0].substring(4);
                            assertThat(id).matches(lastEventId);
                            assertThat(lines[1]).isEqualTo("event: notification");
                            assertThat(lines[2]).startsWith("data: ");
                            JsonObject data = new JsonObject(lines[2].substring(6));
                            assertThat(data.getValue("id")).isEqualTo(Integer.valueOf(id));
                            events.add(data);
                          }
                          assertThat(events).hasSizeGreaterThanOrEqualTo(2);
                          assertThat(heartbeats).isPositive();
                          assertValid(
                              page.validate(
                                  new JsonObject()
                                      .put("items", events)
                                      .put("page", 0)
                                      .put("size", 20)
                                      .put("total", events.size())
                                      .put("unread", events.size())));
                          ctx.completeNow();
                        })));
  }

  private static JsonObject ok(JsonObject paths, String path, String mediaType) {
    return paths
        .getJsonObject(path)
        .getJsonObject("get")
        .getJsonObject("responses")
        .getJsonObject("200")
        .getJsonObject("content")
        .getJsonObject(mediaType);
  }

  private static void assertValid(OutputUnit result) {
    assertThat(result.getValid()).as(String.valueOf(result.getErrors())).isTrue();
  }
}
