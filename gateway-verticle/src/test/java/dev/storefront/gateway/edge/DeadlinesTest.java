package dev.storefront.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlines on a real event loop with real Vert.x timers. Deadlines may fire late (the machine is
 * shared and noisy, so the upper bounds are loose) but never early (those bounds are exact).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class DeadlinesTest {

  /** Lateness tolerated on a busy machine: the tick, plus however long the loop is held up. */
  private static final long LATE_MS = 500;

  private Context loop;
  private Deadlines deadlines;

  @BeforeEach
  void setUp(Vertx vertx) {
    loop = vertx.getOrCreateContext();
    deadlines = new Deadlines();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  @Test
  void firesOnceItsDurationHasPassedAndNotBefore(VertxTestContext ctx) {
    loop.runOnContext(
        v -> {
          long setAt = System.nanoTime();
          deadlines.start(
              100,
              fired ->
                  ctx.verify(
                      () -> {
                        assertThat(millisSince(setAt)).isBetween(100L, 100 + LATE_MS);
                        assertThat(deadlines.pending()).isZero();
                        ctx.completeNow();
                      }));
          ctx.verify(() -> assertThat(deadlines.pending()).isEqualTo(1));
        });
  }

  @Test
  void deadlinesOfOneDurationFireInTheOrderTheyWereSet(Vertx vertx, VertxTestContext ctx) {
    List<Integer> order = new ArrayList<>();
    loop.runOnContext(
        v -> {
          for (int i = 0; i < 5; i++) {
            int index = i;
            // Set 15 ms apart, so that they expire apart too.
            vertx.setTimer(
                1 + 15L * i,
                t -> {
                  long setAt = System.nanoTime();
                  deadlines.start(
                      100,
                      d -> {
                        order.add(index);
                        ctx.verify(
                            () -> {
                              assertThat(millisSince(setAt)).isGreaterThanOrEqualTo(100);
                              if (order.size() == 5) {
                                assertThat(order).containsExactly(0, 1, 2, 3, 4);
                                ctx.completeNow();
                              }
                            });
                      });
                });
          }
        });
  }

  @Test
  void cancelledDeadlinesNeverFire(Vertx vertx, VertxTestContext ctx) {
    List<Integer> fired = new ArrayList<>();
    loop.runOnContext(
        v -> {
          List<Deadlines.Deadline> set = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            int index = i;
            set.add(deadlines.start(50, d -> fired.add(index)));
          }
          for (int i = 1; i < 10; i += 2) {
            set.get(i).cancel();
          }
          // Cancelling twice changes nothing.
          set.get(1).cancel();
          vertx.setTimer(
              300,
              t ->
                  ctx.verify(
                      () -> {
                        assertThat(fired).containsExactly(0, 2, 4, 6, 8);
                        assertThat(deadlines.pending()).isZero();
                        // Cancelling one that fired changes nothing either.
                        set.get(0).cancel();
                        assertThat(deadlines.pending()).isZero();
                        ctx.completeNow();
                      }));
        });
  }

  @Test
  void deadlinesOfDifferentDurationsFireInTheOrderTheyExpire(Vertx vertx, VertxTestContext ctx) {
    List<String> order = new ArrayList<>();
    loop.runOnContext(
        v -> {
          long setAt = System.nanoTime();
          deadlines.start(300, d -> record(ctx, order, "300 ms", setAt, 300));
          deadlines.start(100, d -> record(ctx, order, "100 ms", setAt, 100));
          deadlines.start(200, d -> record(ctx, order, "200 ms", setAt, 200));
          vertx.setTimer(
              50,
              t -> {
                long laterAt = System.nanoTime();
                deadlines.start(100, d -> record(ctx, order, "50 + 100 ms", laterAt, 100));
              });
        });
  }

  private static void record(
      VertxTestContext ctx, List<String> order, String name, long setAt, long millis) {
    order.add(name);
    ctx.verify(
        () -> {
          assertThat(millisSince(setAt)).as(name).isBetween(millis, millis + LATE_MS);
          if (order.size() == 4) {
            assertThat(order).containsExactly("100 ms", "50 + 100 ms", "200 ms", "300 ms");
            ctx.completeNow();
          }
        });
  }

  @Test
  void anActionRunsOnTheEventLoopAndTheContextThatSetIt(VertxTestContext ctx) {
    // A request's own context, as the HTTP server gives each request.
    ContextInternal request = ((ContextInternal) loop).duplicate();
    Thread[] loopThread = new Thread[1];
    loop.runOnContext(
        v -> {
          loopThread[0] = Thread.currentThread();
          // The first call binds the deadlines to this loop.
          deadlines.start(1_000, d -> {}).cancel();
          request.runOnContext(
              w ->
                  deadlines.start(
                      20,
                      d ->
                          ctx.verify(
                              () -> {
                                assertThat(Thread.currentThread()).isSameAs(loopThread[0]);
                                assertThat(Vertx.currentContext()).isSameAs(request);
                                ctx.completeNow();
                              })));
        });
  }

  @Test
  void isRefusedOffItsEventLoop(Vertx vertx, VertxTestContext ctx) {
    ctx.verify(
        () ->
            assertThatThrownBy(() -> deadlines.start(100, d -> {}))
                .isInstanceOf(IllegalStateException.class));
    EventLoop own = ((ContextInternal) loop).nettyEventLoop();
    loop.runOnContext(
        v -> {
          Deadlines.Deadline deadline = deadlines.start(1_000, d -> {});
          EventLoop other = null;
          for (EventExecutor executor : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            if (executor != own) {
              other = (EventLoop) executor;
            }
          }
          other.execute(
              () -> {
                ctx.verify(
                    () -> {
                      assertThatThrownBy(() -> deadlines.start(100, d -> {}))
                          .isInstanceOf(IllegalStateException.class);
                      assertThatThrownBy(deadline::cancel)
                          .isInstanceOf(IllegalStateException.class);
                    });
                loop.runOnContext(
                    w -> {
                      // Still usable from its own loop.
                      deadline.cancel();
                      ctx.verify(() -> assertThat(deadlines.pending()).isZero());
                      ctx.completeNow();
                    });
              });
        });
  }

  @Test
  void aDurationUnderOneMillisecondIsRefused(VertxTestContext ctx) {
    loop.runOnContext(
        v -> {
          ctx.verify(
              () ->
                  assertThatThrownBy(() -> deadlines.start(0, d -> {}))
                      .isInstanceOf(IllegalArgumentException.class));
          ctx.completeNow();
        });
  }

  @Test
  void oneTimerServesDeadlinesSetTogetherAndNoneIsLeftArmed(Vertx vertx, VertxTestContext ctx) {
    int[] fired = {0};
    loop.runOnContext(
        v -> {
          ctx.verify(() -> assertThat(deadlines.armed()).isFalse());
          List<Deadlines.Deadline> set = new ArrayList<>();
          long first = System.nanoTime();
          for (int i = 0; i < 1_000; i++) {
            set.add(deadlines.start(100, d -> fired[0]++));
          }
          long span = System.nanoTime() - first;
          for (int i = 0; i < 900; i++) {
            set.get(i).cancel();
          }
          ctx.verify(
              () -> {
                assertThat(deadlines.armed()).isTrue();
                assertThat(deadlines.pending()).isEqualTo(100);
              });
          vertx.setTimer(
              500,
              t ->
                  ctx.verify(
                      () -> {
                        assertThat(fired[0]).isEqualTo(100);
                        // Each wake-up fires at least a tick's (10 ms) worth of deadlines: one
                        // for all of them when they were set within a tick.
                        assertThat(deadlines.arms())
                            .isLessThanOrEqualTo(1 + span / TimeUnit.MILLISECONDS.toNanos(10));
                        assertThat(deadlines.armed()).isFalse();
                        assertThat(deadlines.pending()).isZero();
                        assertThat(deadlines.held()).isZero();
                        ctx.completeNow();
                      }));
        });
  }

  @Test
  void cancellingEveryDeadlineLeavesAtMostOneWakeUp(Vertx vertx, VertxTestContext ctx) {
    loop.runOnContext(
        v -> {
          deadlines.start(30, d -> ctx.failNow("a cancelled deadline fired")).cancel();
          vertx.setTimer(
              200,
              t ->
                  ctx.verify(
                      () -> {
                        assertThat(deadlines.arms()).isEqualTo(1);
                        assertThat(deadlines.armed()).isFalse();
                        assertThat(deadlines.held()).isZero();
                        ctx.completeNow();
                      }));
        });
  }

  @Test
  void cancelledDeadlinesDoNotPileUpBehindALongOne(VertxTestContext ctx) {
    loop.runOnContext(
        v ->
            ctx.verify(
                () -> {
                  // A request that stays, at the head of a 30 s lane, while 100,000 come and go.
                  Deadlines.Deadline stays = deadlines.start(30_000, d -> {});
                  int mostHeld = 0;
                  for (int i = 0; i < 100_000; i++) {
                    Deadlines.Deadline passing = deadlines.start(30_000, d -> {});
                    mostHeld = Math.max(mostHeld, deadlines.held());
                    passing.cancel();
                  }
                  assertThat(deadlines.pending()).isEqualTo(1);
                  assertThat(mostHeld).isLessThanOrEqualTo(Deadlines.COMPACT_AT);
                  // Without one that stays, each cancelled deadline goes at the next one set.
                  stays.cancel();
                  for (int i = 0; i < 10_000; i++) {
                    deadlines.start(30_000, d -> {}).cancel();
                  }
                  assertThat(deadlines.held()).isLessThanOrEqualTo(1);
                  assertThat(deadlines.pending()).isZero();
                  ctx.completeNow();
                }));
  }

  @Test
  void anActionThatThrowsStopsNoOther(Vertx vertx, VertxTestContext ctx) {
    Checkpoint reported = ctx.checkpoint();
    Checkpoint secondFired = ctx.checkpoint();
    vertx.exceptionHandler(
        e -> {
          ctx.verify(() -> assertThat(e).hasMessage("broken action"));
          reported.flag();
        });
    loop.runOnContext(
        v -> {
          deadlines.start(
              30,
              d -> {
                throw new IllegalStateException("broken action");
              });
          deadlines.start(30, d -> secondFired.flag());
        });
  }
}
