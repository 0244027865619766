package dev.storefront.gateway.openapi;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns vertx-openapi's validation failures into problems whose detail names what was wrong and the
 * rule it broke, such as {@code query parameter size must be ≤ 100} or {@code request body field
 * quantity must be an integer}, instead of the library's wording.
 */
final class ValidationProblems {

  /** Keywords that only say a nested schema failed; the nested error says why. */
  private static final Set<String> STRUCTURAL =
      Set.of(
          "properties",
          "$ref",
          "$dynamicRef",
          "allOf",
          "anyOf",
          "oneOf",
          "items",
          "prefixItems",
          "patternProperties",
          "dependentSchemas",
          "then",
          "else");

  /** The parameter a library message names: "... query parameter size ...". */
  private static final Pattern PARAMETER =
      Pattern.compile("(query|path|header|cookie) parameter (\\S+?)(?: is invalid|\\.| can't|$)");

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
  private static final Pattern REQUIRED_PROPERTY =
      Pattern.compile("required property \"([^\"]*)\"");

  private ValidationProblems() {}

  static ProblemException of(Throwable failure, Operation operation, JsonObject document) {
    if (!(failure instanceof ValidatorException invalid)) {
      return failure instanceof ProblemException problem
          ? problem
          : Problems.of(400, "The request does not match the API: " + failure.getMessage());
    }
    String message = String.valueOf(invalid.getMessage());
    Parameter parameter = namedParameter(message, operation);
    if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && parameter == null) {
      return Problems.of(415, "The request body must be application/json");
    }
    if (invalid instanceof SchemaValidationException schema) {
      String subject = parameter == null ? "request body" : describe(parameter);
      return Problems.of(
          400, schemaDetail(subject, parameter, schema.getOutputUnit(), document, operation));
    }
    if (invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      return Problems.of(
          400,
          parameter == null
              ? "The request body is required"
              : describe(parameter) + " is required");
    }
    if (parameter != null) {
      return Problems.of(400, describe(parameter) + " has a value that cannot be read");
    }
    if (invalid.type() == ValidatorErrorType.ILLEGAL_VALUE) {
      return Problems.of(400, "The request body is not valid JSON");
    }
    return Problems.of(400, "The request does not match the API: " + message);
  }

  private static Parameter namedParameter(String message, Operation operation) {
    Matcher m = PARAMETER.matcher(message);
    if (!m.find()) {
      return null;
    }
    for (Parameter p : operation.getParameters()) {
      if (p.getName().equals(m.group(2))
          && p.getIn().name().toLowerCase(Locale.ROOT).equals(m.group(1))) {
        return p;
      }
    }
    return null;
  }

  private static String describe(Parameter parameter) {
    return switch (parameter.getIn()) {
      case HEADER -> "header " + parameter.getName();
      case COOKIE -> "cookie " + parameter.getName();
      default ->
          parameter.getIn().name().toLowerCase(Locale.ROOT) + " parameter " + parameter.getName();
    };
  }

  private static String schemaDetail(
      String subject,
      Parameter parameter,
      OutputUnit unit,
      JsonObject document,
      Operation operation) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      return subject + " is invalid";
    }
    OutputUnit chosen = null;
    for (OutputUnit error : errors) {
      if (!STRUCTURAL.contains(keyword(error))) {
        chosen = error;
      }
    }
    if (chosen == null) {
      chosen = errors.get(errors.size() - 1);
    }
    // A format (uuid) says more than the pattern that spells it out.
    for (OutputUnit error : errors) {
      if ("format".equals(keyword(error))
          && String.valueOf(error.getInstanceLocation())
              .equals(String.valueOf(chosen.getInstanceLocation()))) {
        chosen = error;
      }
    }
    String where = subject;
    String field = field(chosen.getInstanceLocation());
    if (parameter == null && !field.isEmpty()) {
      where = "request body field " + field;
    }
    String keyword = keyword(chosen);
    String error = String.valueOf(chosen.getError());
    if ("required".equals(keyword)) {
      Matcher m = REQUIRED_PROPERTY.matcher(error);
      String missing = m.find() ? m.group(1) : "a property";
      String path = field.isEmpty() ? missing : field + "." + missing;
      return (parameter == null ? "request body field " : subject + " field ")
          + path
          + " is required";
    }
    return where + " " + rule(keyword, error, parameter, chosen, document, operation);
  }

  private static String rule(
      String keyword,
      String error,
      Parameter parameter,
      OutputUnit unit,
      JsonObject document,
      Operation operation) {
    switch (keyword) {
      case "maximum":
        return "must be ≤ " + lastNumber(error);
      case "minimum":
        return "must be ≥ " + lastNumber(error);
      case "exclusiveMaximum":
        return "must be < " + lastNumber(error);
      case "exclusiveMinimum":
        return "must be > " + lastNumber(error);
      case "maxLength":
        return "must have at most " + lastNumber(error) + " characters";
      case "minLength":
        return "must have at least " + lastNumber(error) + " characters";
      case "maxItems":
        return "must have at most " + lastNumber(error) + " items";
      case "minItems":
        return "must have at least " + lastNumber(error) + " items";
      case "type":
        int at = error.lastIndexOf("Expected ");
        return at < 0 ? "has the wrong type" : "must be " + article(error.substring(at + 9).trim());
      case "enum":
        return "must be one of " + choices(error);
      case "const":
        return "must be " + schemaValue(parameter, unit, document, operation, "const");
      case "format":
        Object format = schemaValue(parameter, unit, document, operation, "format");
        if ("int64".equals(format) || "int32".equals(format)) {
          // A client reads "an int64" as jargon; the range has its own rule.
          return "must be an integer";
        }
        return "must be " + article(format == null ? "well-formed value" : format.toString());
      case "pattern":
        Object pattern = schemaValue(parameter, unit, document, operation, "pattern");
        return pattern == null ? "does not have the expected form" : "must match " + pattern;
      case "additionalProperties":
      case "unevaluatedProperties":
        return "has a property that is not allowed";
      default:
        return "is invalid: " + error;
    }
  }

  private static String keyword(OutputUnit unit) {
    String location = String.valueOf(unit.getKeywordLocation());
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** "#/price/currency" to "price.currency"; the root is "". */
  private static String field(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String pointer =
        instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    if (pointer.isEmpty() || pointer.equals("/")) {
      return "";
    }
    return java.util.Arrays.stream(pointer.substring(1).split("/"))
        .map(s -> s.replace("~1", "/").replace("~0", "~"))
        .collect(Collectors.joining("."));
  }

  private static String lastNumber(String error) {
    Matcher m = NUMBER.matcher(error);
    String last = "?";
    while (m.find()) {
      last = m.group();
    }
    return last;
  }

  private static String choices(String error) {
    int start = error.indexOf('[');
    if (start >= 0) {
      try {
        return new JsonArray(error.substring(start))
            .stream().map(String::valueOf).collect(Collectors.joining(", "));
      } catch (DecodeException e) {
        // fall through to the library's words
      }
    }
    return error;
  }

  private static String article(String noun) {
    String n = noun.equals("uuid") ? "UUID" : noun;
    return ("aeiouAEIOU".indexOf(n.charAt(0)) >= 0 && !n.equals("UUID") ? "an " : "a ") + n;
  }

  /**
   * The value of {@code keyword} in the schema that {@code unit} failed: a parameter's own, one in
   * the document's components (a {@code $ref} the library followed), or, when the library checked
   * the body against a schema it had resolved in place, one in the request body's schema.
   */
  private static Object schemaValue(
      Parameter parameter,
      OutputUnit unit,
      JsonObject document,
      Operation operation,
      String keyword) {
    if (parameter != null) {
      return parameter.getSchema().get(keyword);
    }
    String absolute = unit.getAbsoluteKeywordLocation();
    int hash = absolute == null ? -1 : absolute.indexOf('#');
    if (hash < 0) {
      return null;
    }
    String location = absolute.substring(hash + 1);
    try {
      return location.startsWith("/components/")
          ? JsonPointer.from(location).queryJson(document)
          : bodySchemaValue(operation, location);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The value at {@code location} (a JSON pointer) in the operation's JSON request body schema. */
  private static Object bodySchemaValue(Operation operation, String location) {
    RequestBody body = operation == null ? null : operation.getRequestBody();
    MediaType json = body == null ? null : body.getContent().get("application/json");
    if (json == null || json.getSchema() == null || !location.startsWith("/")) {
      return null;
    }
    // The schema is the library's own type: its first step is taken by name, the rest is JSON.
    int next = location.indexOf('/', 1);
    String first = next < 0 ? location.substring(1) : location.substring(1, next);
    Object root = json.getSchema().get(first.replace("~1", "/").replace("~0", "~"));
    if (next < 0) {
      return root;
    }
    return root instanceof JsonObject || root instanceof JsonArray
        ? JsonPointer.from(location.substring(next)).queryJson(root)
        : null;
  }
}
