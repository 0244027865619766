package dev.storefront.gateway.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;

/**
 * Argon2id password hashes (PHC string format, parameters and a random 16-byte salt inside each
 * hash), with password4j. Parameters are OWASP's first recommendation for argon2id: 19 MiB of
 * memory, 2 passes, 1 lane, a 32-byte tag; about 30 ms of one core. Hashing and checking are CPU
 * work, so they run on worker threads ({@code executeBlocking}, unordered so logins proceed in
 * parallel), never on an event loop. Checks compare in constant time (password4j's slowEquals), and
 * reading parameters from the stored hash lets them be raised later without breaking old hashes.
 */
public final class PasswordHasher {

  public static final int MEMORY_KIB = 19_456;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  public static final int TAG_BYTES = 32;
  public static final int SALT_BYTES = 16;

  private final Vertx vertx;
  private final Argon2Function function;
  private volatile String decoy;

  public PasswordHasher(Vertx vertx) {
    this(vertx, MEMORY_KIB, ITERATIONS);
  }

  /** Other costs: tests, or a machine that needs them. */
  public PasswordHasher(Vertx vertx, int memoryKib, int iterations) {
    this.vertx = vertx;
    this.function =
        Argon2Function.getInstance(memoryKib, iterations, PARALLELISM, TAG_BYTES, Argon2.ID);
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hashNow(password), false);
  }

  /** Whether {@code password} matches {@code hash}; false for a hash that cannot be read. */
  public Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(() -> verifyNow(password, hash), false);
  }

  /**
   * Spends the time of a real check against a hash of the same parameters and answers false: a
   * login for an unknown address must take as long as one with a wrong password, or response times
   * would tell which addresses have accounts.
   */
  public Future<Boolean> verifyDecoy(String password) {
    return vertx.executeBlocking(
        () -> {
          String target = decoy;
          if (target == null) {
            target = hashNow(UUID.randomUUID().toString());
            decoy = target;
          }
          verifyNow(password, target);
          return false;
        },
        false);
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
}
