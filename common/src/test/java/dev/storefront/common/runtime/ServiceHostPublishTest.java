package dev.storefront.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The time limit on publishing a process's endpoint, with a store whose answer the test holds: as a
 * Hazelcast-backed store does while the cluster is in trouble.
 */
class ServiceHostPublishTest {

  private static final long LIMIT_MS = 100;

  private Vertx vertx;
  private final List<Record> takenBack = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPublicationThatLandsInTimeIsKept() throws Exception {
    Record record = record("in-time");

    Record published =
        await(ServiceHost.publishWithin(() -> later(record, 10), this::takeBack, 1_000));

    assertThat(published).isSameAs(record);
    vertx.timer(200).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(takenBack).isEmpty();
  }

  @Test
  void aPublicationHeldUpIsGivenUpAndTakenBackWhenItLandsAfterAll() throws Exception {
    Promise<Record> store = Promise.promise();
    long start = System.nanoTime();

    Future<Record> publication = ServiceHost.publishWithin(store::future, this::takeBack, LIMIT_MS);

    Throwable failure = awaitFailure(publication);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).isInstanceOf(TimeoutException.class);
    assertThat(waitedMillis).isBetween(LIMIT_MS, 5_000L);
    assertThat(takenBack).isEmpty();

    // The store answers at last: that record must not stay beside the one a retry publishes.
    Record late = record("late");
    store.complete(late);
    assertThat(takenBack).containsExactly(late);
  }

  @Test
  void aPublicationTheStoreRefusesFailsAndLeavesNothingToTakeBack() throws Exception {
    Future<Record> publication =
        ServiceHost.publishWithin(
            () -> Future.failedFuture(new IllegalStateException("store closed")),
            this::takeBack,
            LIMIT_MS);

    assertThat(awaitFailure(publication)).hasMessage("store closed");
    assertThat(takenBack).isEmpty();
  }

  private Future<Void> takeBack(Record record) {
    takenBack.add(record);
    return Future.succeededFuture();
  }

  private Future<Record> later(Record record, long millis) {
    return vertx.timer(millis).map(v -> record);
  }

  private static Record record(String registration) {
    return new Record()
        .setName("catalog")
        .setRegistration(registration)
        .setMetadata(new JsonObject());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    return future
        .transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }
}
