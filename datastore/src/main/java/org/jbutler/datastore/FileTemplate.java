package org.jbutler.datastore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A file template in daf_butler's syntax: literal text and named fields such as {@code
 * {run:/}/{datasetType}/{visit:05d}/{detector.full_name}_{band:?}}.
 *
 * <ul>
 *   <li>Fields: {@code run}, {@code datasetType}, {@code component}, {@code id}, {@code skypix},
 *       any dimension name, and record attributes {@code element.field} (which need a data ID with
 *       records).
 *   <li>{@code |} separates alternatives, the first available wins: {@code
 *       {exposure.obs_id|group}}.
 *   <li>After {@code :}, a format spec ({@code 05d}, {@code .4s}); {@code ?} marks the field
 *       optional (when it has no value, the field and the literal text before it are dropped,
 *       unless that text holds a {@code /}); {@code /} keeps slashes in the value (for {@code
 *       run}).
 *   <li>{@code !s} converts to a string before formatting.
 * </ul>
 *
 * <p>Values are sanitised: {@code /} (unless kept), control characters and {@code <>:"\|?*} and
 * spaces become {@code _}; in the file-name part dots become {@code _} too, and no path component
 * can be {@code .} or {@code ..}. The result is a relative path that cannot leave the datastore
 * root, whatever the data ID holds.
 */
public final class FileTemplate {

  /** One piece: literal text followed by an optional field starting at {@code offset}. */
  private record Part(String literal, Field field, int offset) {}

  /** A field: alternatives, format spec, flags. */
  private record Field(
      List<String> names, String spec, boolean optional, boolean keepSlash, boolean toStr) {}

  private static final Pattern FIELD = Pattern.compile("\\{([^{}]*)}");
  private static final Pattern SPEC =
      Pattern.compile("^(?:(.)?([<>^]))?(0)?(\\d+)?(?:\\.(\\d+))?([dsfxX])?$");
  private static final Set<String> SPECIAL = Set.of("run", "datasetType", "component", "id");

  private final String template;
  private final List<Part> parts;

  private FileTemplate(String template, List<Part> parts) {
    this.template = template;
    this.parts = parts;
  }

  /**
   * Parses a template and checks daf_butler's rules: it has {@code {run}} or {@code {id}}; it has a
   * dimension field unless it has {@code {id}}; {@code {id}} is in the file-name part; no {@code
   * ../}; no {@code {collection}}.
   *
   * @throws InvalidConfigException naming the template and the rule it breaks
   */
  public static FileTemplate parse(String template) {
    Objects.requireNonNull(template, "template");
    List<Part> parts = new ArrayList<>();
    Matcher m = FIELD.matcher(template);
    int at = 0;
    while (m.find()) {
      String literal = template.substring(at, m.start());
      if (literal.contains("{") || literal.contains("}")) {
        throw invalid(template, "unbalanced braces");
      }
      parts.add(new Part(literal, field(template, m.group(1)), m.start()));
      at = m.end();
    }
    String tail = template.substring(at);
    if (tail.contains("{") || tail.contains("}")) {
      throw invalid(template, "unbalanced braces");
    }
    if (!tail.isEmpty()) {
      parts.add(new Part(tail, null, template.length()));
    }
    FileTemplate t = new FileTemplate(template, List.copyOf(parts));
    t.validate();
    return t;
  }

  private static Field field(String template, String body) {
    String names = body;
    String spec = "";
    boolean toStr = false;
    int colon = body.indexOf(':');
    if (colon >= 0) {
      names = body.substring(0, colon);
      spec = body.substring(colon + 1);
    }
    int bang = names.indexOf('!');
    if (bang >= 0) {
      String conversion = names.substring(bang + 1);
      if (!conversion.equals("s")) {
        throw invalid(template, "only the !s conversion is supported, not !" + conversion);
      }
      toStr = true;
      names = names.substring(0, bang);
    }
    boolean optional = spec.contains("?");
    boolean keepSlash = spec.contains("/");
    spec = spec.replace("?", "").replace("/", "");
    if (!SPEC.matcher(spec).matches()) {
      throw invalid(template, "unsupported format spec '" + spec + "' in {" + body + "}");
    }
    List<String> alternatives = new ArrayList<>();
    for (String n : names.split("\\|", -1)) {
      String name = n.trim();
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
        throw invalid(template, "bad field name '" + n + "' in {" + body + "}");
      }
      alternatives.add(name);
    }
    return new Field(List.copyOf(alternatives), spec, optional, keepSlash, toStr);
  }

  private static InvalidConfigException invalid(String template, String why) {
    return new InvalidConfigException("Invalid file template '" + template + "': " + why + ".");
  }

  private void validate() {
    Set<String> names = fieldNames();
    if (names.contains("collection")) {
      throw invalid(template, "{collection} is not allowed (a dataset's path follows its run)");
    }
    if (!names.contains("run") && !names.contains("id")) {
      throw invalid(template, "it needs {run} or {id} so that paths are unique");
    }
    if (!names.contains("id")) {
      boolean dimension = false;
      for (String n : names) {
        if (!SPECIAL.contains(n)) {
          dimension = true;
        }
      }
      if (!dimension) {
        throw invalid(template, "it needs at least one dimension field (or {id})");
      }
    }
    if (template.contains("../") || template.contains("/..") || template.equals("..")) {
      throw invalid(template, "'..' is not allowed");
    }
    if (template.startsWith("/")) {
      throw invalid(template, "it must be a relative path");
    }
    if (names.contains("id")) {
      int lastSlash = template.lastIndexOf('/');
      int id = template.indexOf("{id");
      if (id >= 0 && id < lastSlash) {
        throw invalid(template, "{id} must be in the file name, not in a directory");
      }
    }
  }

  /** Every field name used, alternatives included. */
  public Set<String> fieldNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Part p : parts) {
      if (p.field() != null) {
        out.addAll(p.field().names());
      }
    }
    return out;
  }

  /**
   * Formats the path of a dataset (without extension): a relative path under the datastore root.
   *
   * @throws InvalidConfigException if a required field has no value (e.g. a record attribute and
   *     the data ID has no records), naming the field
   */
  public String format(DatasetRef ref) {
    StringBuilder out = new StringBuilder();
    int fileNameStart = template.lastIndexOf('/');
    for (Part p : parts) {
      String literal = p.literal();
      if (p.field() == null) {
        out.append(literal);
        continue;
      }
      Optional<Object> value = Optional.empty();
      for (String name : p.field().names()) {
        value = lookup(ref, name);
        if (value.isPresent()) {
          break;
        }
      }
      if (value.isEmpty()) {
        if (!p.field().optional()) {
          throw new InvalidConfigException(
              "File template '"
                  + template
                  + "' needs "
                  + String.join(" or ", p.field().names())
                  + " but "
                  + ref
                  + " has no value for it"
                  + (needsRecords(p.field()) && !ref.dataId().hasRecords()
                      ? " (record attributes need a data ID with records)"
                      : "")
                  + "; mark the field optional with ':?' or use another template.");
        }
        if (literal.contains("/")) {
          out.append(literal);
        }
      } else {
        out.append(literal);
        boolean inFileName = p.offset() > fileNameStart;
        out.append(sanitise(render(p.field(), value.get()), p.field().keepSlash(), inFileName));
      }
    }
    String path = out.toString().replaceAll("/{2,}", "/");
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty() || component.equals(".") || component.equals("..")) {
        throw new InvalidConfigException(
            "File template '"
                + template
                + "' gives the unsafe path '"
                + path
                + "' for "
                + ref
                + ".");
      }
    }
    return path;
  }

  private static boolean needsRecords(Field f) {
    return f.names().stream().anyMatch(n -> n.contains("."));
  }

  private static Optional<Object> lookup(DatasetRef ref, String name) {
    DataCoordinate d = ref.dataId();
    switch (name) {
      case "run":
        return Optional.of(ref.run());
      case "datasetType":
        return Optional.of(ref.datasetType().parentName());
      case "component":
        return ref.datasetType().component().map(c -> c);
      case "id":
        return Optional.of(ref.id().toString());
      case "skypix":
        for (String dim : d.dimensions().names()) {
          if (d.universe().element(dim).isSkyPix()) {
            return d.findValue(dim);
          }
        }
        return Optional.empty();
      default:
        break;
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      return d.dimensions().contains(name) ? d.findValue(name) : Optional.empty();
    }
    String element = name.substring(0, dot);
    String field = name.substring(dot + 1);
    Optional<DimensionRecord> record = d.hasRecords() ? d.record(element) : Optional.empty();
    if (record.isEmpty()) {
      return Optional.empty();
    }
    DimensionElement e = record.get().element();
    if (e.isDimension() && field.equals(e.primaryKey().name())) {
      return d.findValue(element);
    }
    return record.get().value(field);
  }

  /** Applies the format spec (Python's mini-language, the common subset). */
  private String render(Field f, Object value) {
    Object v = f.toStr() ? String.valueOf(value) : value;
    if (f.spec().isEmpty()) {
      return String.valueOf(v);
    }
    Matcher m = SPEC.matcher(f.spec());
    if (!m.matches()) {
      return String.valueOf(v);
    }
    String fill = m.group(1) == null ? " " : m.group(1);
    String align = m.group(2);
    boolean zero = m.group(3) != null;
    int width = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    Integer precision = m.group(5) == null ? null : Integer.parseInt(m.group(5));
    String type = m.group(6);
    String s;
    if ("d".equals(type) || ("x".equalsIgnoreCase(type == null ? "" : type))) {
      if (!(v instanceof Number n)) {
        throw new InvalidConfigException(
            "File template '" + template + "': " + f.names() + " is not an integer (" + v + ").");
      }
      s = "d".equals(type) ? Long.toString(n.longValue()) : Long.toHexString(n.longValue());
      if ("X".equals(type)) {
        s = s.toUpperCase(Locale.ROOT);
      }
    } else if ("f".equals(type)) {
      if (!(v instanceof Number n)) {
        throw new InvalidConfigException(
            "File template '" + template + "': " + f.names() + " is not a number (" + v + ").");
      }
      s =
          String.format(
              Locale.ROOT, "%." + (precision == null ? 6 : precision) + "f", n.doubleValue());
    } else {
      s = String.valueOf(v);
      if (precision != null && s.length() > precision) {
        s = s.substring(0, precision);
      }
    }
    if (s.length() < width) {
      boolean numeric = v instanceof Number && !f.toStr();
      if (zero && align == null) {
        String sign = s.startsWith("-") ? "-" : "";
        String digits = sign.isEmpty() ? s : s.substring(1);
        s = sign + "0".repeat(width - s.length()) + digits;
      } else {
        String a = align != null ? align : numeric ? ">" : "<";
        int pad = width - s.length();
        s =
            switch (a) {
              case ">" -> fill.repeat(pad) + s;
              case "^" -> fill.repeat(pad / 2) + s + fill.repeat(pad - pad / 2);
              default -> s + fill.repeat(pad);
            };
      }
    }
    return s;
  }

  /** Replaces what could change the path's meaning or break file systems. */
  static String sanitise(String value, boolean keepSlash, boolean inFileName) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean bad =
          c < 0x20
              || c == 0x7f
              || " <>:\"\\|?*".indexOf(c) >= 0
              || (c == '/' && !keepSlash)
              || (c == '.' && inFileName);
      out.append(bad ? '_' : c);
    }
    // No component may be "." or ".." (a kept slash must not open a way out of the root).
    String[] components = out.toString().split("/", -1);
    for (int i = 0; i < components.length; i++) {
      if (components[i].matches("\\.+")) {
        components[i] = components[i].replace('.', '_');
      }
    }
    return String.join("/", components);
  }

  @Override
  public String toString() {
    return template;
  }
}
