package dev.storefront.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch over a process's own discovery record, on a real Vert.x with short intervals. */
class OwnRecordWatchTest {

  private static final long INTERVAL_MS = 50;
  private static final long QUERY_TIMEOUT_MS = 200;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLookThatNeverAnswersIsGivenUpAndTheRecordStillRepublishedOnceGone() throws Exception {
    // The first look hangs, as a store query does while the cluster is in trouble; the next finds
    // the record gone.
    AtomicInteger looks = new AtomicInteger();
    CountDownLatch republished = new CountDownLatch(1);
    new OwnRecordWatch(
            vertx,
            INTERVAL_MS,
            QUERY_TIMEOUT_MS,
            () ->
                looks.incrementAndGet() == 1
                    ? Promise.<Boolean>promise().future()
                    : Future.succeededFuture(false),
            republished::countDown,
            () -> false)
        .start();

    assertThat(republished.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(looks).hasValue(2);
  }

  @Test
  void aRecordInPlaceIsLookedForAgainAndAgainAndAFailedLookIsRetried() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    AtomicBoolean republished = new AtomicBoolean();
    CountDownLatch fiveLooks = new CountDownLatch(5);
    new OwnRecordWatch(
            vertx,
            INTERVAL_MS,
            QUERY_TIMEOUT_MS,
            () -> {
              fiveLooks.countDown();
              return looks.incrementAndGet() == 2
                  ? Future.failedFuture("partition migrating")
                  : Future.succeededFuture(true);
            },
            () -> republished.set(true),
            () -> false)
        .start();

    assertThat(fiveLooks.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(republished).isFalse();
  }

  @Test
  void aWithdrawingProcessStopsLookingAndNeverRepublishes() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    AtomicBoolean withdrawing = new AtomicBoolean();
    AtomicBoolean republished = new AtomicBoolean();
    new OwnRecordWatch(
            vertx,
            INTERVAL_MS,
            QUERY_TIMEOUT_MS,
            () -> {
              looks.incrementAndGet();
              // Withdrawal began while this look was under way; it then finds the record gone.
              withdrawing.set(true);
              return Future.succeededFuture(false);
            },
            () -> republished.set(true),
            withdrawing::get)
        .start();

    Thread.sleep(10 * INTERVAL_MS);
    assertThat(looks).hasValue(1);
    assertThat(republished).isFalse();
  }
}
