package dev.storefront.notification.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.storefront.common.http.ProblemException;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageRequestTest {

  private static MultiMap query(String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return params;
  }

  @Test
  void withoutParametersTheFirstPageOfTwentyOfEverything() {
    PageRequest request = PageRequest.from(query(), 100);

    assertThat(request).isEqualTo(new PageRequest(1, 20, null));
  }

  @Test
  void pageSizeAndFilterAreTakenAsGiven() {
    assertThat(PageRequest.from(query("page", "3", "size", "100", "unread", "true"), 100))
        .isEqualTo(new PageRequest(3, 100, true));
    assertThat(PageRequest.from(query("unread", "false"), 100))
        .isEqualTo(new PageRequest(1, 20, false));
    assertThat(PageRequest.from(query("unread", "TRUE"), 100).unread()).isTrue();
  }

  @Test
  void theDefaultSizeNeverExceedsTheCap() {
    assertThat(PageRequest.from(query(), 10).size()).isEqualTo(10);
  }

  @Test
  void emptyValuesTakeTheDefaults() {
    assertThat(PageRequest.from(query("page", "", "size", "", "unread", ""), 100))
        .isEqualTo(new PageRequest(1, 20, null));
  }

  @ParameterizedTest
  @CsvSource({
    "page, -1",
    "page, 0",
    "page, x",
    "page, 1.0",
    "page, 21474837",
    "size, 0",
    "size, 101",
    "size, -5",
    "size, twenty",
    "unread, yes",
    "unread, 1"
  })
  void outOfBoundsOrMalformedIsABadRequestNamingTheParameter(String name, String value) {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class, () -> PageRequest.from(query(name, value), 100));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.detail()).startsWith(name).contains(value);
  }

  @Test
  void theLastAllowedPageStillFitsTheOffset() {
    PageRequest request = PageRequest.from(query("page", "21474836", "size", "100"), 100);

    assertThat((long) request.page() * request.size()).isPositive();
  }
}
