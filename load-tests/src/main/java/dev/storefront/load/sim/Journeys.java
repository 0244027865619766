package dev.storefront.load.sim;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Year;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The visitors' journeys through the public API. Every request is in a group named after what it
 * belongs to (catalog, auth, cart, checkout, notifications; "order final" spans a checkout's wait
 * for its final state), and the SLOs are set per group.
 */
final class Journeys {

  static final String APPROVED_CARD = "4242424242424242";
  static final String DECLINED_CARD = "4000000000000002";
  static final String INSUFFICIENT_STOCK = "urn:storefront:problem:insufficient-stock";

  /** How long a shopper waits for the order to be confirmed or cancelled, polling. */
  private static final Duration FINAL_WITHIN = Duration.ofSeconds(30);

  private static final Duration POLL_EVERY = Duration.ofMillis(500);

  private final Workload workload;
  private final CatalogSample catalog;
  private final Accounts accounts;
  private final JourneyCounts counts;
  private final HttpClient streamClient;
  private final ScheduledExecutorService timer;
  private volatile long arrivalsEndMillis;

  Journeys(
      Workload workload,
      CatalogSample catalog,
      Accounts accounts,
      JourneyCounts counts,
      HttpClient streamClient,
      ScheduledExecutorService timer) {
    this.workload = workload;
    this.catalog = catalog;
    this.accounts = accounts;
    this.counts = counts;
    this.streamClient = streamClient;
    this.timer = timer;
  }

  /** Called as the run starts: listeners stay until the last visitor has arrived. */
  void startClock() {
    arrivalsEndMillis = System.currentTimeMillis() + workload.arrivalSeconds() * 1000L;
  }

  /**
   * Each visitor comes from an address of its own (from 198.18.0.0/15, the range set aside for
   * benchmarks), sent as X-Forwarded-For: a target that trusts it applies its per-client limits per
   * visitor, as it would to real visitors; one that does not sees one client.
   */
  ChainBuilder arrive() {
    return exec(
        session -> {
          long id = session.userId();
          String address =
              "198." + (18 + ((id >> 16) & 1)) + "." + ((id >> 8) & 255) + "." + (id & 255);
          return session.set("visitor", address);
        });
  }

  /** Home page, a search, a category, two or three products, then back to the first one. */
  ChainBuilder browse() {
    return exec(think())
        .exec(request("catalog", http("home page").get("/api/products?page=1&size=20"), 200))
        .exec(think())
        .exec(session -> session.set("term", catalog.searchTerm()))
        .exec(
            request(
                "catalog",
                http("search")
                    .get("/api/products")
                    .queryParam("q", "#{term}")
                    .queryParam("size", 20),
                200))
        .exec(think())
        .exec(session -> session.set("category", catalog.category()))
        .exec(
            request(
                "catalog",
                http("category page")
                    .get("/api/products")
                    .queryParam("category", "#{category}")
                    .queryParam("size", 20),
                200))
        .repeat(session -> 2 + ThreadLocalRandom.current().nextInt(2), "productPage")
        .on(
            exec(think())
                .exec(session -> session.set("productId", catalog.product()))
                .exec(
                    request(
                        "catalog",
                        http("product page")
                            .get("/api/products/#{productId}")
                            .check(header("ETag").saveAs("etag")),
                        200))
                .doIf(session -> session.getInt("productPage") == 0 && session.contains("etag"))
                .then(
                    exec(
                        session ->
                            session
                                .set("firstProductId", session.getString("productId"))
                                .set("firstEtag", session.getString("etag")))))
        // Back to the first product: the browser revalidates its copy with the ETag.
        .doIf(session -> session.contains("firstEtag"))
        .then(
            exec(think())
                .exec(
                    request(
                        "catalog",
                        http("product page again")
                            .get("/api/products/#{firstProductId}")
                            .header("If-None-Match", "#{firstEtag}"),
                        200,
                        304))
                .exec(
                    session -> {
                      counts.add(
                          "catalog.revalidated."
                              + (lastStatus(session) == 304 ? "notModified" : "changed"));
                      return session;
                    }));
  }

  /**
   * Signs up, or signs in to a free account of the run; puts one to three products in the cart,
   * views it, checks out, follows the order until it is final, reads the feed.
   */
  ChainBuilder shop() {
    return exec(think())
        .exec(
            session -> {
              String returning =
                  ThreadLocalRandom.current().nextInt(100) < workload.returningPercent()
                      ? accounts.take()
                      : null;
              return returning == null
                  ? session.set("email", accounts.newEmail()).set("returning", false)
                  : session.set("email", returning).set("returning", true);
            })
        .doIfOrElse(session -> session.getBoolean("returning"))
        .then(signIn())
        .orElse(signUp())
        .exitHereIfFailed()
        .repeat(session -> 1 + ThreadLocalRandom.current().nextInt(3), "line")
        .on(
            exec(think())
                .exec(
                    session ->
                        session
                            .set("productId", catalog.productInStock())
                            .set("quantity", 1 + ThreadLocalRandom.current().nextInt(2)))
                .exec(
                    request("catalog", http("product page").get("/api/products/#{productId}"), 200))
                .exec(
                    request(
                        "cart",
                        signedIn(http("add to cart").put("/api/cart/items/#{productId}"))
                            .body(StringBody("{\"quantity\":#{quantity}}"))
                            .asJson(),
                        200)))
        .exec(request("cart", signedIn(http("view cart").get("/api/cart")), 200))
        .exec(think())
        .exec(
            session ->
                session
                    .set("idempotencyKey", UUID.randomUUID().toString())
                    .set("expYear", Year.now().getValue() + 3)
                    .set(
                        "card",
                        ThreadLocalRandom.current().nextInt(100) < workload.declinedPercent()
                            ? DECLINED_CARD
                            : APPROVED_CARD))
        // The card goes to the payment service once, for a token; checkout names only the token.
        .exec(
            request(
                "checkout",
                signedIn(http("tokenize card").post("/api/payments/tokens"))
                    .body(
                        StringBody(
                            "{\"number\":\"#{card}\",\"expMonth\":12,\"expYear\":#{expYear},"
                                + "\"cvc\":\"123\"}"))
                    .asJson()
                    .check(jsonPath("$.token").saveAs("paymentToken")),
                201))
        .exitHereIfFailed()
        .exec(
            request(
                "checkout",
                signedIn(http("place order").post("/api/orders"))
                    .header("Idempotency-Key", "#{idempotencyKey}")
                    .body(StringBody("{\"paymentToken\":\"#{paymentToken}\"}"))
                    .asJson()
                    .check(jsonPath("$.id").optional().saveAs("orderId"))
                    // A conflict is only acceptable when a product sold out meanwhile.
                    .checkIf((response, session) -> response.status().code() == 409)
                    .then(jsonPath("$.type").is(INSUFFICIENT_STOCK)),
                201,
                409))
        .doIfOrElse(session -> session.contains("orderId"))
        .then(awaitFinalOrder())
        .orElse(
            exec(
                session -> {
                  if (lastStatus(session) == 409) {
                    counts.add("checkout.soldOut");
                  }
                  return session;
                }))
        .exec(
            request("notifications", signedIn(http("feed").get("/api/notifications?size=20")), 200))
        .exec(
            session -> {
              accounts.free(session.getString("email"));
              return session;
            });
  }

  /**
   * Signs up, reads the feed, then holds the notification stream open until the last visitor of the
   * run has arrived; meanwhile its account is free for returning shoppers, whose orders the stream
   * then reports.
   */
  ChainBuilder listen() {
    return exec(session -> session.set("email", accounts.newEmail()).set("returning", false))
        .exec(signUp())
        .exitHereIfFailed()
        .exec(
            request(
                "notifications",
                signedIn(http("feed").get("/api/notifications?size=20"))
                    .check(jsonPath("$.items[0].id").optional().saveAs("newestId")),
                200))
        .exec(
            session -> {
              long after =
                  session.contains("newestId") ? Long.parseLong(session.getString("newestId")) : 0;
              EventStream stream =
                  new EventStream(
                      streamClient,
                      timer,
                      counts,
                      workload.target(),
                      session.getString("token"),
                      session.getString("visitor"),
                      after);
              return session.set("stream", stream).set("streamOpened", stream.open());
            })
        .asLongAs(session -> !session.<CompletableFuture<Integer>>get("streamOpened").isDone())
        .on(pause(Duration.ofMillis(50)))
        .exec(
            session ->
                session.<CompletableFuture<Integer>>get("streamOpened").getNow(0) == 200
                    ? session
                    : session.markAsFailed())
        .exitHereIfFailed()
        .exec(
            session -> {
              accounts.free(session.getString("email"));
              return session;
            })
        .pause(
            session ->
                Duration.ofMillis(Math.max(1000, arrivalsEndMillis - System.currentTimeMillis())))
        .exec(
            session -> {
              session.<EventStream>get("stream").close();
              return session;
            });
  }

  private ChainBuilder signUp() {
    return exec(request(
            "auth", http("sign up").post("/api/auth/register").body(credentials()).asJson(), 201))
        .exitHereIfFailed()
        .exec(signIn())
        .exec(
            session -> {
              counts.add("accounts.signedUp");
              return session;
            });
  }

  private ChainBuilder signIn() {
    return exec(session -> {
          if (session.getBoolean("returning")) {
            counts.add("accounts.signedIn");
          }
          return session;
        })
        .exec(
            request(
                "auth",
                http("sign in")
                    .post("/api/auth/login")
                    .body(credentials())
                    .asJson()
                    .check(jsonPath("$.access_token").saveAs("token")),
                200));
  }

  /** Polls the order until it is confirmed or cancelled; the group's duration is the wait. */
  private ChainBuilder awaitFinalOrder() {
    int polls = (int) (FINAL_WITHIN.toMillis() / POLL_EVERY.toMillis());
    return exec(session -> session.set("orderStatus", "pending").set("pollsLeft", polls))
        .exec(
            group("order final")
                .on(
                    asLongAs(
                            session ->
                                "pending".equals(session.getString("orderStatus"))
                                    && session.getInt("pollsLeft") > 0)
                        .on(
                            pause(POLL_EVERY)
                                .exec(
                                    session ->
                                        session.set("pollsLeft", session.getInt("pollsLeft") - 1))
                                .exec(
                                    signedIn(http("order status").get("/api/orders/#{orderId}"))
                                        .check(status().is(200))
                                        .check(jsonPath("$.status").saveAs("orderStatus"))))
                        .exec(this::orderOutcome)));
  }

  /** Counts the order's end; an order never final, or final the wrong way, fails the group. */
  private Session orderOutcome(Session session) {
    String state = session.getString("orderStatus");
    boolean approved = APPROVED_CARD.equals(session.getString("card"));
    if ("pending".equals(state)) {
      counts.add("orders.notFinal");
      return session.markAsFailed();
    }
    counts.add("orders." + state);
    if (approved != "confirmed".equals(state)) {
      counts.add("orders.unexpected");
      return session.markAsFailed();
    }
    return session;
  }

  private static io.gatling.javaapi.core.Body.WithString credentials() {
    return StringBody(
        session ->
            "{\"email\":\""
                + session.getString("email")
                + "\",\"password\":\""
                + Accounts.PASSWORD
                + "\"}");
  }

  private static HttpRequestActionBuilder signedIn(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{token}");
  }

  /**
   * One request in its group, expecting one of {@code expected}; a 429 is counted apart, as the
   * target's rate limit rather than an error of the system.
   */
  private ChainBuilder request(
      String group, HttpRequestActionBuilder request, Integer... expected) {
    return exec(session -> session.remove("status"))
        .exec(
            group(group).on(exec(request.check(status().saveAs("status"), status().in(expected)))))
        .exec(
            session -> {
              if (lastStatus(session) == 429) {
                counts.add("rateLimited." + group);
              }
              return session;
            });
  }

  private static int lastStatus(Session session) {
    return session.contains("status") ? session.getInt("status") : 0;
  }

  /** A pause of 0.5 to 1.5 times the mean think time, or none. */
  private ChainBuilder think() {
    long mean = Math.round(workload.thinkSeconds() * 1000);
    if (mean <= 0) {
      return exec(session -> session);
    }
    return exec(pause(Duration.ofMillis(mean / 2), Duration.ofMillis(mean * 3 / 2)));
  }
}
