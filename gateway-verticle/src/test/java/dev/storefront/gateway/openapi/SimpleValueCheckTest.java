package dev.storefront.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simple check takes only values the schema library takes: held against the library, value by
 * value, for every parameter of the API document it covers.
 */
@ExtendWith(VertxExtension.class)
class SimpleValueCheckTest {

  private static final String UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

  /** Values near every edge the document's parameters have, and some beyond any. */
  private static final List<String> VALUES =
      List.of(
          "",
          "0",
          "1",
          "7",
          "20",
          "100",
          "101",
          "007",
          "-1",
          "-0",
          "+1",
          "1.5",
          "1e3",
          " 1",
          "1 ",
          "0x10",
          "999999999999999999",
          "1000000000000000000",
          "9223372036854775807",
          "99999999999999999999",
          "2147483647",
          "2147483648",
          "21474836",
          "21474837",
          "true",
          "false",
          "TRUE",
          "null",
          UUID,
          UUID.toUpperCase(),
          "urn:uuid:" + UUID,
          UUID + "\n",
          UUID.substring(1),
          UUID.replace('a', 'é'),
          "é",
          "a".repeat(8),
          "a".repeat(128),
          "a".repeat(129),
          "a".repeat(200),
          "a".repeat(201),
          "abc",
          "books",
          "-price",
          "\"quoted\"",
          "a\\b",
          "with space",
          "5b0e6a52-3c7e-4f0c",
          "né");

  @Test
  void takesOnlyWhatTheLibraryTakesForEveryParameterItCovers(Vertx vertx, VertxTestContext ctx) {
    ApiDocument.load(vertx)
        .onComplete(
            ctx.succeeding(
                document ->
                    ctx.verify(
                        () -> {
                          CompiledContract rules = new CompiledContract(document.contract());
                          List<String> covered = new ArrayList<>();
                          int taken = 0;
                          for (Operation operation : document.contract().operations()) {
                            for (Parameter parameter : operation.getParameters()) {
                              if (!rules.checkedSimply(parameter)) {
                                continue;
                              }
                              covered.add(operation.getOperationId() + " " + parameter.getName());
                              Predicate<String> check = simpleCheck(document, parameter);
                              for (String value : VALUES) {
                                if (check.test(value)) {
                                  taken++;
                                  assertThatCode(() -> rules.checkWithLibrary(parameter, value))
                                      .as(
                                          "%s %s = '%s'",
                                          operation.getOperationId(), parameter.getName(), value)
                                      .doesNotThrowAnyException();
                                }
                              }
                            }
                          }
                          // The parameters that matter for speed are covered, and not vacuously.
                          assertThat(covered)
                              .contains(
                                  "getProduct id",
                                  "listProducts page",
                                  "listProducts size",
                                  "listNotifications unread",
                                  "streamNotifications Last-Event-ID",
                                  "streamNotifications after",
                                  "markNotificationRead id",
                                  "putCartItem productId");
                          assertThat(taken).isGreaterThan(covered.size());
                          ctx.completeNow();
                        })));
  }

  @Test
  void takesValidValuesAndLeavesTheRestToTheLibrary() {
    Predicate<String> uuid =
        SimpleValueCheck.of(
            new io.vertx.core.json.JsonObject()
                .put("type", "string")
                .put("format", "uuid")
                .put(
                    "pattern",
                    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    assertThat(uuid.test(UUID)).isTrue();
    assertThat(uuid.test(UUID.toUpperCase())).isTrue();
    assertThat(uuid.test("urn:uuid:" + UUID)).isFalse();
    assertThat(uuid.test(UUID + "\n")).isFalse();
    Predicate<String> page =
        SimpleValueCheck.of(
            new io.vertx.core.json.JsonObject()
                .put("type", "integer")
                .put("minimum", 1)
                .put("maximum", 100)
                .put("default", 1));
    assertThat(page.test("1")).isTrue();
    assertThat(page.test("100")).isTrue();
    assertThat(page.test("0")).isFalse();
    assertThat(page.test("101")).isFalse();
    assertThat(page.test("007")).isFalse();
    assertThat(page.test("-1")).isFalse();
    // What it cannot judge exactly, it does not take over.
    assertThat(
            SimpleValueCheck.of(
                new io.vertx.core.json.JsonObject()
                    .put("type", "string")
                    .put("enum", new io.vertx.core.json.JsonArray().add("a"))))
        .isNull();
    assertThat(
            SimpleValueCheck.of(
                new io.vertx.core.json.JsonObject().put("type", "string").put("format", "email")))
        .isNull();
    assertThat(SimpleValueCheck.of(new io.vertx.core.json.JsonObject().put("type", "number")))
        .isNull();
  }

  @Test
  void readsUuidsAsTheLibrarysFormatDoes() {
    java.util.regex.Pattern library =
        java.util.regex.Pattern.compile(
            "^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    List<String> values = new ArrayList<>(VALUES);
    values.addAll(
        List.of(
            "URN:UUID:" + UUID,
            "urn:uuid:" + UUID.toUpperCase(),
            UUID.replace("-", ""),
            UUID.replace('f', 'g'),
            "-" + UUID.substring(1),
            UUID.substring(0, 8) + "+" + UUID.substring(9),
            UUID + "0",
            "x" + UUID));
    for (String value : values) {
      assertThat(SimpleValueCheck.isUuid(value))
          .as("'%s'", value)
          .isEqualTo(library.matcher(value).matches());
    }
  }

  @Test
  void theDocumentsIdPatternIsCheckedByHandAndAcceptsNothingTheExpressionRefuses() {
    java.util.regex.Pattern expression =
        java.util.regex.Pattern.compile(SimpleValueCheck.UUID_PATTERN);
    Predicate<String> byHand = SimpleValueCheck.patternCheck(SimpleValueCheck.UUID_PATTERN);
    List<String> values = new ArrayList<>(VALUES);
    values.addAll(
        List.of(
            UUID,
            UUID.toUpperCase(),
            "urn:uuid:" + UUID,
            UUID + "\n",
            UUID.replace('f', 'g'),
            UUID.substring(1),
            UUID + "0"));
    for (String value : values) {
      boolean matches = expression.matcher(value).find();
      if (byHand.test(value)) {
        assertThat(matches).as("'%s'", value).isTrue();
      }
    }
    assertThat(byHand.test(UUID)).isTrue();
    assertThat(byHand.test(UUID.toUpperCase())).isTrue();
  }

  @Test
  void theDocumentsIdsUseThePatternCheckedByHand() throws java.io.IOException {
    try (var yaml = getClass().getResourceAsStream("/openapi/storefront.yaml")) {
      assertThat(new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("pattern: '" + SimpleValueCheck.UUID_PATTERN + "'");
    }
  }

  private static Predicate<String> simpleCheck(ApiDocument document, Parameter parameter) {
    return SimpleValueCheck.of(
        document
            .contract()
            .getSchemaRepository()
            .resolve(SimpleValueCheck.fields(parameter.getSchema())));
  }
}
