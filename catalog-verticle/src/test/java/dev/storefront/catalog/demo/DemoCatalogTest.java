package dev.storefront.catalog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoCatalogTest {

  private static final DemoCatalog CATALOG = DemoCatalog.generate(10_000);

  @Test
  void theSameSizeGivesTheSameCatalog() {
    assertThat(DemoCatalog.generate(10_000)).isEqualTo(CATALOG);
  }

  @Test
  void aLargerCatalogExtendsASmallerOne() {
    DemoCatalog small = DemoCatalog.generate(500);

    assertThat(CATALOG.products().subList(0, 500)).isEqualTo(small.products());
  }

  @Test
  void idsFollowFromSkusAndBothAreUnique() {
    Set<String> skus = new HashSet<>();
    Set<java.util.UUID> ids = new HashSet<>();
    for (DemoCatalog.Product p : CATALOG.products()) {
      assertThat(p.id()).isEqualTo(DemoCatalog.idOf(p.sku()));
      skus.add(p.sku());
      ids.add(p.id());
    }
    assertThat(skus).hasSize(10_000);
    assertThat(ids).hasSize(10_000);
    // A known product keeps its id across versions of the generator's code.
    assertThat(DemoCatalog.idOf("BOK-000001"))
        .isEqualTo(java.util.UUID.nameUUIDFromBytes("storefront-demo/BOK-000001".getBytes()));
  }

  @Test
  void atLeastTwentyCategoriesAllInUse() {
    Set<String> slugs =
        CATALOG.categories().stream().map(DemoCatalog.Category::slug).collect(Collectors.toSet());
    Map<String, Long> perCategory =
        CATALOG.products().stream()
            .collect(Collectors.groupingBy(DemoCatalog.Product::category, Collectors.counting()));

    assertThat(slugs).hasSizeGreaterThanOrEqualTo(20);
    assertThat(perCategory.keySet()).isEqualTo(slugs);
    // Spread evenly enough that every category has a few hundred products to browse.
    assertThat(perCategory.values()).allSatisfy(n -> assertThat(n).isBetween(250L, 600L));
    assertThat(slugs).allSatisfy(s -> assertThat(s).matches("[a-z][a-z-]*"));
  }

  @Test
  void pricesAndStockArePlausible() {
    Map<String, DemoCatalog.Category> categories =
        CATALOG.categories().stream().collect(Collectors.toMap(DemoCatalog.Category::slug, c -> c));
    long soldOut = 0;
    for (DemoCatalog.Product p : CATALOG.products()) {
      DemoCatalog.Category c = categories.get(p.category());
      assertThat(p.priceMinor()).as(p.sku()).isPositive().isLessThanOrEqualTo(c.maxPriceMinor());
      assertThat(p.priceMinor() % 100).isIn(0L, 99L);
      assertThat(p.currency()).isEqualTo("EUR");
      assertThat(p.stock()).isBetween(0, 500);
      if (p.stock() == 0) {
        soldOut++;
      }
    }
    assertThat(soldOut).isBetween(200L, 900L);
  }

  @Test
  void namesAndDescriptionsCarrySearchableWords() {
    DemoCatalog.Product first = CATALOG.products().get(0);
    long kettles = CATALOG.products().stream().filter(p -> p.name().contains("Kettle")).count();

    assertThat(first.name()).matches("[A-Z][\\w&' -]+ [A-Z]-\\d{3}");
    assertThat(first.description()).hasSizeGreaterThan(40).endsWith("range.");
    assertThat(kettles).isGreaterThan(10);
    assertThat(CATALOG.products().stream().map(DemoCatalog.Product::name).distinct().count())
        .isGreaterThan(9_900);
  }
}
