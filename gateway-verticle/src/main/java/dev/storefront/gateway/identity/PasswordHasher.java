package dev.storefront.gateway.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id password hashes (PHC string format, parameters and a random 16-byte salt inside each
 * hash), with password4j. Parameters are OWASP's first recommendation for argon2id: 19 MiB of
 * memory, 2 passes, 1 lane, a 32-byte tag; about 30 ms of one core. Checks compare in constant time
 * (password4j's slowEquals), and reading parameters from the stored hash lets them be raised later
 * without breaking old hashes.
 *
 * <p>Hashing and checking are CPU work that holds 19 MiB while it runs, so they run neither on an
 * event loop nor on the shared worker pool (20 threads: a burst of sign-ins would hold 20 × 19 MiB
 * and queue the gateway's other blocking work behind it), but on their own worker executor, {@value
 * #EXECUTOR}, of {@code PASSWORD_HASH_THREADS} threads (unordered, so logins proceed in parallel):
 * more threads than cores would not finish sooner, and the memory in use stays under threads × 19
 * MiB. At most {@code PASSWORD_HASH_QUEUE} hashes and checks wait or run at once in the process;
 * beyond that one fails at once with {@link TooManySignIns}, a 503 to try again in {@value
 * #RETRY_AFTER_S} s, rather than wait behind a queue that could only grow. Registration, login and
 * the decoy check for an unknown address all take a place in it, so the decoy costs what a real
 * check costs in this respect too.
 *
 * <p>The executor and the count are per Vert.x instance, shared by every verticle instance (the
 * settings of the first hasher made apply). Meters: {@value #PENDING} (waiting and running) and
 * {@value #REFUSED} ({@code _total} in Prometheus).
 */
public final class PasswordHasher {

  public static final int MEMORY_KIB = 19_456;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  public static final int TAG_BYTES = 32;
  public static final int SALT_BYTES = 16;

  /** Name of the worker executor (and prefix of its threads' names). */
  public static final String EXECUTOR = "password-hasher";

  /** Seconds a refused sign-in waits before trying again. */
  public static final long RETRY_AFTER_S = 1;

  static final String PENDING = "storefront_gateway_password_hashes_pending";
  static final String REFUSED = "storefront_gateway_password_hashes_refused";

  private static final String SHARED_MAP = PasswordHasher.class.getName();

  private final WorkerExecutor executor;
  private final Gate gate;
  private final Counter refused;
  private final Argon2Function function;
  private volatile String decoy;

  /** With the threads and queue of {@code config}, and the production costs. */
  public PasswordHasher(Vertx vertx, IdentityConfig config, MeterRegistry registry) {
    this(vertx, config.passwordHashThreads(), config.passwordHashQueue(), registry);
  }

  public PasswordHasher(Vertx vertx, int threads, int queue, MeterRegistry registry) {
    this(vertx, threads, queue, registry, MEMORY_KIB, ITERATIONS);
  }

  /** Other costs: tests, or a machine that needs them. */
  public PasswordHasher(
      Vertx vertx, int threads, int queue, MeterRegistry registry, int memoryKib, int iterations) {
    if (threads < 1 || queue < 1) {
      throw new IllegalArgumentException(
          "threads and queue must be at least 1, got " + threads + " and " + queue);
    }
    this.function =
        Argon2Function.getInstance(memoryKib, iterations, PARALLELISM, TAG_BYTES, Argon2.ID);
    this.gate =
        vertx
            .sharedData()
            .<String, Gate>getLocalMap(SHARED_MAP)
            .computeIfAbsent("gate", k -> new Gate(queue));
    Gauge.builder(PENDING, gate, Gate::pending)
        .description("Password hashes and checks waiting or running")
        .register(registry);
    this.refused =
        Counter.builder(REFUSED)
            .description(
                "Password hashes and checks refused with 503 because too many were pending")
            .register(registry);
    // Shared by name, counted by reference: each hasher closes its own hold on it.
    this.executor = vertx.createSharedWorkerExecutor(EXECUTOR, threads);
  }

  public Future<String> hash(String password) {
    return submit(() -> hashNow(password));
  }

  /** Whether {@code password} matches {@code hash}; false for a hash that cannot be read. */
  public Future<Boolean> verify(String password, String hash) {
    return submit(() -> verifyNow(password, hash));
  }

  /**
   * Spends the time of a real check against a hash of the same parameters and answers false: a
   * login for an unknown address must take as long as one with a wrong password, or response times
   * would tell which addresses have accounts.
   */
  public Future<Boolean> verifyDecoy(String password) {
    return submit(
        () -> {
          String target = decoy;
          if (target == null) {
            target = hashNow(UUID.randomUUID().toString());
            decoy = target;
          }
          verifyNow(password, target);
          return false;
        });
  }

  /** Hashes and checks waiting or running in this process. */
  public int pending() {
    return gate.pending();
  }

  /** Lets go of this hasher's hold on the shared executor; the last one closes it. */
  public Future<Void> close() {
    return executor.close();
  }

  /**
   * Runs {@code work} on the executor if the process has a place for it, else fails at once with
   * {@link TooManySignIns}. The place is given back when the work ends, whichever way.
   */
  <T> Future<T> submit(Callable<T> work) {
    if (!gate.tryEnter()) {
      refused.increment();
      return Future.failedFuture(new TooManySignIns());
    }
    Future<T> result;
    try {
      result = executor.executeBlocking(work, false);
    } catch (RuntimeException e) {
      gate.leave();
      return Future.failedFuture(e);
    }
    return result.andThen(done -> gate.leave());
  }

  private String hashNow(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
  }

  private static boolean verifyNow(String password, String hash) {
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * 503 (problem type {@code too-many-sign-ins}): more hashes and checks are pending than {@code
   * PASSWORD_HASH_QUEUE}. Its {@code retryAfter} extension becomes the answer's {@code Retry-After}
   * in the problem handler.
   */
  public static final class TooManySignIns extends ProblemException {

    public static final String TYPE = Problems.type("too-many-sign-ins");

    public TooManySignIns() {
      super(
          503,
          TYPE,
          Problems.reason(503),
          "Too many sign-ins at once; try again in a moment",
          new JsonObject().put("retryAfter", RETRY_AFTER_S));
    }

    public long retryAfterSeconds() {
      return RETRY_AFTER_S;
    }
  }

  /** The hashes and checks pending in one Vert.x instance, and how many may be. */
  static final class Gate implements Shareable {

    private final AtomicInteger pending = new AtomicInteger();
    private final int limit;

    Gate(int limit) {
      this.limit = limit;
    }

    boolean tryEnter() {
      while (true) {
        int now = pending.get();
        if (now >= limit) {
          return false;
        }
        if (pending.compareAndSet(now, now + 1)) {
          return true;
        }
      }
    }

    void leave() {
      pending.decrementAndGet();
    }

    int pending() {
      return pending.get();
    }
  }
}
