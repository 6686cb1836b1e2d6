package org.jbutler.pipetask;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A task's connections: its quantum dimensions, its connections by name, and the default values of
 * the {@code {template}} fields their dataset type names may hold. Immutable; built with {@link
 * #builder}, and resolved against a config's {@code connections.*} overrides (renames and template
 * values) by {@link #resolve}.
 */
public final class Connections {

  private static final Pattern TEMPLATE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final List<String> dimensions;
  private final Map<String, Connection> byName;
  private final Map<String, String> templates;

  private Connections(
      List<String> dimensions, Map<String, Connection> byName, Map<String, String> templates) {
    this.dimensions = List.copyOf(dimensions);
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
  }

  /** Starts a set of connections with the quantum dimensions. */
  public static Builder builder(String... quantumDimensions) {
    return new Builder(List.of(quantumDimensions));
  }

  /** The quantum dimensions. */
  public List<String> dimensions() {
    return dimensions;
  }

  /** Every connection by name, in declaration order. */
  public Map<String, Connection> all() {
    return byName;
  }

  /** The connections of one kind, in declaration order. */
  public List<Connection> ofKind(Connection.Kind kind) {
    return byName.values().stream().filter(c -> c.kind() == kind).toList();
  }

  /** The default template values. */
  public Map<String, String> templates() {
    return templates;
  }

  /**
   * Applies a config's {@code connections.*} values: a connection name renames its dataset type, a
   * template key sets that template's value; then fills every template.
   *
   * @param label the task label, for messages
   * @throws InvalidConfigException naming the label and the unknown key or unfilled template
   */
  public Connections resolve(Map<String, String> overrides, String label) {
    Map<String, String> values = new LinkedHashMap<>(templates);
    Map<String, String> renames = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (byName.containsKey(e.getKey())) {
        renames.put(e.getKey(), e.getValue());
      } else if (templates.containsKey(e.getKey())) {
        values.put(e.getKey(), e.getValue());
      } else {
        throw new InvalidConfigException(
            "Task '"
                + label
                + "': connections."
                + e.getKey()
                + " is neither a connection nor a template; connections are "
                + byName.keySet()
                + (templates.isEmpty() ? "" : ", templates " + templates.keySet())
                + ".");
      }
    }
    Map<String, Connection> resolved = new LinkedHashMap<>();
    for (Connection c : byName.values()) {
      String name = renames.getOrDefault(c.name(), c.datasetType());
      Matcher m = TEMPLATE.matcher(name);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = values.get(m.group(1));
        if (v == null) {
          throw new InvalidConfigException(
              "Task '"
                  + label
                  + "': connection "
                  + c.name()
                  + " ("
                  + name
                  + ") uses the template {"
                  + m.group(1)
                  + "}, which has no value; set connections."
                  + m.group(1)
                  + ".");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(v));
      }
      m.appendTail(out);
      String type = out.toString();
      if (!type.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
        throw new InvalidConfigException(
            "Task '"
                + label
                + "': connection "
                + c.name()
                + " names the dataset type '"
                + type
                + "', which is not a valid name.");
      }
      resolved.put(c.name(), c.withDatasetType(type));
    }
    return new Connections(dimensions, resolved, values);
  }

  /** Builds connections; a task may add, replace or remove them depending on its config. */
  public static final class Builder {
    private List<String> dimensions;
    private final Map<String, Connection> byName = new LinkedHashMap<>();
    private final Map<String, String> templates = new LinkedHashMap<>();

    private Builder(List<String> dimensions) {
      this.dimensions = new ArrayList<>(dimensions);
    }

    /** Adds (or replaces) connections. */
    public Builder add(Connection... connections) {
      for (Connection c : connections) {
        byName.put(c.name(), c);
      }
      return this;
    }

    /** Removes a connection (e.g. when the config turns its step off). */
    public Builder remove(String name) {
      byName.remove(name);
      return this;
    }

    /** Sets a template's default value ({@code coaddName} for {@code {coaddName}Diff}). */
    public Builder template(String key, String defaultValue) {
      templates.put(key, defaultValue);
      return this;
    }

    /** Changes the quantum dimensions. */
    public Builder dimensions(String... dims) {
      this.dimensions = new ArrayList<>(List.of(dims));
      return this;
    }

    /**
     * The connections.
     *
     * @throws IllegalArgumentException if a template key is also a connection name
     */
    public Connections build() {
      for (String t : templates.keySet()) {
        if (byName.containsKey(t)) {
          throw new IllegalArgumentException(
              "Template '" + t + "' has the name of a connection; rename one of them.");
        }
      }
      return new Connections(dimensions, byName, templates);
    }
  }
}
