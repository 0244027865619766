package dev.storefront.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProductInputTest {

  private static JsonObject valid() {
    return new JsonObject(
        "{\"sku\":\"BOOK-1\",\"name\":\"TAOCP\",\"description\":\"Boxed\",\"category\":\"books\","
            + "\"price\":{\"amountMinor\":24999,\"currency\":\"EUR\"},\"stock\":12}");
  }

  private static ProblemException problem(JsonObject json) {
    try {
      ProductInput.from(json);
    } catch (ProblemException e) {
      return e;
    }
    throw new AssertionError("accepted " + json.encode());
  }

  @Test
  void aValidInputIsRead() {
    ProductInput input = ProductInput.from(valid());

    assertThat(input)
        .isEqualTo(new ProductInput("BOOK-1", "TAOCP", "Boxed", "books", 24999, "EUR", 12));
  }

  @Test
  void theDescriptionIsOptional() {
    JsonObject json = valid();
    json.remove("description");

    assertThat(ProductInput.from(json).description()).isEmpty();
  }

  @Test
  void everyBrokenRuleIsListed() {
    JsonObject json =
        new JsonObject()
            .put("sku", "")
            .put("name", 5)
            .put("category", "books")
            .put("price", new JsonObject().put("amountMinor", -1).put("currency", "eur"))
            .put("stock", 1.5);

    ProblemException problem = problem(json);

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.extensions().getJsonArray("errors")).hasSize(5);
    assertThat(problem.detail())
        .contains("sku must not be blank")
        .contains("name must be a string")
        .contains("price.amountMinor")
        .contains("price.currency")
        .contains("stock");
  }

  @Test
  void missingFieldsAndWrongTypesAre400() {
    assertThat(problem(new JsonObject()).extensions().getJsonArray("errors")).hasSize(5);
    assertThat(problem(valid().put("price", "24.99")).detail()).contains("price must be an object");
    assertThat(problem(valid().put("stock", "12")).detail()).contains("stock");
    assertThat(problem(valid().put("stock", 3_000_000_000L)).detail()).contains("stock");
    assertThat(problem(valid().put("sku", "x".repeat(65))).detail()).contains("at most 64");
  }

  @Test
  void largePricesFitInALong() {
    JsonObject json =
        valid()
            .put(
                "price",
                new JsonObject().put("amountMinor", 9_000_000_000L).put("currency", "JPY"));

    assertThat(ProductInput.from(json).priceMinor()).isEqualTo(9_000_000_000L);
    assertThatThrownBy(() -> ProductInput.from(new JsonObject("{\"price\":{\"amountMinor\":1e3}}")))
        .isInstanceOf(ProblemException.class);
  }
}
