package dev.storefront.catalog.cache;

import dev.storefront.catalog.model.Product;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Products by id, shared by every event loop of the process, bounded (least recently used goes
 * first) and kept for at most a time-to-live.
 *
 * <p>A read that misses loads the product from the database and offers it back. Should the product
 * change meanwhile, the invalidation could arrive between the load and the offer, and the offer
 * would put the old row back for good. So a loader takes a {@link #stamp} before it reads, and
 * {@link #putIfFresh} drops the row if any invalidation of that id (or of another id of the same
 * stripe, which only costs a reload) happened since. Stamps and removals are ordered under the
 * segment's lock, so no interleaving lets a stale row in.
 */
public final class ProductCache {

  private static final int STRIPES = 1024;

  private final Segment[] segments;
  private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final boolean enabled;
  private final Counter hits;
  private final Counter misses;
  private final Counter evictions;
  private final Counter invalidations;
  private final Counter discardedFills;

  public ProductCache(int capacity, Duration ttl, MeterRegistry registry) {
    this(capacity, ttl, registry, System::nanoTime);
  }

  ProductCache(int capacity, Duration ttl, MeterRegistry registry, LongSupplier nanoClock) {
    this.enabled = capacity > 0;
    // Segments keep the event loops from contending on one lock; small caches stay exact.
    int count = capacity < 256 ? 1 : 16;
    this.segments = new Segment[count];
    int perSegment = Math.max(1, (capacity + count - 1) / count);
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
    this.hits =
        counter(registry, "storefront_catalog_cache_hits", "Product reads the cache served");
    this.misses =
        counter(
            registry, "storefront_catalog_cache_misses", "Product reads that went to the database");
    this.evictions =
        counter(
            registry,
            "storefront_catalog_cache_evictions",
            "Products dropped to keep the cache within its size");
    this.invalidations =
        counter(
            registry,
            "storefront_catalog_cache_invalidations",
            "Invalidations of a product id, from this process or another catalog process");
    this.discardedFills =
        counter(
            registry,
            "storefront_catalog_cache_discarded_fills",
            "Rows read from the database but not cached because the product changed meanwhile");
    for (int i = 0; i < count; i++) {
      segments[i] = new Segment(perSegment, evictions);
    }
    Gauge.builder("storefront_catalog_cache_entries", this, ProductCache::size)
        .description("Products in the cache")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** The cached product, or null; counts a hit or a miss. */
  public Product get(UUID id) {
    if (!enabled) {
      misses.increment();
      return null;
    }
    Segment segment = segment(id);
    Product found;
    synchronized (segment) {
      Entry entry = segment.get(id);
      if (entry != null && nanoClock.getAsLong() - entry.loadedAt >= ttlNanos) {
        segment.remove(id);
        entry = null;
      }
      found = entry == null ? null : entry.product;
    }
    (found == null ? misses : hits).increment();
    return found;
  }

  /** Take before reading the product from the database; hand to {@link #putIfFresh}. */
  public long stamp(UUID id) {
    return generations.get(stripe(id));
  }

  /** Caches {@code product} unless {@code id} was invalidated after {@code stamp} was taken. */
  public void putIfFresh(Product product, long stamp) {
    if (!enabled) {
      return;
    }
    UUID id = product.id();
    Segment segment = segment(id);
    synchronized (segment) {
      if (generations.get(stripe(id)) != stamp) {
        discardedFills.increment();
        return;
      }
      Entry existing = segment.get(id);
      // Two loads of one id may race; the newer version wins whatever the order they finish in.
      if (existing == null || existing.product.version() <= product.version()) {
        segment.put(id, new Entry(product, nanoClock.getAsLong()));
      }
    }
  }

  /** Forgets the product, and makes every load of it already under way discard its result. */
  public void invalidate(UUID id) {
    invalidations.increment();
    Segment segment = segment(id);
    synchronized (segment) {
      generations.incrementAndGet(stripe(id));
      segment.remove(id);
    }
  }

  public int size() {
    int size = 0;
    for (Segment segment : segments) {
      synchronized (segment) {
        size += segment.size();
      }
    }
    return size;
  }

  private Segment segment(UUID id) {
    return segments[segmentIndex(id, segments.length)];
  }

  /**
   * The segment of an id, out of {@code count} (1 or a power of two), from the top bits of a
   * multiplicative hash: they depend on every bit of the id's hash code, unlike its low bits, which
   * are the very bits each segment's HashMap takes for its bucket index. Chosen by those, the ids
   * of one segment would all share 1/count of its buckets and pile up there (seen: trees of
   * colliding entries searched on every read).
   */
  static int segmentIndex(UUID id, int count) {
    if (count == 1) {
      return 0;
    }
    return (id.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(count));
  }

  private static int stripe(UUID id) {
    return Math.floorMod(spread(id) >>> 4, STRIPES);
  }

  private static int spread(UUID id) {
    int h = id.hashCode();
    return h ^ (h >>> 16);
  }

  private record Entry(Product product, long loadedAt) {}

  /** An access-ordered map that drops its eldest entry past its capacity. Guarded by itself. */
  private static final class Segment extends LinkedHashMap<UUID, Entry> {

    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final transient Counter evictions;

    Segment(int capacity, Counter evictions) {
      super(16, 0.75f, true);
      this.capacity = capacity;
      this.evictions = evictions;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
      if (size() > capacity) {
        evictions.increment();
        return true;
      }
      return false;
    }
  }
}
