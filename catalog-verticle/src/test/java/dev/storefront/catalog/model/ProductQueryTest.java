package dev.storefront.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.model.ProductQuery.Sort;
import dev.storefront.common.http.ProblemException;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductQueryTest {

  private static ProductQuery parse(Map<String, String> params) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    params.forEach(map::add);
    return ProductQuery.from(map);
  }

  private static int status(Map<String, String> params) {
    try {
      parse(params);
    } catch (ProblemException e) {
      return e.status();
    }
    return 200;
  }

  @Test
  void defaultsAreTheFirstPageOfTwentyByName() {
    ProductQuery query = parse(Map.of());

    assertThat(query.q()).isEmpty();
    assertThat(query.category()).isEmpty();
    assertThat(query.sort()).isEqualTo(Sort.NAME);
    assertThat(query.page()).isEqualTo(1);
    assertThat(query.size()).isEqualTo(20);
    assertThat(query.offset()).isZero();
  }

  @Test
  void aSearchWithoutAnOrderIsRanked() {
    assertThat(parse(Map.of("q", " kettle ")).sort()).isEqualTo(Sort.RANK);
    assertThat(parse(Map.of("q", "kettle")).q()).contains("kettle");
    assertThat(parse(Map.of("q", "kettle", "sort", "-price")).sort()).isEqualTo(Sort.PRICE_DESC);
    assertThat(parse(Map.of("q", "   ")).sort()).isEqualTo(Sort.NAME);
  }

  @Test
  void theThreeOrdersAClientMayAskFor() {
    assertThat(parse(Map.of("sort", "name")).sort()).isEqualTo(Sort.NAME);
    assertThat(parse(Map.of("sort", "price")).sort()).isEqualTo(Sort.PRICE);
    assertThat(parse(Map.of("sort", "-price")).sort()).isEqualTo(Sort.PRICE_DESC);
    // Rank is what q implies, not a value of sort.
    assertThat(status(Map.of("sort", "rank", "q", "x"))).isEqualTo(400);
    assertThat(status(Map.of("sort", "Price"))).isEqualTo(400);
  }

  @Test
  void pageAndSizeOutsideTheirRangesAre400() {
    assertThat(status(Map.of("size", "0"))).isEqualTo(400);
    assertThat(status(Map.of("size", "101"))).isEqualTo(400);
    assertThat(status(Map.of("size", "100"))).isEqualTo(200);
    assertThat(status(Map.of("page", "0"))).isEqualTo(400);
    assertThat(status(Map.of("page", "-3"))).isEqualTo(400);
    assertThat(status(Map.of("page", "two"))).isEqualTo(400);
    assertThat(status(Map.of("page", "99999999999"))).isEqualTo(400);
    assertThat(status(Map.of("page", String.valueOf(ProductQuery.MAX_PAGE)))).isEqualTo(200);
  }

  @Test
  void theOffsetOfTheLastPageDoesNotOverflow() {
    ProductQuery last = parse(Map.of("page", String.valueOf(ProductQuery.MAX_PAGE), "size", "100"));

    assertThat(last.offset()).isEqualTo((long) (ProductQuery.MAX_PAGE - 1) * 100).isPositive();
  }

  @Test
  void overlongWordsOrCategoryAre400() {
    assertThat(status(Map.of("q", "x".repeat(201)))).isEqualTo(400);
    assertThat(status(Map.of("category", "x".repeat(101)))).isEqualTo(400);
    assertThat(parse(Map.of("category", "books")).category()).isEqualTo(Optional.of("books"));
  }
}
