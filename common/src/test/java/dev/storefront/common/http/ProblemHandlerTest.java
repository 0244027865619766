package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every failure leaves a service router as RFC 9457 problem details. */
@ExtendWith(VertxExtension.class)
class ProblemHandlerTest {

  private static final String SECRET = "connection to 10.9.8.7 refused for user admin";

  private WebClient client;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    Router router = ServiceRouter.create(vertx);
    router.get("/items/:id").handler(rc -> rc.json(new JsonObject().put("id", rc.pathParam("id"))));
    router
        .get("/conflict")
        .handler(
            rc ->
                rc.fail(
                    new ProblemException(
                        409,
                        Problems.type("out-of-stock"),
                        "Out of stock",
                        "Only 2 of sku-1 left",
                        new JsonObject().put("sku", "sku-1").put("available", 2))));
    router.get("/too-large").handler(rc -> rc.fail(new HttpException(413)));
    router.get("/gone").handler(rc -> rc.fail(new HttpException(410, "The cart expired")));
    router.get("/status-only").handler(rc -> rc.fail(415));
    router
        .get("/boom")
        .handler(
            rc -> {
              throw new IllegalStateException(SECRET);
            });
    router.get("/failed-future").respond(rc -> Future.failedFuture(new RuntimeException(SECRET)));
    router
        .get("/pool-busy")
        .respond(
            rc ->
                Future.failedFuture(
                    new ConnectionPoolTooBusyException(
                        "Connection pool reached max wait queue size of 64 " + SECRET)));
    router
        .get("/pool-timeout")
        .respond(
            rc ->
                Future.failedFuture(
                    new RuntimeException(
                        "query failed", new NoStackTraceTimeoutException("Timeout " + SECRET))));
    router
        .get("/busy-with-own-retry-after")
        .handler(
            rc -> {
              rc.response().putHeader("Retry-After", "7");
              rc.fail(new ConnectException("refused " + SECRET));
            });
    router.get("/problem-future").respond(rc -> Problems.fail(422, "Quantity must be positive"));
    router
        .get("/try-later")
        .handler(
            rc ->
                rc.fail(
                    new ProblemException(
                        503,
                        Problems.type("too-busy"),
                        "Service Unavailable",
                        "Try again in a moment",
                        new JsonObject().put("retryAfter", 3))));
    // Refused at once, before any of the body is read.
    router.post("/refuse-unread").handler(rc -> rc.fail(Problems.of(403, "Not for you")));
    router
        .post("/echo")
        .handler(BodyHandler.create().setBodyLimit(64))
        .handler(rc -> rc.json(rc.body().asJsonObject()));
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
  void aHandledRouteIsNotAProblem(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/items/7", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "7"));
        });
  }

  @Test
  void aRefusalBeforeTheBodyWasReadClosesTheConnectionAndOneWithoutABodyKeepsIt(
      VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> unread = send(HttpMethod.POST, "/refuse-unread", "{\"a\":1}");
    Future<HttpResponse<Buffer>> noBody = send(HttpMethod.GET, "/conflict", null);
    Future.all(unread, noBody)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(unread.result().statusCode()).isEqualTo(403);
                          assertThat(unread.result().getHeader("Connection")).isEqualTo("close");
                          assertThat(noBody.result().statusCode()).isEqualTo(409);
                          assertThat(noBody.result().getHeader("Connection")).isNull();
                          ctx.completeNow();
                        })));
  }

  @Test
  void anUnknownPathIsA404Problem(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/nowhere/at/all?x=1", null),
        response ->
            assertProblem(
                response,
                404,
                "about:blank",
                "Not Found",
                "No resource at this path",
                "/nowhere/at/all"));
  }

  @Test
  void aProblemExceptionIsWrittenAsItIsWithItsExtensions(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/conflict", null),
        response -> {
          JsonObject body =
              assertProblem(
                  response,
                  409,
                  "urn:storefront:problem:out-of-stock",
                  "Out of stock",
                  "Only 2 of sku-1 left",
                  "/conflict");
          assertThat(body.getString("sku")).isEqualTo("sku-1");
          assertThat(body.getInteger("available")).isEqualTo(2);
        });
  }

  @Test
  void aFailedFutureFromRespondIsAProblemToo(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/problem-future", null),
        response ->
            assertProblem(
                response,
                422,
                "about:blank",
                "Unprocessable Entity",
                "Quantity must be positive",
                "/problem-future"));
  }

  @Test
  void anHttpExceptionKeepsItsStatus(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/too-large", null),
        response ->
            assertProblem(
                response,
                413,
                "about:blank",
                "Request Entity Too Large",
                "Request Entity Too Large",
                "/too-large"));
  }

  @Test
  void anHttpExceptionPayloadBecomesTheDetail(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/gone", null),
        response ->
            assertProblem(response, 410, "about:blank", "Gone", "The cart expired", "/gone"));
  }

  @Test
  void aBareFailureStatusGetsItsDefaultDetail(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/status-only", null),
        response ->
            assertProblem(
                response,
                415,
                "about:blank",
                "Unsupported Media Type",
                "The request content type is not supported",
                "/status-only"));
  }

  @Test
  void aThrownExceptionIsAGeneric500WithoutInternals(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/boom", null),
        response -> {
          assertProblem(
              response,
              500,
              "about:blank",
              "Internal Server Error",
              "The server could not handle the request",
              "/boom");
          assertNoInternals(response);
        });
  }

  @Test
  void aFailedFutureWithAnyExceptionIsAGeneric500WithoutInternals(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/failed-future", null),
        response -> {
          assertProblem(
              response,
              500,
              "about:blank",
              "Internal Server Error",
              "The server could not handle the request",
              "/failed-future");
          assertNoInternals(response);
        });
  }

  @Test
  void aFullConnectionPoolIsA503WithRetryAfterAndNoInternals(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/pool-busy", null),
        response -> {
          assertProblem(
              response,
              503,
              "about:blank",
              "Service Unavailable",
              "The service is busy; try again shortly",
              "/pool-busy");
          assertThat(response.getHeader("Retry-After")).isEqualTo("1");
          assertNoInternals(response);
        });
  }

  @Test
  void aTimedOutWaitUnderAnotherFailureIsA503Too(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/pool-timeout", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.getHeader("Retry-After")).isEqualTo("1");
          assertNoInternals(response);
        });
  }

  @Test
  void aRetryAfterTheHandlerSetIsKept(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/busy-with-own-retry-after", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        });
  }

  @Test
  void aProblemThatSaysWhenToRetrySaysItInRetryAfter(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/try-later", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.getHeader("Retry-After")).isEqualTo("3");
          assertThat(response.bodyAsJsonObject().getInteger("retryAfter")).isEqualTo(3);
        });
  }

  @Test
  void aProblemWithoutRetryAfterHasNoHeader(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/conflict", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(409);
          assertThat(response.getHeader("Retry-After")).isNull();
        });
  }

  @Test
  void aPlainFailureIsNotTakenForABusyDependency() {
    assertThat(ProblemHandler.isBusyDependency(new IllegalStateException("bug"))).isFalse();
    assertThat(ProblemHandler.isBusyDependency(null)).isFalse();
    assertThat(
            ProblemHandler.isBusyDependency(
                new RuntimeException(new RuntimeException(new ConnectException("refused")))))
        .isTrue();
  }

  @Test
  void malformedJsonIsA400(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.POST, "/echo", "{\"name\": "),
        response -> {
          assertProblem(
              response,
              400,
              "about:blank",
              "Bad Request",
              "The request body is not valid JSON",
              "/echo");
          assertNoInternals(response);
        });
  }

  @Test
  void wellFormedJsonPassesTheSameRoute(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.POST, "/echo", "{\"name\":\"x\"}"),
        response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo("x");
        });
  }

  @Test
  void aBodyOverTheLimitIsA413Problem(VertxTestContext ctx) {
    String big = "{\"name\":\"" + "x".repeat(200) + "\"}";
    expect(
        ctx,
        send(HttpMethod.POST, "/echo", big),
        response -> {
          assertThat(response.statusCode()).isEqualTo(413);
          assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
          assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(413);
        });
  }

  @Test
  void aWrongMethodOnAnExistingPathIsA405Problem(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.DELETE, "/items/7", null),
        response ->
            assertProblem(
                response,
                405,
                "about:blank",
                "Method Not Allowed",
                "This resource does not support the method",
                "/items/7"));
  }

  @Test
  void aPathThatCannotBeDecodedIsA400Problem(VertxTestContext ctx) {
    expect(
        ctx,
        send(HttpMethod.GET, "/items/%zz", null),
        response -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
          assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(400);
        });
  }

  @Test
  void vertxWebTellsAWrongMethodFromAnUnknownPathWithoutACatchAll(
      Vertx vertx, VertxTestContext ctx) {
    // What the catch-all of ServiceRouter.complete hides, and a way to keep problem+json for both:
    // Vert.x Web's own 404 and 405 answers, routed to the ProblemHandler as error handlers.
    Router router = Router.router(vertx);
    router.get("/items/:id").handler(rc -> rc.json(rc.pathParam("id")));
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle).errorHandler(405, ProblemHandler::handle);
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .compose(
            server -> {
              int p = server.actualPort();
              Future<HttpResponse<Buffer>> wrongMethod =
                  client.request(HttpMethod.DELETE, p, "127.0.0.1", "/items/7").send();
              Future<HttpResponse<Buffer>> unknownPath =
                  client.request(HttpMethod.DELETE, p, "127.0.0.1", "/nothing").send();
              return Future.all(wrongMethod, unknownPath);
            })
        .onComplete(
            ctx.succeeding(
                both ->
                    ctx.verify(
                        () -> {
                          assertProblem(
                              both.resultAt(0),
                              405,
                              "about:blank",
                              "Method Not Allowed",
                              "This resource does not support the method",
                              "/items/7");
                          assertProblem(
                              both.resultAt(1),
                              404,
                              "about:blank",
                              "Not Found",
                              "No resource at this path",
                              "/nothing");
                          ctx.completeNow();
                        })));
  }

  @Test
  void problemResponsesCarryTheRequestId(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> response =
        client
            .get(port, "127.0.0.1", "/boom")
            .putHeader(RequestIds.HEADER, "trace-problem-1")
            .send();
    expect(
        ctx,
        response,
        r -> {
          assertThat(r.statusCode()).isEqualTo(500);
          assertThat(r.getHeader(RequestIds.HEADER)).isEqualTo("trace-problem-1");
        });
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String uri, String body) {
    var request = client.request(method, port, "127.0.0.1", uri);
    if (body == null) {
      return request.send();
    }
    return request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
  }

  private static void expect(
      VertxTestContext ctx,
      Future<HttpResponse<Buffer>> response,
      Consumer<HttpResponse<Buffer>> assertions) {
    response.onComplete(
        ctx.succeeding(
            r ->
                ctx.verify(
                    () -> {
                      assertions.accept(r);
                      ctx.completeNow();
                    })));
  }

  private static JsonObject assertProblem(
      HttpResponse<Buffer> response,
      int status,
      String type,
      String title,
      String detail,
      String instance) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo(type);
    assertThat(body.getString("title")).isEqualTo(title);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("detail")).isEqualTo(detail);
    assertThat(body.getString("instance")).isEqualTo(instance);
    return body;
  }

  private static void assertNoInternals(HttpResponse<Buffer> response) {
    assertThat(response.bodyAsString())
        .doesNotContain(SECRET)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("dev.storefront")
        .doesNotContain("io.vertx");
  }
}
