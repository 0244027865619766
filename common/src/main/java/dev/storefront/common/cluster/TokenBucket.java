package dev.storefront.common.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Token-bucket arithmetic, and the Hazelcast entry processor that applies it atomically on the
 * member owning a bucket's key. A bucket's state is a plain {@code long[]} of {tokens in
 * millionths, time of last update in epoch millis}, so the map holds nothing but JDK types. The
 * clock read is the owner's, so one bucket always runs on one clock, whichever gateway asks.
 *
 * <p>An absent bucket is a full one, which is what lets entries expire: an entry left alone for a
 * whole window would have refilled completely, so it is written with that time to live.
 *
 * <p>Hazelcast deserializes entry processors on the key's owner (and its backups): this class must
 * be on the class path of every data member of the cluster. It depends only on the JDK and
 * Hazelcast so that it can live in {@code common} for that purpose.
 */
public final class TokenBucket {

  static final long SCALE = 1_000_000L;

  private TokenBucket() {}

  /** The result of taking a token: whether one was there, what is left, when the next comes. */
  public record Decision(boolean allowed, long limit, long remaining, long retryAfterMillis) {

    /** Retry-After in whole seconds, rounded up and at least 1 when refused. */
    public long retryAfterSeconds() {
      return allowed ? 0 : Math.max(1, (retryAfterMillis + 999) / 1000);
    }
  }

  /**
   * Takes one token from {@code state} (null: a full bucket) at {@code nowMillis}. Returns {new
   * tokens, now, allowed (1/0), whole tokens remaining, millis until a token}.
   */
  public static long[] take(long[] state, long capacity, long windowMillis, long nowMillis) {
    return take(state, capacity, windowMillis, nowMillis, 1);
  }

  /**
   * Takes up to {@code count} tokens, as many whole ones as the bucket holds. Returns {new tokens,
   * now, tokens granted, whole tokens remaining, millis until a token}.
   */
  public static long[] take(
      long[] state, long capacity, long windowMillis, long nowMillis, long count) {
    long full = capacity * SCALE;
    long tokens = full;
    if (state != null && state.length == 2) {
      long elapsed = Math.max(0, nowMillis - state[1]);
      long refill =
          elapsed >= windowMillis ? full : (long) ((double) elapsed / windowMillis * full);
      tokens = Math.min(full, state[0] + refill);
    }
    long granted = Math.min(Math.max(count, 1), tokens / SCALE);
    tokens -= granted * SCALE;
    boolean allowed = granted > 0;
    long retryAfter =
        allowed ? 0 : (long) Math.ceil((double) (SCALE - tokens) * windowMillis / full);
    return new long[] {tokens, nowMillis, granted, tokens / SCALE, retryAfter};
  }

  public static Decision decision(long[] result, long capacity) {
    return new Decision(result[2] >= 1, capacity, result[3], result[4]);
  }

  /** How long an untouched bucket is kept: past a whole window it is full, the same as absent. */
  public static long ttlMillis(long windowMillis) {
    return windowMillis + 1_000;
  }

  /**
   * Takes tokens from the bucket under the entry's key. Returns {tokens granted, remaining, millis
   * until a token}; the backup is given the resulting state rather than re-running the arithmetic
   * on another clock.
   */
  public static final class Take implements EntryProcessor<String, long[], long[]> {
    private static final long serialVersionUID = 1L;

    private final long capacity;
    private final long windowMillis;
    private final long count;
    private long[] written;

    public Take(long capacity, long windowMillis) {
      this(capacity, windowMillis, 1);
    }

    /** Takes up to {@code count} tokens at once, for a caller that spends them locally. */
    public Take(long capacity, long windowMillis, long count) {
      this.capacity = capacity;
      this.windowMillis = windowMillis;
      this.count = count;
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      long[] result =
          take(entry.getValue(), capacity, windowMillis, System.currentTimeMillis(), count);
      written = new long[] {result[0], result[1]};
      ((ExtendedMapEntry<String, long[]>) entry)
          .setValue(written, ttlMillis(windowMillis), TimeUnit.MILLISECONDS);
      return new long[] {result[2], result[3], result[4]};
    }

    @Override
    public EntryProcessor<String, long[], long[]> getBackupProcessor() {
      return new Write(written, ttlMillis(windowMillis));
    }
  }

  /** Stores a state computed on the primary; runs on backups. */
  static final class Write implements EntryProcessor<String, long[], long[]> {
    private static final long serialVersionUID = 1L;

    private final long[] state;
    private final long ttlMillis;

    Write(long[] state, long ttlMillis) {
      this.state = state;
      this.ttlMillis = ttlMillis;
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      if (state != null) {
        ((ExtendedMapEntry<String, long[]>) entry)
            .setValue(state, ttlMillis, TimeUnit.MILLISECONDS);
      }
      return null;
    }

    @Override
    public EntryProcessor<String, long[], long[]> getBackupProcessor() {
      return null;
    }
  }
}
