package dev.storefront.gateway.openapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document of the public API ({@value #RESOURCE} on the class path): its YAML text, the
 * same as JSON, and the parsed, checked contract that requests are validated against. Loaded once
 * per process by {@link #load} and shared by every event loop's router; it never changes after.
 */
public final class ApiDocument implements Shareable {

  /** The class-path resource holding the document. */
  public static final String RESOURCE = "openapi/storefront.yaml";

  private static final String SHARED_MAP = "storefront.openapi";

  private final Buffer yaml;
  private final Buffer json;
  private final OpenAPIContract contract;

  private ApiDocument(Buffer yaml, Buffer json, OpenAPIContract contract) {
    this.yaml = yaml;
    this.json = json;
    this.contract = contract;
  }

  /**
   * The document of this process: read and checked on the first call (off the event loop, since
   * parsing and checking it takes tens of milliseconds), then shared. Fails when the document is
   * not valid OpenAPI.
   */
  public static Future<ApiDocument> load(Vertx vertx) {
    LocalMap<String, ApiDocument> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    ApiDocument known = shared.get(RESOURCE);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx
        .executeBlocking(() -> parse(readResource()), false)
        .compose(
            parsed -> {
              // Encoded before the contract is built from the tree, which it may annotate.
              Buffer json = parsed.json().toBuffer();
              return OpenAPIContract.from(vertx, forRequestValidation(parsed.json()))
                  .map(contract -> new ApiDocument(parsed.yaml(), json, contract));
            })
        .map(
            loaded -> {
              // Two verticles loading at once keep the first one stored.
              ApiDocument prior = shared.putIfAbsent(RESOURCE, loaded);
              return prior == null ? loaded : prior;
            });
  }

  /** The document as written (YAML). */
  public Buffer yaml() {
    return yaml;
  }

  /** The document as JSON, converted once. */
  public Buffer json() {
    return json;
  }

  public OpenAPIContract contract() {
    return contract;
  }

  /**
   * The document less what only describes responses. vertx-openapi 5.0.8 refuses a contract whose
   * responses use media types other than JSON, text and multipart (problem+json, event streams,
   * YAML), and requests are all it validates here; so the contract is built from a copy without
   * response bodies, and the document served stays whole.
   */
  static JsonObject forRequestValidation(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject components = copy.getJsonObject("components", new JsonObject());
    stripContent(components.getJsonObject("responses", new JsonObject()));
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        if (item.getValue(key) instanceof JsonObject operation
            && operation.getValue("responses") instanceof JsonObject responses) {
          stripContent(responses);
        }
      }
    }
    return copy;
  }

  private static void stripContent(JsonObject responses) {
    for (String status : responses.fieldNames()) {
      if (responses.getValue(status) instanceof JsonObject response) {
        response.remove("content");
      }
    }
  }

  record Parsed(Buffer yaml, JsonObject json) {}

  private static Buffer readResource() {
    ClassLoader loader = ApiDocument.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The API document " + RESOURCE + " is not on the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + RESOURCE, e);
    }
  }

  /**
   * YAML to JSON. The safe constructor builds only maps, lists, strings, numbers and booleans; the
   * document holds no timestamps or other YAML-only types, so the JSON says the same thing.
   */
  static Parsed parse(Buffer yaml) {
    Object tree =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(yaml.toString(StandardCharsets.UTF_8));
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalStateException("The API document is not a YAML mapping");
    }
    // Round trip through text so that nested maps and lists become JsonObject and JsonArray.
    @SuppressWarnings("unchecked")
    JsonObject json = new JsonObject(new JsonObject((Map<String, Object>) map).encode());
    return new Parsed(yaml, json);
  }
}
