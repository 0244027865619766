package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.gateway.identity.PasswordHasher.TooManySignIns;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PasswordHasherTest {

  /** Cheap costs for the tests of the queue: what is counted, not what is hashed. */
  private static final int CHEAP_KIB = 1_024;

  private final MeterRegistry registry = new SimpleMeterRegistry();

  /** Holds the hasher's threads busy until released; released after every test whatever it did. */
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void release() {
    gate.countDown();
  }

  private PasswordHasher hasher(Vertx vertx) {
    return new PasswordHasher(vertx, 2, 64, registry);
  }

  private PasswordHasher cheap(Vertx vertx, int threads, int queue) {
    return new PasswordHasher(vertx, threads, queue, registry, CHEAP_KIB, 1);
  }

  /**
   * Takes the only thread of the hasher's executor until {@link #gate} opens: what the hasher
   * submits meanwhile waits, pending, behind it.
   */
  private void holdTheThread(Vertx vertx) {
    vertx
        .createSharedWorkerExecutor(PasswordHasher.EXECUTOR, 1)
        .executeBlocking(
            () -> {
              gate.await();
              return null;
            },
            false);
  }

  private double pendingGauge() {
    return registry.get(PasswordHasher.PENDING).gauge().value();
  }

  private double refusedCount() {
    return registry.get(PasswordHasher.REFUSED).counter().count();
  }

  @Test
  void aHashIsArgon2idWithTheDocumentedParametersAndVerifies(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = hasher(vertx);
    hasher
        .hash("correct horse battery")
        .compose(
            hash ->
                Future.all(
                        hasher.verify("correct horse battery", hash),
                        hasher.verify("correct horse batterY", hash))
                    .map(all -> new Object[] {hash, all.resultAt(0), all.resultAt(1)}))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat((String) r[0]).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
                          assertThat((Boolean) r[1]).isTrue();
                          assertThat((Boolean) r[2]).isFalse();
                          ctx.completeNow();
                        })));
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = hasher(vertx);
    Future.all(hasher.hash("correct horse battery"), hasher.hash("correct horse battery"))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          assertThat((String) all.resultAt(0)).isNotEqualTo(all.resultAt(1));
                          ctx.completeNow();
                        })));
  }

  @Test
  void theDecoyNeverMatchesAndCostsARealCheck(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = hasher(vertx);
    long start = System.nanoTime();
    hasher
        .verifyDecoy("anything at all")
        .compose(first -> hasher.verifyDecoy("anything at all").map(second -> first || second))
        .onComplete(
            ctx.succeeding(
                matched ->
                    ctx.verify(
                        () -> {
                          assertThat(matched).isFalse();
                          // First call hashes the decoy and checks it, second call checks: 3 argon2
                          // runs of ~19 MiB, which cannot take under 10 ms.
                          assertThat(System.nanoTime() - start).isGreaterThan(10_000_000L);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aHashThatIsNotArgon2NeverMatches(Vertx vertx, VertxTestContext ctx) {
    hasher(vertx)
        .verify("correct horse battery", "plain text")
        .onComplete(
            ctx.succeeding(
                ok ->
                    ctx.verify(
                        () -> {
                          assertThat(ok).isFalse();
                          ctx.completeNow();
                        })));
  }

  @Test
  void beyondTheQueueHashesAreRefusedAtOnceWithA503ToRetry(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = cheap(vertx, 1, 2);
    Promise<List<Future<String>>> fired = Promise.promise();
    // Fired from one event loop turn: none can finish and give its place back in between.
    vertx.runOnContext(
        v -> {
          List<Future<String>> burst = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            burst.add(hasher.hash("correct horse battery " + i));
          }
          ctx.verify(() -> assertThat(hasher.pending()).isEqualTo(2));
          fired.complete(burst);
        });
    fired
        .future()
        .compose(burst -> Future.join(burst).otherwiseEmpty().map(done -> burst))
        .onComplete(
            ctx.succeeding(
                burst ->
                    ctx.verify(
                        () -> {
                          assertThat(burst.stream().filter(Future::succeeded)).hasSize(2);
                          List<Throwable> refusals =
                              burst.stream().filter(Future::failed).map(Future::cause).toList();
                          assertThat(refusals).hasSize(3);
                          for (Throwable refusal : refusals) {
                            assertThat(refusal).isInstanceOf(TooManySignIns.class);
                            TooManySignIns busy = (TooManySignIns) refusal;
                            assertThat(busy.status()).isEqualTo(503);
                            assertThat(busy.retryAfterSeconds()).isEqualTo(1);
                            assertThat(busy.type()).isEqualTo(TooManySignIns.TYPE);
                            assertThat(busy.detail())
                                .isEqualTo("Too many sign-ins at once; try again in a moment");
                            assertThat(busy.extensions().getLong("retryAfter")).isEqualTo(1L);
                          }
                          assertThat(refusedCount()).isEqualTo(3.0);
                          assertThat(hasher.pending()).isZero();
                          assertThat(pendingGauge()).isZero();
                        })))
        // Places given back: hashes succeed again.
        .compose(burst -> Future.all(hasher.hash("again one"), hasher.hash("again two")))
        .onComplete(
            ctx.succeeding(
                again ->
                    ctx.verify(
                        () -> {
                          assertThat((String) again.resultAt(0)).startsWith("$argon2id$");
                          assertThat(refusedCount()).isEqualTo(3.0);
                          assertThat(pendingGauge()).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void checksAndTheDecoyTakeAPlaceInTheSameQueue(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = cheap(vertx, 1, 2);
    holdTheThread(vertx);
    Future<String> hash = hasher.hash("correct horse battery");
    Future<Boolean> decoy = hasher.verifyDecoy("correct horse battery");
    Future<Boolean> check = hasher.verify("correct horse battery", "$argon2id$whatever");
    Future<Boolean> anotherDecoy = hasher.verifyDecoy("correct horse battery");
    ctx.verify(
        () -> {
          assertThat(pendingGauge()).isEqualTo(2.0);
          assertThat(hash.isComplete()).isFalse();
          assertThat(decoy.isComplete()).isFalse();
          assertThat(check.cause()).isInstanceOf(TooManySignIns.class);
          assertThat(anotherDecoy.cause()).isInstanceOf(TooManySignIns.class);
          assertThat(refusedCount()).isEqualTo(2.0);
        });
    gate.countDown();
    Future.all(hash, decoy)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          assertThat(decoy.result()).isFalse();
                          assertThat(pendingGauge()).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aFailureInsideTheWorkGivesItsPlaceBack(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = cheap(vertx, 1, 1);
    hasher
        .<String>submit(
            () -> {
              throw new IllegalStateException("broken");
            })
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e).isInstanceOf(IllegalStateException.class);
                          assertThat(hasher.pending()).isZero();
                          assertThat(pendingGauge()).isZero();
                        })))
        .recover(e -> hasher.hash(null))
        .onComplete(ctx.failing(e -> ctx.verify(() -> assertThat(hasher.pending()).isZero())))
        .recover(e -> hasher.hash("correct horse battery"))
        .onComplete(
            ctx.succeeding(
                hash ->
                    ctx.verify(
                        () -> {
                          assertThat(hash).startsWith("$argon2id$");
                          assertThat(refusedCount()).isZero();
                          assertThat(pendingGauge()).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void theWorkRunsOnTheHashersOwnThreads(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = cheap(vertx, 1, 4);
    hasher
        .submit(() -> Thread.currentThread().getName())
        .onComplete(
            ctx.succeeding(
                name ->
                    ctx.verify(
                        () -> {
                          assertThat(name).startsWith(PasswordHasher.EXECUTOR);
                          ctx.completeNow();
                        })));
  }

  @Test
  void everyHasherOfTheProcessSharesOneQueue(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher first = cheap(vertx, 1, 1);
    PasswordHasher second = cheap(vertx, 1, 1);
    holdTheThread(vertx);
    Future<String> taken = first.hash("correct horse battery");
    Future<String> refused = second.hash("correct horse battery");
    ctx.verify(() -> assertThat(refused.cause()).isInstanceOf(TooManySignIns.class));
    gate.countDown();
    taken
        // One hasher closing leaves the shared executor to the other.
        .compose(hash -> first.close())
        .compose(closed -> second.hash("correct horse battery"))
        .onComplete(
            ctx.succeeding(
                hash ->
                    ctx.verify(
                        () -> {
                          assertThat(hash).startsWith("$argon2id$");
                          assertThat(second.pending()).isZero();
                          ctx.completeNow();
                        })));
  }
}
