package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request id: adopted when well formed, replaced otherwise, echoed on the response, and
 * readable from any callback of the request through {@link RequestIds#current()}.
 */
@ExtendWith(VertxExtension.class)
class RequestIdsTest {

  private Vertx vertx;
  private WebClient client;
  private WebClient downstream;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    downstream = WebClient.create(vertx);
    Router router = ServiceRouter.create(vertx);
    router.get("/now").handler(rc -> reply(rc, RequestIds.current()));
    router
        .get("/after-timer")
        .handler(rc -> vertx.timer(10).onComplete(t -> reply(rc, RequestIds.current())));
    router
        .get("/after-call")
        .handler(
            rc ->
                // Its own client: outer requests hold the test client's connections meanwhile.
                downstream
                    .get(port, "127.0.0.1", "/now")
                    .send()
                    .onComplete(
                        ar ->
                            rc.json(
                                new JsonObject()
                                    .put("current", RequestIds.current())
                                    .put("routing", RequestIds.of(rc))
                                    .put(
                                        "downstream",
                                        ar.result().bodyAsJsonObject().getString("current")))));
    router
        .get("/after-blocking")
        .handler(
            rc ->
                vertx
                    .executeBlocking(RequestIds::current)
                    .onComplete(
                        ar ->
                            rc.json(
                                new JsonObject()
                                    .put("current", RequestIds.current())
                                    .put("routing", RequestIds.of(rc))
                                    .put("inBlocking", ar.result()))));
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

  private static void reply(RoutingContext rc, String current) {
    rc.json(new JsonObject().put("current", current).put("routing", RequestIds.of(rc)));
  }

  @Test
  void aWellFormedIncomingIdIsAdoptedAndEchoed(VertxTestContext ctx) {
    String id = "gw-7f3a.01:req_42-B";
    expect(
        ctx,
        get("/now", id),
        response -> {
          assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo(id);
          assertThat(response.bodyAsJsonObject().getString("current")).isEqualTo(id);
          assertThat(response.bodyAsJsonObject().getString("routing")).isEqualTo(id);
        });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "has spaces in it",
        "semi;colon",
        "dollar$sign",
        "quote\"d",
        "<script>",
        "slash/ed",
        "hash#tag",
      })
  void aMalformedIdIsReplacedByAFreshUuid(String malformed, VertxTestContext ctx) {
    expect(ctx, get("/now", malformed), response -> assertFreshUuid(response, malformed));
  }

  @Test
  void anOverlongIdIsReplaced(VertxTestContext ctx) {
    String overlong = "a".repeat(200);
    expect(ctx, get("/now", overlong), response -> assertFreshUuid(response, overlong));
  }

  @Test
  void anIdOfExactly128CharactersIsKept(VertxTestContext ctx) {
    String longest = "b".repeat(128);
    expect(
        ctx,
        get("/now", longest),
        response -> assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo(longest));
  }

  @Test
  void withoutAnIncomingIdEveryRequestGetsItsOwn(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> first = get("/now", null);
    Future<HttpResponse<Buffer>> second = get("/now", null);
    Future.all(first, second)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          String a = assertFreshUuid(first.result(), null);
                          String b = assertFreshUuid(second.result(), null);
                          assertThat(a).isNotEqualTo(b);
                          ctx.completeNow();
                        })));
  }

  @Test
  void unknownPathsEchoTheIdToo(VertxTestContext ctx) {
    expect(
        ctx,
        get("/no/such/route", "lost-1"),
        response -> {
          assertThat(response.statusCode()).isEqualTo(404);
          assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo("lost-1");
        });
  }

  @Test
  void currentSurvivesATimerHop(VertxTestContext ctx) {
    expect(
        ctx,
        get("/after-timer", "timer-hop-1"),
        response ->
            assertThat(response.bodyAsJsonObject().getString("current")).isEqualTo("timer-hop-1"));
  }

  @Test
  void currentSurvivesAnHttpCallAndTheCalleeHasItsOwnId(VertxTestContext ctx) {
    expect(
        ctx,
        get("/after-call", "outer-1"),
        response -> {
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getString("current")).isEqualTo("outer-1");
          assertThat(body.getString("routing")).isEqualTo("outer-1");
          // The inner request was not given the id, so it has a fresh one of its own.
          assertThat(body.getString("downstream")).isNotNull().isNotEqualTo("outer-1");
        });
  }

  @Test
  void currentIsReadableInBlockingCodeOfTheRequest(VertxTestContext ctx) {
    expect(
        ctx,
        get("/after-blocking", "blocking-1"),
        response -> {
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getString("inBlocking")).isEqualTo("blocking-1");
          assertThat(body.getString("current")).isEqualTo("blocking-1");
        });
  }

  @Test
  void concurrentRequestsOnOneEventLoopKeepTheirOwnIds(VertxTestContext ctx) {
    int requests = 20;
    Checkpoint answered = ctx.checkpoint(requests);
    for (int i = 0; i < requests; i++) {
      String id = "concurrent-" + i;
      get(i % 2 == 0 ? "/after-timer" : "/after-call", id)
          .onComplete(
              ctx.succeeding(
                  response ->
                      ctx.verify(
                          () -> {
                            assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo(id);
                            assertThat(response.bodyAsJsonObject().getString("current"))
                                .isEqualTo(id);
                            answered.flag();
                          })));
    }
  }

  @Test
  void outsideARequestThereIsNoId(VertxTestContext ctx) {
    assertThat(RequestIds.current()).isNull();
    vertx.runOnContext(
        v ->
            ctx.verify(
                () -> {
                  assertThat(RequestIds.current()).isNull();
                  ctx.completeNow();
                }));
  }

  @Test
  void bindingOnAnEventLoopContextItselfIsIgnored(VertxTestContext ctx) {
    // Only a request's duplicated context may carry an id; the event loop's own context is
    // shared by every request it serves.
    vertx.runOnContext(
        v ->
            ctx.verify(
                () -> {
                  RequestIds.bind("leak-1");
                  assertThat(RequestIds.current()).isNull();
                  ctx.completeNow();
                }));
  }

  @Test
  void adoptKeepsWellFormedIdsAndReplacesTheRest() {
    assertThat(RequestIds.adopt("abc-123")).isEqualTo("abc-123");
    assertThat(RequestIds.adopt("x".repeat(128))).hasSize(128);
    assertThat(UUID.fromString(RequestIds.adopt(null))).isNotNull();
    assertThat(UUID.fromString(RequestIds.adopt(""))).isNotNull();
    assertThat(UUID.fromString(RequestIds.adopt("x".repeat(129)))).isNotNull();
    assertThat(UUID.fromString(RequestIds.adopt("a b"))).isNotNull();
  }

  @Test
  void wellFormedIsExactlyTheDocumentedCharacterSet() {
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    for (char c = 0; c < 0x250; c++) {
      String one = String.valueOf(c);
      assertThat(RequestIds.wellFormed(one))
          .as("U+%04X", (int) c)
          .isEqualTo(rule.matcher(one).matches());
      String inside = "req-" + c + "-1";
      assertThat(RequestIds.wellFormed(inside))
          .as("U+%04X inside", (int) c)
          .isEqualTo(rule.matcher(inside).matches());
    }
    assertThat(RequestIds.wellFormed("a".repeat(128))).isTrue();
    assertThat(RequestIds.wellFormed("a".repeat(129))).isFalse();
    assertThat(RequestIds.wellFormed("")).isFalse();
    assertThat(RequestIds.wellFormed(null)).isFalse();
  }

  @Test
  void createdIdsAreDistinctVersion4Uuids() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.create();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.toString()).isEqualTo(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  private Future<HttpResponse<Buffer>> get(String path, String requestId) {
    var request = client.get(port, "127.0.0.1", path);
    if (requestId != null) {
      request.putHeader(RequestIds.HEADER, requestId);
    }
    return request.send();
  }

  private static String assertFreshUuid(HttpResponse<Buffer> response, String rejected) {
    String id = response.getHeader(RequestIds.HEADER);
    assertThat(id).isNotNull().isNotEqualTo(rejected);
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(response.bodyAsJsonObject().getString("current")).isEqualTo(id);
    return id;
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
}
