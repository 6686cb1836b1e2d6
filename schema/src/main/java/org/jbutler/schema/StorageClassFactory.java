package org.jbutler.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * The known storage classes, loaded from YAML in daf_butler's {@code storageClasses.yaml} layout
 * ({@code storageClasses: {Name: {javaType|pytype, inheritsFrom, components, derivedComponents,
 * parameters, converters}}}; a bare string value is the type).
 */
public final class StorageClassFactory {

  private static final String DEFAULT_RESOURCE = "storageClasses.yaml";
  private static final Set<String> KEYS =
      Set.of(
          "javaType",
          "pytype",
          "inheritsFrom",
          "components",
          "derivedComponents",
          "parameters",
          "converters",
          "delegate");
  private static volatile StorageClassFactory defaults;

  private final Map<String, StorageClass> classes;

  private StorageClassFactory(Map<String, StorageClass> classes) {
    this.classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
  }

  /** Returns the storage classes shipped with jbutler. */
  public static StorageClassFactory defaults() {
    StorageClassFactory f = defaults;
    if (f == null) {
      try (InputStream in = StorageClassFactory.class.getResourceAsStream(DEFAULT_RESOURCE)) {
        f = parse(in, "default " + DEFAULT_RESOURCE, Map.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      defaults = f;
    }
    return f;
  }

  /**
   * Returns this factory with the definitions of a YAML file added (a name already defined is
   * replaced).
   *
   * @throws InvalidConfigException naming the storage class and the problem
   */
  public StorageClassFactory withFile(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return parse(in, path.toString(), classes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read storage class config " + path, e);
    }
  }

  /**
   * Returns this factory with the definitions in YAML text added.
   *
   * @throws InvalidConfigException naming the storage class and the problem
   */
  public StorageClassFactory withYaml(String yaml) {
    return parse(
        new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        "YAML text",
        classes);
  }

  /** Returns every storage class, in definition order. */
  public Map<String, StorageClass> all() {
    return classes;
  }

  /**
   * Returns a storage class by name.
   *
   * @throws DatasetTypeException if there is none, naming the closest known class
   */
  public StorageClass storageClass(String name) {
    StorageClass sc = classes.get(Objects.requireNonNull(name, "name"));
    if (sc == null) {
      throw new DatasetTypeException(
          "Unknown storage class '" + name + "'." + Values.suggestion(name, classes.keySet()));
    }
    return sc;
  }

  /** Returns whether a storage class of this name is defined. */
  public boolean contains(String name) {
    return classes.containsKey(name);
  }

  private static StorageClassFactory parse(
      InputStream in, String source, Map<String, StorageClass> base) {
    JsonNode root;
    try {
      root = Yaml.strict().readTree(in);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          "Storage class config " + source + " is not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot read storage class config " + source, e);
    }
    JsonNode defs = root == null ? null : root.get("storageClasses");
    if (defs == null || !defs.isObject()) {
      throw new InvalidConfigException(
          "Storage class config " + source + " needs a top-level 'storageClasses' mapping.");
    }
    Map<String, JsonNode> raw = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      raw.put(e.getKey(), e.getValue());
    }
    Map<String, StorageClass> out = new LinkedHashMap<>(base);
    for (String name : raw.keySet()) {
      resolve(name, raw, out, new ArrayList<>(), source);
    }
    for (StorageClass sc : out.values()) {
      for (Map<String, String> m : List.of(sc.components(), sc.derivedComponents())) {
        for (Map.Entry<String, String> c : m.entrySet()) {
          if (!out.containsKey(c.getValue())) {
            throw new InvalidConfigException(
                "Storage class config "
                    + source
                    + ": '"
                    + sc.name()
                    + "' component '"
                    + c.getKey()
                    + "' has unknown storage class '"
                    + c.getValue()
                    + "'.");
          }
        }
      }
    }
    return new StorageClassFactory(out);
  }

  private static StorageClass resolve(
      String name,
      Map<String, JsonNode> raw,
      Map<String, StorageClass> done,
      List<String> stack,
      String source) {
    JsonNode node = raw.get(name);
    if (node == null || (done.containsKey(name) && !stack.isEmpty())) {
      StorageClass sc = done.get(name);
      if (sc == null) {
        throw new InvalidConfigException(
            "Storage class config "
                + source
                + ": '"
                + stack.get(stack.size() - 1)
                + "' inherits from unknown storage class '"
                + name
                + "'.");
      }
      return sc;
    }
    if (stack.contains(name)) {
      throw new InvalidConfigException(
          "Storage class config "
              + source
              + ": inheritsFrom forms a cycle: "
              + String.join(" -> ", stack)
              + " -> "
              + name
              + ".");
    }
    String where = "Storage class config " + source + ": '" + name + "'";
    if (node.isTextual()) {
      StorageClass sc =
          new StorageClass(
              name, node.asText(), "", List.of(), Map.of(), Map.of(), List.of(), List.of());
      done.put(name, sc);
      return sc;
    }
    if (!node.isObject()) {
      throw new InvalidConfigException(where + " must be a mapping or a type name.");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new InvalidConfigException(
            where + " has unknown key '" + key + "'." + Values.suggestion(key, KEYS));
      }
    }
    StorageClass parent = null;
    if (node.hasNonNull("inheritsFrom")) {
      stack.add(name);
      parent = resolve(node.get("inheritsFrom").asText(), raw, done, stack, source);
      stack.remove(stack.size() - 1);
    }
    String javaType = node.path("javaType").asText(parent == null ? "" : parent.javaType());
    String pyType = node.path("pytype").asText(parent == null ? "" : parent.pythonType());
    if (javaType.isEmpty() && pyType.isEmpty()) {
      throw new InvalidConfigException(where + " needs a 'javaType' (or daf_butler's 'pytype').");
    }
    List<String> parents = new ArrayList<>();
    Map<String, String> components = new LinkedHashMap<>();
    Map<String, String> derived = new LinkedHashMap<>();
    List<String> parameters = new ArrayList<>();
    List<String> converters = new ArrayList<>();
    if (parent != null) {
      parents.add(parent.name());
      parents.addAll(parent.parents());
      components.putAll(parent.components());
      derived.putAll(parent.derivedComponents());
      parameters.addAll(parent.parameters());
      converters.addAll(parent.converters());
    }
    components.putAll(stringMap(node.get("components"), where, "components"));
    derived.putAll(stringMap(node.get("derivedComponents"), where, "derivedComponents"));
    for (JsonNode p : listOf(node.get("parameters"), where, "parameters")) {
      if (!parameters.contains(p.asText())) {
        parameters.add(p.asText());
      }
    }
    JsonNode conv = node.get("converters");
    if (conv != null && conv.isObject()) {
      conv.fieldNames().forEachRemaining(converters::add);
    }
    StorageClass sc =
        new StorageClass(
            name,
            javaType.isEmpty() ? pyType : javaType,
            pyType,
            parents,
            components,
            derived,
            parameters,
            converters);
    done.put(name, sc);
    return sc;
  }

  private static Map<String, String> stringMap(JsonNode node, String where, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new InvalidConfigException(
          where + ": '" + field + "' must map names to storage classes.");
    }
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static List<JsonNode> listOf(JsonNode node, String where, String field) {
    List<JsonNode> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new InvalidConfigException(where + ": '" + field + "' must be a list.");
    }
    node.forEach(out::add);
    return out;
  }
}
