package dev.storefront.gateway.openapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The API document's request rules, with one schema validator built per parameter and per request
 * body when the gateway starts, so that checking a request is a few microseconds of work on the
 * event loop.
 *
 * <p>vertx-openapi 5.0.8's own {@code RequestValidator} applies the same rules but builds a fresh
 * schema validator for every value (copying the document's whole schema lookup each time, about 30
 * µs) and runs every request through an ordered blocking task, which serialises validated requests
 * per event loop. With the validators built once, checking {@code ?size=10} takes about 2.5 µs and
 * a UUID path parameter about 5.5 µs: cheaper than the hop to a worker thread.
 *
 * <p>Values of the simplest and commonest parameters (a UUID, a bounded integer, a flag) are first
 * offered to a {@link SimpleValueCheck}, which takes valid ones without the library at all: the
 * library compiles a schema's {@code pattern} for every value, and its transformer runs a regular
 * expression of its own on each.
 *
 * <p>Failures are the library's own exceptions ({@link ValidatorException} and {@link
 * SchemaValidationException}), so {@link ValidationProblems} words them as before.
 */
final class CompiledContract {

  private final Map<Parameter, Validator> parameters = new IdentityHashMap<>();
  private final Map<Parameter, Predicate<String>> simple = new IdentityHashMap<>();
  private final Map<Parameter, Integer> pathSegments = new IdentityHashMap<>();
  private final Map<MediaType, Validator> bodies = new IdentityHashMap<>();
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);

  CompiledContract(OpenAPIContract contract) {
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    transformers.put(Style.FORM, new FormTransformer());
    SchemaRepository schemas = contract.getSchemaRepository();
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        parameters.put(parameter, schemas.validator(parameter.getSchema()));
        Predicate<String> check = SimpleValueCheck.of(resolved(schemas, parameter.getSchema()));
        if (check != null && parameter.getStyle() == defaultStyle(parameter)) {
          simple.put(parameter, check);
        }
        if (parameter.getIn() == Location.PATH) {
          pathSegments.put(
              parameter,
              RequestUtils.findPathSegment(operation.getAbsoluteOpenAPIPath(), parameter.getName())
                  - 1);
        }
      }
      RequestBody body = operation.getRequestBody();
      if (body != null) {
        for (MediaType mediaType : body.getContent().values()) {
          if (mediaType.getSchema() != null) {
            bodies.put(mediaType, schemas.validator(mediaType.getSchema()));
          }
        }
      }
    }
  }

  /**
   * Checks a request against {@code operation}: {@code raw} holds each of its parameters' values as
   * received (null when absent), in the order of {@link Operation#getParameters()}; {@code body} is
   * the body read for an operation that takes one, else null. Throws what the library would.
   */
  void check(Operation operation, String[] raw, Buffer body, String contentType) {
    List<Parameter> list = operation.getParameters();
    for (int i = 0; i < list.size(); i++) {
      Parameter parameter = list.get(i);
      Predicate<String> check = simple.get(parameter);
      if (check != null && raw[i] != null && check.test(raw[i])) {
        continue;
      }
      checkParameter(parameter, value(parameter, raw[i]));
    }
    checkBody(operation.getRequestBody(), body, contentType);
  }

  /** Where in the request path a path parameter's value is (0 = the first segment). */
  int pathSegment(Parameter parameter) {
    return pathSegments.getOrDefault(parameter, -1);
  }

  /** Whether values of {@code parameter} are checked without the library when they are valid. */
  boolean checkedSimply(Parameter parameter) {
    return simple.containsKey(parameter);
  }

  /**
   * A value as the library reads it. String parameters go to it as JSON strings: its transformer
   * would otherwise read a string such as {@code 1.5} or {@code true} as a number or boolean.
   */
  private static RequestParameter value(Parameter parameter, String raw) {
    if (raw == null) {
      return new Value(null);
    }
    if (parameter.getSchemaType() == SchemaType.STRING) {
      return new Value(Json.encode(raw));
    }
    // An empty number or flag (?page=) counts as absent, as the services read it.
    return new Value(raw.isEmpty() ? null : raw);
  }

  /** The style a parameter has when the document names none; others are left to the library. */
  private static Style defaultStyle(Parameter parameter) {
    return switch (parameter.getIn()) {
      case QUERY, COOKIE -> Style.FORM;
      case PATH, HEADER -> Style.SIMPLE;
    };
  }

  private static JsonObject resolved(SchemaRepository schemas, JsonSchema schema) {
    JsonObject json = SimpleValueCheck.fields(schema);
    if (!json.containsKey("$ref")) {
      return json;
    }
    try {
      return schemas.resolve(json);
    } catch (RuntimeException e) {
      // Not resolvable here: the library checks every value of this parameter.
      return null;
    }
  }

  /** The library's own answer for one raw value, the simple check aside (for tests). */
  void checkWithLibrary(Parameter parameter, String raw) {
    checkParameter(parameter, value(parameter, raw));
  }

  private void checkParameter(Parameter parameter, RequestParameter value) {
    if (value == null || value.isNull()) {
      if (parameter.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(parameter);
      }
      return;
    }
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (transformer == null) {
      throw ValidatorException.createUnsupportedValueFormat(parameter);
    }
    Object transformed = transformer.transform(parameter, String.valueOf(value.get()));
    OutputUnit result = parameters.get(parameter).validate(transformed);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  private void checkBody(RequestBody requestBody, Buffer body, String contentType) {
    if (requestBody == null) {
      return;
    }
    if (body == null) {
      if (requestBody.isRequired()) {
        throw new ValidatorException(
            "The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return;
    }
    MediaType mediaType = requestBody.determineContentType(contentType);
    Buffer content = body;
    ContentAnalyser analyser =
        mediaType == null
            ? null
            : ContentAnalyser.getContentAnalyser(
                mediaType, contentType, content, ValidationContext.REQUEST);
    if (analyser == null) {
      throw new ValidatorException(
          "The format of the request body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    Validator validator = bodies.get(mediaType);
    if (validator == null) {
      // No schema: any syntactically correct content is accepted.
      return;
    }
    OutputUnit result = validator.validate(analyser.transform());
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e);
    }
  }

  private record Value(Object get) implements RequestParameter {}
}
