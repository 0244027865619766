package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every service's router does besides its own routes: no Content-Type, however malformed,
 * turns into a 500, and a 405 says which methods the path takes.
 */
@ExtendWith(VertxExtension.class)
class ServiceRouterTest {

  private WebClient client;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    Router router = ServiceRouter.create(vertx);
    // Reads the body as text, as services do: vertx-web reads the charset from the Content-Type.
    router
        .post("/text")
        .handler(BodyHandler.create(false))
        .respond(rc -> Future.succeededFuture(new JsonObject().put("text", rc.body().asString())));
    router
        .post("/json")
        .handler(RequestBodies.json(1024))
        .respond(rc -> Future.succeededFuture(new JsonObject().put("text", rc.body().asString())));
    router.get("/items/:id").respond(rc -> Future.succeededFuture(new JsonObject()));
    router.put("/items/:id").respond(rc -> Future.succeededFuture(new JsonObject()));
    router.delete("/items/:id/lines/:line").respond(rc -> Future.succeededFuture(new JsonObject()));
    ServiceRouter.complete(router);
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .map(HttpServer::actualPort)
        .onComplete(
            ctx.succeeding(
                actual -> {
                  port = actual;
                  ctx.completeNow();
                }));
  }

  @Test
  void aMalformedContentTypeIsA400ProblemOnEveryRoute(VertxTestContext ctx) {
    String[] malformed = {
      "application/json; boundary=\"", "application/json;charset=\"utf-8", "application/json; a"
    };
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (String type : malformed) {
      answers.add(post("/text", type));
      answers.add(post("/json", type));
      answers.add(client.get(port, "127.0.0.1", "/items/1").putHeader("Content-Type", type).send());
    }
    Future.all(answers)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          for (Future<HttpResponse<Buffer>> answer : answers) {
                            assertProblem(
                                answer.result(), 400, "The Content-Type header is malformed");
                          }
                          ctx.completeNow();
                        })));
  }

  @Test
  void twoContentTypesAreA400Problem(VertxTestContext ctx) {
    client
        .post(port, "127.0.0.1", "/json")
        .putHeader("Content-Type", List.of("application/json", "text/plain"))
        .sendBuffer(Buffer.buffer("{}"))
        .onComplete(
            ctx.succeeding(
                response ->
                    ctx.verify(
                        () -> {
                          assertProblem(response, 400, "The Content-Type header is malformed");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aJsonBodyMustBeJsonInUtf8(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> unknownCharset = post("/json", "application/json; charset=bogus");
    Future<HttpResponse<Buffer>> latin1 = post("/json", "application/json; charset=ISO-8859-1");
    Future<HttpResponse<Buffer>> text = post("/json", "text/plain");
    Future<HttpResponse<Buffer>> none =
        client.post(port, "127.0.0.1", "/json").sendBuffer(Buffer.buffer("{}"));
    Future<HttpResponse<Buffer>> utf8 = post("/json", "application/json; charset=\"UTF-8\"");
    Future<HttpResponse<Buffer>> plain = post("/json", "application/json");
    Future.all(List.of(unknownCharset, latin1, text, none, utf8, plain))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertProblem(
                              unknownCharset.result(),
                              415,
                              "A JSON request body must be encoded in UTF-8");
                          assertProblem(
                              latin1.result(), 415, "A JSON request body must be encoded in UTF-8");
                          assertProblem(
                              text.result(), 415, "The request body must be application/json");
                          assertProblem(
                              none.result(), 415, "The request body must be application/json");
                          assertThat(utf8.result().statusCode()).isEqualTo(200);
                          assertThat(utf8.result().bodyAsJsonObject().getString("text"))
                              .isEqualTo("{\"a\":\"é\"}");
                          assertThat(plain.result().statusCode()).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void a405NamesTheMethodsThePathTakesInAllow(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> item = client.post(port, "127.0.0.1", "/items/7").send();
    Future<HttpResponse<Buffer>> trace =
        client.request(HttpMethod.TRACE, port, "127.0.0.1", "/items/7/").send();
    Future<HttpResponse<Buffer>> line = client.get(port, "127.0.0.1", "/items/7/lines/2").send();
    Future<HttpResponse<Buffer>> text = client.get(port, "127.0.0.1", "/text").send();
    Future.all(item, trace, line, text)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertProblem(
                              item.result(), 405, "This resource does not support the method");
                          assertThat(item.result().getHeader("Allow")).isEqualTo("GET, PUT");
                          assertThat(trace.result().statusCode()).isEqualTo(405);
                          assertThat(trace.result().getHeader("Allow")).isEqualTo("GET, PUT");
                          assertThat(line.result().statusCode()).isEqualTo(405);
                          assertThat(line.result().getHeader("Allow")).isEqualTo("DELETE");
                          assertThat(text.result().statusCode()).isEqualTo(405);
                          assertThat(text.result().getHeader("Allow")).isEqualTo("POST");
                          ctx.completeNow();
                        })));
  }

  private Future<HttpResponse<Buffer>> post(String uri, String contentType) {
    return client
        .post(port, "127.0.0.1", uri)
        .putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer("{\"a\":\"é\"}"));
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String detail) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo(detail);
  }
}
