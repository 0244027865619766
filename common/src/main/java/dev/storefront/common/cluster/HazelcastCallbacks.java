package dev.storefront.common.cluster;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Hazelcast runs the callbacks of its asynchronous operations: a pool of reused threads.
 *
 * <p>Hazelcast hands every callback on a completed operation ({@code whenComplete}, and so every
 * {@code Future.fromCompletionStage} over one, which is how Vert.x's cluster manager and the
 * rate-limit store wait for the cluster) to its default executor. That is the JDK's common pool
 * when the pool has more than one thread, and otherwise a <em>new thread per callback</em>. The
 * common pool has one thread on a 2-core machine or a container limited to 2 CPUs, so there each
 * rate-limit top-up, cart read or clustered map write started and ended a thread: about a
 * millisecond of CPU each, and a burst of them under load.
 *
 * <p>The pool keeps the semantics of a thread per callback (a callback that blocks holds up no
 * other) while reusing idle threads, and names them so that thread dumps say whose they are.
 */
public final class HazelcastCallbacks {

  static final String THREAD_PREFIX = "hz-callback-";

  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Idle threads end after a minute; a burst's threads serve the next burst if it comes sooner. */
  private static final Executor POOL =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          task -> {
            Thread thread = new Thread(task, THREAD_PREFIX + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private HazelcastCallbacks() {}

  /** Makes the pool Hazelcast's default executor for this process; idempotent. */
  public static void install() {
    if (ConcurrencyUtil.getDefaultAsyncExecutor() != POOL) {
      ConcurrencyUtil.setDefaultAsyncExecutor(POOL);
    }
  }
}
