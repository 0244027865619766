package dev.storefront.catalog.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.model.Product;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProductCacheTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();

  private ProductCache cache(int capacity) {
    return new ProductCache(capacity, Duration.ofSeconds(60), registry, now::get);
  }

  private static Product product(UUID id, int version) {
    return new Product(
        id, "SKU", "Name", "", "books", 100, "EUR", 1, version, OffsetDateTime.now());
  }

  private double count(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void theIdsOfOneSegmentSpreadOverItsBuckets() {
    // Ids like the demo catalog's; a segment of a 10,000-product cache holds about 625 of them
    // in a HashMap of 1,024 buckets, indexed by the low bits of its spread hash code.
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(UUID.nameUUIDFromBytes(("storefront-demo/SKU-" + i).getBytes(UTF_8)));
    }
    Map<Integer, Set<Integer>> bucketsBySegment = new HashMap<>();
    Map<Integer, Integer> idsBySegment = new HashMap<>();
    for (UUID id : ids) {
      int segment = ProductCache.segmentIndex(id, 16);
      int h = id.hashCode();
      bucketsBySegment.computeIfAbsent(segment, k -> new HashSet<>()).add((h ^ (h >>> 16)) & 1023);
      idsBySegment.merge(segment, 1, Integer::sum);
    }
    assertThat(idsBySegment).hasSize(16);
    assertThat(idsBySegment.values()).allSatisfy(n -> assertThat(n).isBetween(500, 750));
    // Spread at random, ~625 ids take ~470 distinct buckets; segments chosen by the bucket bits
    // themselves left each segment 64.
    assertThat(bucketsBySegment.values()).allSatisfy(b -> assertThat(b.size()).isGreaterThan(350));
    assertThat(ProductCache.segmentIndex(ids.get(0), 1)).isZero();
  }

  @Test
  void aFilledEntryIsAHitAnUnknownOneAMiss() {
    ProductCache cache = cache(10);
    UUID id = UUID.randomUUID();

    assertThat(cache.get(id)).isNull();
    cache.putIfFresh(product(id, 1), cache.stamp(id));

    assertThat(cache.get(id).version()).isEqualTo(1);
    assertThat(count("storefront_catalog_cache_hits")).isEqualTo(1);
    assertThat(count("storefront_catalog_cache_misses")).isEqualTo(1);
    assertThat(registry.get("storefront_catalog_cache_entries").gauge().value()).isEqualTo(1);
  }

  @Test
  void aLoadThatAnInvalidationOvertookIsNotCached() {
    ProductCache cache = cache(10);
    UUID id = UUID.randomUUID();

    long stamp = cache.stamp(id); // a read starts and goes to the database
    cache.invalidate(id); // meanwhile the product changes
    cache.putIfFresh(product(id, 1), stamp); // the read returns the old row

    assertThat(cache.get(id)).isNull();
    assertThat(count("storefront_catalog_cache_discarded_fills")).isEqualTo(1);
  }

  @Test
  void aLoadStartedAfterTheInvalidationIsCached() {
    ProductCache cache = cache(10);
    UUID id = UUID.randomUUID();
    cache.invalidate(id);

    cache.putIfFresh(product(id, 2), cache.stamp(id));

    assertThat(cache.get(id)).isNotNull();
  }

  @Test
  void anOlderVersionNeverReplacesANewerOne() {
    ProductCache cache = cache(10);
    UUID id = UUID.randomUUID();
    long stamp = cache.stamp(id);

    cache.putIfFresh(product(id, 5), stamp);
    cache.putIfFresh(product(id, 4), stamp);

    assertThat(cache.get(id).version()).isEqualTo(5);
  }

  @Test
  void theLeastRecentlyUsedGoesFirstAndIsCounted() {
    ProductCache cache = cache(2);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    cache.putIfFresh(product(a, 1), cache.stamp(a));
    cache.putIfFresh(product(b, 1), cache.stamp(b));
    cache.get(a); // a is now more recent than b

    cache.putIfFresh(product(c, 1), cache.stamp(c));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(b)).isNull();
    assertThat(cache.get(a)).isNotNull();
    assertThat(cache.get(c)).isNotNull();
    assertThat(count("storefront_catalog_cache_evictions")).isEqualTo(1);
  }

  @Test
  void aLargeCacheStaysWithinItsCapacity() {
    ProductCache cache = cache(1_000);
    for (int i = 0; i < 5_000; i++) {
      UUID id = UUID.randomUUID();
      cache.putIfFresh(product(id, 1), cache.stamp(id));
    }

    assertThat(cache.size()).isLessThanOrEqualTo(1_008).isGreaterThan(900);
    assertThat(count("storefront_catalog_cache_evictions")).isEqualTo(5_000 - cache.size());
  }

  @Test
  void entriesExpireAfterTheirTimeToLive() {
    ProductCache cache = cache(10);
    UUID id = UUID.randomUUID();
    cache.putIfFresh(product(id, 1), cache.stamp(id));

    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(cache.get(id)).isNotNull();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(cache.get(id)).isNull();
  }

  @Test
  void sizeZeroTurnsTheCacheOff() {
    ProductCache cache = cache(0);
    UUID id = UUID.randomUUID();

    cache.putIfFresh(product(id, 1), cache.stamp(id));

    assertThat(cache.get(id)).isNull();
    assertThat(cache.size()).isZero();
  }
}
