package dev.storefront.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the files under {@code docker/} for {@link DockerArtifactsTest}: finds the repository,
 * parses YAML (and JSON, which is YAML) strictly, and splits Dockerfiles into instructions.
 */
final class DockerFiles {

  private DockerFiles() {}

  /** One Dockerfile instruction, continuation lines joined, keyword upper-cased. */
  record Instruction(String keyword, String arguments) {}

  /**
   * The repository root: the {@code storefront.root} system property when it points at one, else
   * the first directory holding {@code docker/compose.yaml} upwards from the working directory.
   */
  static Path repositoryRoot() {
    String configured = System.getProperty("storefront.root");
    if (configured != null && isRoot(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no docker/compose.yaml in " + Path.of("").toAbsolutePath() + " or above");
  }

  private static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("docker").resolve("compose.yaml"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh strict loader: safe types only, duplicate keys rejected. */
  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** Parses a single-document YAML or JSON file whose top level is a mapping. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> loadMap(Path file) {
    Object document = yaml().load(read(file));
    if (!(document instanceof Map)) {
      throw new IllegalArgumentException(file + " is not a mapping at the top level");
    }
    return (Map<String, Object>) document;
  }

  /** Parses every document of a YAML stream, skipping empty ones. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> loadAll(Path file) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(read(file))) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map)) {
        throw new IllegalArgumentException(file + " holds a document that is not a mapping");
      }
      documents.add((Map<String, Object>) document);
    }
    return documents;
  }

  /** Parses a YAML or JSON value given inline, such as an exec-form ENTRYPOINT. */
  static Object parseValue(String text) {
    return yaml().load(text);
  }

  /** The instructions of a Dockerfile, without comments and with continuations joined. */
  static List<Instruction> dockerfile(Path file) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : read(file).split("\n", -1)) {
      String line = raw.strip();
      if (pending.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (pending.length() > 0 && line.startsWith("#")) {
        continue; // comment lines inside a continued instruction are dropped by Docker too
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String whole = pending.toString().strip();
      pending.setLength(0);
      if (whole.isEmpty()) {
        continue;
      }
      String[] parts = whole.split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
    }
    if (pending.length() > 0) {
      throw new IllegalArgumentException(file + " ends inside a continued instruction");
    }
    return instructions;
  }

  /** A nested value by keys and list indexes, or empty when any step is missing. */
  static Optional<Object> at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      if (step instanceof String key && current instanceof Map<?, ?> map) {
        current = map.get(key);
      } else if (step instanceof Integer index && current instanceof List<?> list) {
        current = index < list.size() ? list.get(index) : null;
      } else {
        return Optional.empty();
      }
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, Object... path) {
    return at(node, path)
        .filter(Map.class::isInstance)
        .map(v -> (Map<String, Object>) v)
        .orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, Object... path) {
    return at(node, path)
        .filter(List.class::isInstance)
        .map(v -> (List<Object>) v)
        .orElse(List.of());
  }

  static String string(Object node, Object... path) {
    return at(node, path).map(String::valueOf).orElse(null);
  }
}
