package org.jbutler.schema.dimensions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jbutler.schema.Values;
import org.jbutler.schema.Yaml;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * Reads daf_butler's {@code dimensions.yaml} format into a {@link DimensionUniverse}, checking it
 * thoroughly: every problem is reported with the element it concerns.
 */
final class DimensionConfigLoader {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> TOP_KEYS =
      Set.of("version", "namespace", "skypix", "elements", "topology", "packers");
  private static final Set<String> ELEMENT_KEYS =
      Set.of(
          "doc",
          "keys",
          "requires",
          "implies",
          "metadata",
          "governor",
          "always_join",
          "populated_by",
          "is_cached",
          "implied_union_target",
          "storage");
  private static final Set<String> COLUMN_KEYS =
      Set.of("name", "type", "length", "nbytes", "nullable", "doc");

  private final String source;

  private DimensionConfigLoader(String source) {
    this.source = source;
  }

  static DimensionUniverse load(InputStream in, String source) {
    try {
      return load(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), source);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot read dimension config " + source, e);
    }
  }

  static DimensionUniverse load(String text, String source) {
    JsonNode root;
    try {
      root = Yaml.strict().readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          "Dimension config " + source + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
    return new DimensionConfigLoader(source).build(root, text);
  }

  private InvalidConfigException error(String where, String problem) {
    return new InvalidConfigException(
        "Dimension config " + source + ": " + where + ": " + problem + ".");
  }

  private DimensionUniverse build(JsonNode root, String text) {
    if (root == null || !root.isObject()) {
      throw error("top level", "expected a mapping with 'version' and 'elements'");
    }
    checkKeys(root, TOP_KEYS, "top level");
    JsonNode versionNode = root.get("version");
    if (versionNode == null || !versionNode.canConvertToInt()) {
      throw error("top level", "'version' must be an integer");
    }
    int version = versionNode.asInt();
    String namespace = root.path("namespace").asText("daf_butler");

    JsonNode elementsNode = root.get("elements");
    if (elementsNode == null || !elementsNode.isObject() || elementsNode.isEmpty()) {
      throw error("top level", "'elements' must be a non-empty mapping of element names");
    }
    Map<String, DimensionElement> configured = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = elementsNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      configured.put(entry.getKey(), parseElement(entry.getKey(), entry.getValue()));
    }

    Map<String, Integer> skyPixSystems = new LinkedHashMap<>();
    List<DimensionElement> skyPix = parseSkyPix(root.get("skypix"), configured, skyPixSystems);
    String commonSkyPix = root.path("skypix").path("common").asText("");

    Map<String, DimensionElement> all = new LinkedHashMap<>(configured);
    for (DimensionElement s : skyPix) {
      all.put(s.name(), s);
    }
    if (!commonSkyPix.isEmpty() && !all.containsKey(commonSkyPix)) {
      throw error(
          "skypix",
          "'common' names '" + commonSkyPix + "', which is not a level of a configured system");
    }
    validateReferences(all);
    List<DimensionElement> sorted = sort(configured, skyPix);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      position.put(sorted.get(i).name(), i);
    }
    Map<String, List<String>> required = new HashMap<>();
    Map<String, List<String>> implied = new HashMap<>();
    for (DimensionElement e : sorted) {
      Set<String> closure = new java.util.HashSet<>();
      for (String r : e.directRequires()) {
        closure.addAll(required.get(r));
      }
      if (e.isDimension()) {
        closure.add(e.name());
      }
      required.put(e.name(), ordered(closure, position));
      implied.put(e.name(), ordered(new java.util.HashSet<>(e.directImplies()), position));
    }
    Map<String, List<String>> spatial = parseFamilies(root.path("topology"), "spatial", all);
    Map<String, List<String>> temporal = parseFamilies(root.path("topology"), "temporal", all);
    return new DimensionUniverse(
        text,
        version,
        namespace,
        commonSkyPix,
        skyPixSystems,
        spatial,
        temporal,
        sorted,
        required,
        implied);
  }

  private static List<String> ordered(Set<String> names, Map<String, Integer> position) {
    List<String> out = new ArrayList<>(names);
    out.sort(java.util.Comparator.comparingInt(position::get));
    return List.copyOf(out);
  }

  private DimensionElement parseElement(String name, JsonNode node) {
    String where = "element '" + name + "'";
    if (!NAME.matcher(name).matches()) {
      throw error(where, "the name must be letters, digits and underscores");
    }
    if (node == null || !node.isObject()) {
      throw error(where, "expected a mapping");
    }
    checkKeys(node, ELEMENT_KEYS, where);
    List<ColumnSpec> keys = parseColumns(node.get("keys"), where, "keys", true);
    List<ColumnSpec> metadata = parseColumns(node.get("metadata"), where, "metadata", false);
    List<String> requires = parseNames(node.get("requires"), where, "requires");
    List<String> implies = parseNames(node.get("implies"), where, "implies");
    boolean governor = bool(node, "governor", where);
    boolean alwaysJoin = bool(node, "always_join", where);
    String populatedBy = text(node, "populated_by", where);
    boolean cached = bool(node, "is_cached", where);
    String unionTarget = text(node, "implied_union_target", where);
    JsonNode storage = node.get("storage");
    if (storage != null && storage.isObject()) {
      // Legacy form: the storage class tells whether records are cached and whether the
      // dimension is a view of another element's implied column.
      String cls = storage.path("cls").asText("");
      cached |= cls.contains("Caching") || cls.contains("Governor");
      String viewOf =
          storage.path("nested").path("view_of").asText(storage.path("view_of").asText(""));
      if (unionTarget == null && !viewOf.isEmpty()) {
        unionTarget = viewOf;
      }
    }
    if (!keys.isEmpty()) {
      ColumnSpec pk = keys.get(0);
      if (pk.type() != ColumnType.INT && pk.type() != ColumnType.STRING) {
        throw error(
            where,
            "primary key '"
                + pk.name()
                + "' has type '"
                + pk.type().configName()
                + "'; primary keys must be 'int' or 'string'");
      }
      if (alwaysJoin) {
        throw error(where, "an element with keys is a dimension and cannot have 'always_join'");
      }
      if (populatedBy != null) {
        throw error(where, "an element with keys is a dimension and cannot have 'populated_by'");
      }
      if (governor && !requires.isEmpty()) {
        throw error(where, "a governor dimension cannot require other dimensions");
      }
    } else {
      if (requires.isEmpty()) {
        throw error(where, "an element without keys must require at least one dimension");
      }
      if (governor) {
        throw error(where, "a governor must be a dimension, with keys");
      }
      if (unionTarget != null) {
        throw error(where, "'implied_union_target' needs an element with keys");
      }
    }
    Set<String> fieldNames = new java.util.HashSet<>();
    for (ColumnSpec c : concat(keys, metadata)) {
      if (!fieldNames.add(c.name())) {
        throw error(where, "column '" + c.name() + "' is defined twice");
      }
    }
    return new DimensionElement(
        name,
        node.path("doc").asText("").trim(),
        keys,
        requires,
        implies,
        metadata,
        governor,
        alwaysJoin,
        populatedBy,
        cached,
        unionTarget,
        null,
        0);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private List<ColumnSpec> parseColumns(JsonNode node, String where, String field, boolean keys) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw error(where, "'" + field + "' must be a list of column specifications");
    }
    List<ColumnSpec> out = new ArrayList<>();
    for (JsonNode c : node) {
      if (!c.isObject() || !c.hasNonNull("name")) {
        throw error(where, "each entry of '" + field + "' needs at least a 'name'");
      }
      String colName = c.get("name").asText();
      String colWhere = where + ", " + field + " column '" + colName + "'";
      checkKeys(c, COLUMN_KEYS, colWhere);
      if (!NAME.matcher(colName).matches()) {
        throw error(colWhere, "the name must be letters, digits and underscores");
      }
      String typeName = c.path("type").asText("");
      ColumnType type;
      try {
        type = ColumnType.valueOf(typeName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error(
            colWhere,
            "unsupported type '"
                + typeName
                + "'; supported types are int, string, float, bool and hash");
      }
      int length = c.path("length").asInt(0);
      int nbytes = c.path("nbytes").asInt(0);
      if (type == ColumnType.STRING && length <= 0) {
        throw error(colWhere, "a string column needs a positive 'length'");
      }
      if (type == ColumnType.HASH && nbytes <= 0) {
        throw error(colWhere, "a hash column needs a positive 'nbytes'");
      }
      if (keys && type != ColumnType.INT && type != ColumnType.STRING && type != ColumnType.HASH) {
        throw error(
            colWhere, "key columns must be 'int', 'string' or 'hash', not '" + typeName + "'");
      }
      boolean nullable = !keys && c.path("nullable").asBoolean(true);
      out.add(
          new ColumnSpec(colName, type, length, nbytes, nullable, c.path("doc").asText("").trim()));
    }
    return out;
  }

  private List<String> parseNames(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw error(where, "'" + field + "' must be a list of dimension names");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw error(where, "'" + field + "' must contain only dimension names");
      }
      if (!out.add(n.asText())) {
        throw error(where, "'" + field + "' lists '" + n.asText() + "' twice");
      }
    }
    return List.copyOf(out);
  }

  private boolean bool(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw error(where, "'" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  private String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(where, "'" + field + "' must be an element name");
    }
    return v.asText();
  }

  private void checkKeys(JsonNode node, Set<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw error(where, "unknown key '" + key + "'" + Values.hint(key, allowed));
      }
    }
  }

  private List<DimensionElement> parseSkyPix(
      JsonNode node, Map<String, DimensionElement> configured, Map<String, Integer> systems) {
    List<DimensionElement> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw error("skypix", "expected a mapping of pixelization systems");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String system = entry.getKey();
      if (system.equals("common")) {
        continue;
      }
      JsonNode s = entry.getValue();
      String where = "skypix system '" + system + "'";
      if (!s.isObject() || !s.path("max_level").canConvertToInt()) {
        throw error(where, "needs an integer 'max_level'");
      }
      int max = s.get("max_level").asInt();
      int min = s.path("min_level").asInt(1);
      if (min < 0 || max < min) {
        throw error(where, "levels must satisfy 0 <= min_level <= max_level");
      }
      systems.put(system, max);
      for (int level = min; level <= max; level++) {
        String name = system + level;
        if (configured.containsKey(name)) {
          throw error(where, "level " + level + " clashes with element '" + name + "'");
        }
        out.add(
            new DimensionElement(
                name,
                "Level " + level + " of the " + system + " sky pixelization.",
                List.of(new ColumnSpec("id", ColumnType.INT, 0, 0, false, "")),
                List.of(),
                List.of(),
                List.of(),
                false,
                false,
                null,
                false,
                null,
                system,
                level));
      }
    }
    return out;
  }

  private void validateReferences(Map<String, DimensionElement> all) {
    for (DimensionElement e : all.values()) {
      String where = "element '" + e.name() + "'";
      for (String r : e.directRequires()) {
        checkDimension(all, r, where, "requires");
      }
      for (String i : e.directImplies()) {
        checkDimension(all, i, where, "implies");
      }
      e.populatedBy().ifPresent(p -> checkDimension(all, p, where, "populated_by"));
      e.impliedUnionTarget()
          .ifPresent(
              t -> {
                DimensionElement target = all.get(t);
                if (target == null) {
                  throw error(where, "'implied_union_target' names unknown element '" + t + "'");
                }
                if (!target.directImplies().contains(e.name())) {
                  throw error(
                      where,
                      "'implied_union_target' is '"
                          + t
                          + "', which does not imply '"
                          + e.name()
                          + "'");
                }
              });
    }
  }

  private void checkDimension(
      Map<String, DimensionElement> all, String name, String where, String field) {
    DimensionElement target = all.get(name);
    if (target == null) {
      throw error(
          where,
          "'" + field + "' names unknown element '" + name + "'" + Values.hint(name, all.keySet()));
    }
    if (!target.isDimension()) {
      throw error(where, "'" + field + "' names '" + name + "', which has no keys");
    }
  }

  /** Orders elements so each follows everything it requires or implies; rejects cycles. */
  private List<DimensionElement> sort(
      Map<String, DimensionElement> configured, List<DimensionElement> skyPix) {
    List<DimensionElement> out = new ArrayList<>();
    Set<String> placed = new java.util.HashSet<>();
    List<DimensionElement> pending = new ArrayList<>(configured.values());
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (Iterator<DimensionElement> it = pending.iterator(); it.hasNext(); ) {
        DimensionElement e = it.next();
        if (placed.containsAll(e.directRequires()) && placed.containsAll(e.directImplies())) {
          out.add(e);
          placed.add(e.name());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        List<String> names = pending.stream().map(DimensionElement::name).toList();
        throw error(
            "elements " + String.join(", ", names),
            "their 'requires'/'implies' form a cycle; break it so each element depends only on"
                + " elements that do not depend on it");
      }
    }
    out.addAll(skyPix);
    return out;
  }

  private Map<String, List<String>> parseFamilies(
      JsonNode topology, String space, Map<String, DimensionElement> all) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonNode families = topology.path(space);
    if (families.isMissingNode() || families.isNull()) {
      return out;
    }
    if (!families.isObject()) {
      throw error("topology." + space, "expected a mapping of family names to element lists");
    }
    Set<String> seen = new java.util.HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = families.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String where = "topology." + space + "." + entry.getKey();
      List<String> members = parseNames(entry.getValue(), where, "members");
      for (String m : members) {
        if (!all.containsKey(m)) {
          throw error(where, "names unknown element '" + m + "'");
        }
        if (!seen.add(m)) {
          throw error(where, "element '" + m + "' is in more than one " + space + " family");
        }
      }
      out.put(entry.getKey(), members);
    }
    return out;
  }
}
