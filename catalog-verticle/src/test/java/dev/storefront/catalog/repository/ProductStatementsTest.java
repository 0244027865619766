package dev.storefront.catalog.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.model.ProductQuery;
import dev.storefront.catalog.model.ProductQuery.Sort;
import dev.storefront.catalog.repository.ProductRepository.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The listing SQL: values only ever as parameters, numbered right, every order total. */
class ProductStatementsTest {

  private static final String INJECTION = "x'; DROP TABLE products; --";

  @Test
  void aPlainListingHasOnlyLimitAndOffset() {
    Statement s =
        ProductRepository.itemsStatement(
            new ProductQuery(Optional.empty(), Optional.empty(), Sort.NAME, 3, 10));

    assertThat(s.sql())
        .doesNotContain("WHERE")
        .endsWith("ORDER BY p.name, p.id LIMIT $1 OFFSET $2");
    assertThat(s.params().size()).isEqualTo(2);
    assertThat(s.params().getValue(0)).isEqualTo(10);
    assertThat(s.params().getValue(1)).isEqualTo(20L);
  }

  @Test
  void searchAndCategoryAreParametersNeverText() {
    ProductQuery query =
        new ProductQuery(Optional.of(INJECTION), Optional.of(INJECTION), Sort.RANK, 1, 20);
    Statement items = ProductRepository.itemsStatement(query);
    Statement count = ProductRepository.countStatement(query);

    assertThat(items.sql()).doesNotContain(INJECTION).doesNotContain("DROP");
    assertThat(items.sql())
        .contains("websearch_to_tsquery('english', $1) AS query")
        .contains("WHERE p.search @@ query AND c.slug = $2")
        .contains("ORDER BY ts_rank_cd(p.search, query) DESC, p.name, p.id")
        .endsWith("LIMIT $3 OFFSET $4");
    assertThat(items.params().getValue(0)).isEqualTo(INJECTION);
    assertThat(items.params().getValue(1)).isEqualTo(INJECTION);
    assertThat(count.sql())
        .startsWith("SELECT count(*)")
        .contains("WHERE p.search @@ query AND c.slug = $2")
        .doesNotContain("LIMIT");
    assertThat(count.params().size()).isEqualTo(2);
  }

  @Test
  void aCategoryAloneIsTheFirstParameter() {
    Statement s =
        ProductRepository.itemsStatement(
            new ProductQuery(Optional.empty(), Optional.of("books"), Sort.PRICE, 1, 5));

    assertThat(s.sql()).contains("WHERE c.slug = $1").doesNotContain("tsquery");
    assertThat(s.params().getValue(0)).isEqualTo("books");
  }

  @Test
  void everyOrderEndsWithTheIdSoPagesNeverOverlap() {
    for (Sort sort : Sort.values()) {
      assertThat(ProductRepository.orderBy(sort)).as(sort.name()).matches(".*p\\.id( DESC)?$");
    }
    assertThat(ProductRepository.orderBy(Sort.PRICE_DESC)).startsWith("p.price_minor DESC");
    assertThat(ProductRepository.orderBy(Sort.PRICE)).startsWith("p.price_minor,");
  }
}
