package dev.storefront.load.sim;

import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's own accounts: new e-mail addresses for sign-ups, and the accounts free for a returning
 * shopper to sign in to (those of shoppers who have left, and of listeners, so that what a
 * returning shopper buys reaches an open event stream).
 */
final class Accounts {

  static final String PASSWORD = "load test password 1";

  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong next = new AtomicLong();
  private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();

  /** An address no account of this or any other run has. */
  String newEmail() {
    return "load-" + runId + "-" + next.incrementAndGet() + "@example.com";
  }

  /** An account nobody of the run is using now, or null. The caller gives it back with free. */
  String take() {
    return free.poll();
  }

  void free(String email) {
    free.add(email);
  }
}
