package org.jbutler.pipetask.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A task's effective config: its own config object (a record bound from YAML), the {@code
 * connections.*} values (dataset type renames and template values) and {@code saveLogOutput}.
 *
 * @param config the task's config object
 * @param connections connection renames and template values
 * @param saveLogOutput whether {@code <label>_log} is written
 */
public record TaskConfig(Object config, Map<String, String> connections, boolean saveLogOutput) {

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** Copies. */
  public TaskConfig {
    connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
  }

  /**
   * The config as a tree, as contracts and {@code --show config} see it: the task's fields, plus
   * {@code connections} and {@code saveLogOutput}.
   */
  public ObjectNode asTree() {
    ObjectNode tree = JSON.valueToTree(config);
    ObjectNode conn = tree.putObject("connections");
    connections.forEach(conn::put);
    tree.put("saveLogOutput", saveLogOutput);
    return tree;
  }

  /**
   * Builds a task's config from its defaults and config blocks, applied in order: {@code file:}
   * entries (YAML files of the same key/value form), then key/value pairs; dotted keys reach nested
   * fields; a string value {@code parameters.X} is the pipeline parameter X.
   *
   * @throws InvalidConfigException naming the label and the field for unknown keys, wrong types,
   *     missing parameters and failed validation
   */
  static <C> TaskConfig build(
      PipelineTask<C> task,
      String label,
      List<Map<String, Object>> blocks,
      Map<String, Object> parameters,
      Path baseDir) {
    ObjectNode tree = JSON.valueToTree(task.defaultConfig());
    Map<String, String> connections = new LinkedHashMap<>();
    boolean[] saveLog = {true};
    for (Map<String, Object> block : blocks) {
      apply(block, tree, connections, saveLog, label, parameters, baseDir, task);
    }
    C config;
    try {
      config = JSON.treeToValue(tree, task.configClass());
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root instanceof IllegalArgumentException ? root.getMessage() : plainReason(e);
      throw new InvalidConfigException(
          "Task '"
              + label
              + "': config "
              + (field.isEmpty() ? "" : "field '" + field + "' ")
              + "is invalid: "
              + firstLine(why));
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          "Task '" + label + "': config is invalid: " + firstLine(e.getOriginalMessage()));
    }
    try {
      task.validate(config);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("Task '" + label + "': " + e.getMessage());
    }
    return new TaskConfig(config, connections, saveLog[0]);
  }

  /** Jackson's reason for a bad value, without Jackson's vocabulary (coercion configs, tokens). */
  private static String plainReason(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
      return org.jbutler.schema.Values.quote(f.getValue())
          + " is not "
          + describe(f.getTargetType());
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "there is no field '"
          + u.getPropertyName()
          + "'"
          + (u.getKnownPropertyIds() == null || u.getKnownPropertyIds().isEmpty()
              ? ""
              : "; fields are " + u.getKnownPropertyIds());
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
        && m.getTargetType() != null) {
      String given = null;
      if (m.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
        try {
          given = p.getText();
        } catch (java.io.IOException ignored) {
          // no text to quote: say what was expected only
        }
      }
      return given == null || given.isEmpty()
          ? "expected " + describe(m.getTargetType())
          : org.jbutler.schema.Values.quote(given) + " is not " + describe(m.getTargetType());
    }
    return e.getOriginalMessage();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a valid value";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @SuppressWarnings("unchecked")
  private static void apply(
      Map<String, Object> block,
      ObjectNode tree,
      Map<String, String> connections,
      boolean[] saveLog,
      String label,
      Map<String, Object> parameters,
      Path baseDir,
      PipelineTask<?> task) {
    Object files = block.get("file");
    if (files != null) {
      List<Object> list = files instanceof List<?> l ? (List<Object>) l : List.of(files);
      for (Object f : list) {
        Path path = resolve(Pipelines.expandEnv(String.valueOf(f)), baseDir);
        Object doc;
        try {
          doc = org.jbutler.schema.Yaml.lenient().readValue(path.toFile(), Object.class);
        } catch (IOException e) {
          throw new InvalidConfigException(
              "Task '" + label + "': cannot read config file " + path + ": " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m)) {
          throw new InvalidConfigException(
              "Task '" + label + "': config file " + path + " is not a mapping of fields.");
        }
        apply(
            (Map<String, Object>) m,
            tree,
            connections,
            saveLog,
            label,
            parameters,
            path.getParent(),
            task);
      }
    }
    for (Map.Entry<String, Object> e : block.entrySet()) {
      String key = e.getKey();
      Object value = substitute(e.getValue(), parameters, label, key);
      switch (key) {
        case "file" -> {}
        case "python" ->
            throw new InvalidConfigException(
                "Task '"
                    + label
                    + "': python: config blocks cannot run in jbutler; give field: value pairs or"
                    + " file: YAML files.");
        case "dataId" ->
            throw new InvalidConfigException(
                "Task '"
                    + label
                    + "': dataId: config blocks are not implemented (nor in pipe_base).");
        case "saveLogOutput" -> {
          if (!(value instanceof Boolean b)) {
            throw new InvalidConfigException(
                "Task '" + label + "': saveLogOutput must be true or false, not " + value + ".");
          }
          saveLog[0] = b;
        }
        default -> {
          if (key.startsWith("connections.")) {
            connections.put(key.substring("connections.".length()), String.valueOf(value));
          } else if (key.equals("connections") && value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> connections.put(String.valueOf(k), String.valueOf(v)));
          } else {
            set(tree, key, value, label);
          }
        }
      }
    }
  }

  private static Path resolve(String file, Path baseDir) {
    Path p = Path.of(file);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }

  /** Replaces {@code parameters.X} strings (also inside lists and maps) by the parameter. */
  private static Object substitute(
      Object value, Map<String, Object> parameters, String label, String key) {
    if (value instanceof String s && s.startsWith("parameters.")) {
      String name = s.substring("parameters.".length());
      if (!parameters.containsKey(name)) {
        throw new InvalidConfigException(
            "Task '"
                + label
                + "': "
                + key
                + " refers to parameters."
                + name
                + ", which the pipeline does not define; parameters are "
                + parameters.keySet()
                + ".");
      }
      return parameters.get(name);
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(substitute(o, parameters, label, key));
      }
      return out;
    }
    return value;
  }

  private static void set(ObjectNode tree, String dottedKey, Object value, String label) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (!node.has(part)) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        throw new InvalidConfigException(
            "Task '"
                + label
                + "': unknown config field '"
                + dottedKey
                + "'"
                + (i > 0
                    ? " (no '"
                        + part
                        + "' in "
                        + String.join(".", List.of(parts).subList(0, i))
                        + ")"
                    : "")
                + "; fields are "
                + names
                + ".");
      }
      if (i == parts.length - 1) {
        node.set(part, JSON.valueToTree(value));
      } else {
        JsonNode next = node.get(part);
        if (!(next instanceof ObjectNode o)) {
          throw new InvalidConfigException(
              "Task '"
                  + label
                  + "': config field '"
                  + String.join(".", List.of(parts).subList(0, i + 1))
                  + "' is not a group of fields, so '"
                  + dottedKey
                  + "' cannot be set.");
        }
        node = o;
      }
    }
  }
}
