package org.jbutler.datastore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * Which formatter writes which datasets: looked up by dataset type name, then by storage class and
 * the classes it inherits from, as daf_butler's {@code formatters.yaml}.
 */
public final class Formatters {

  private static final List<Formatter> KNOWN =
      List.of(
          new FitsImageFormatter(),
          new FitsExposureFormatter(),
          new FitsTableFormatter(),
          JacksonFormatter.json(),
          JacksonFormatter.yaml(),
          new BytesFormatter());

  private final Map<String, Formatter> byKey;

  private Formatters(Map<String, Formatter> byKey) {
    this.byKey = Map.copyOf(byKey);
  }

  /** FITS for images, exposures and tables; JSON for structured data; YAML for configs; bytes. */
  public static Formatters defaults() {
    Map<String, Formatter> m = new LinkedHashMap<>();
    m.put("ImageF", KNOWN.get(0));
    m.put("ExposureF", KNOWN.get(1));
    m.put("ArrowTable", KNOWN.get(2));
    m.put("StructuredDataDict", KNOWN.get(3));
    m.put("StructuredDataList", KNOWN.get(3));
    m.put("Integer", KNOWN.get(3));
    m.put("Config", KNOWN.get(4));
    m.put("Bytes", KNOWN.get(5));
    return new Formatters(m);
  }

  /**
   * This lookup with one more entry.
   *
   * @param key a dataset type or storage class name
   * @param formatterName a formatter's {@link Formatter#name()}
   * @throws InvalidConfigException for an unknown formatter
   */
  public Formatters with(String key, String formatterName) {
    Map<String, Formatter> m = new LinkedHashMap<>(byKey);
    m.put(key, byName(formatterName));
    return new Formatters(m);
  }

  /**
   * The formatter for a dataset type.
   *
   * @throws InvalidConfigException if none is configured for it or its storage classes
   */
  public Formatter lookup(DatasetType type, StorageClass storageClass) {
    Formatter f = byKey.get(type.parentName());
    if (f != null) {
      return f;
    }
    f = byKey.get(storageClass.name());
    if (f != null) {
      return f;
    }
    for (String parent : storageClass.parents()) {
      f = byKey.get(parent);
      if (f != null) {
        return f;
      }
    }
    throw new InvalidConfigException(
        "No formatter for dataset type '"
            + type.parentName()
            + "' (storage class "
            + storageClass.name()
            + "); configure one for the type or the storage class.");
  }

  /**
   * The formatter recorded under a name. A name may carry fixed read parameters after a {@code ?}
   * ({@code org.jbutler.datastore.FitsImageFormatter?hdu=2}: one detector of a multi-extension raw
   * file shared by several datasets).
   */
  public static Formatter byName(String name) {
    int q = name.indexOf('?');
    if (q > 0) {
      return new WithParameters(byName(name.substring(0, q)), name, parseParameters(name, q));
    }
    for (Formatter f : KNOWN) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    if (DafButlerFormatters.isDafButlerName(name)) {
      return byName(
          DafButlerFormatters.jbutlerName(name)
              .orElseThrow(
                  () ->
                      new InvalidConfigException(
                          "daf_butler's formatter '"
                              + name
                              + "' writes files jbutler cannot read; jbutler reads those of "
                              + DafButlerFormatters.known()
                              + ".")));
    }
    Formatter loaded = LOADED.computeIfAbsent(name, Formatters::load);
    if (loaded == null) {
      throw new InvalidConfigException(
          "Unknown formatter '"
              + name
              + "'; known: "
              + String.join(", ", KNOWN.stream().map(Formatter::name).toList())
              + ", or the class name of a Formatter with a public no-argument constructor on the"
              + " class path.");
    }
    return loaded;
  }

  /** Formatters loaded by class name (configured in {@code butler.yaml}), once each. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Formatter> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A formatter class's instance, or null if the name is not such a class. */
  private static Formatter load(String className) {
    Class<?> c;
    try {
      c =
          Class.forName(
              className,
              true,
              java.util.Objects.requireNonNullElse(
                  Thread.currentThread().getContextClassLoader(),
                  Formatters.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    if (!Formatter.class.isAssignableFrom(c)) {
      throw new InvalidConfigException(
          "Formatter class "
              + className
              + " does not implement "
              + Formatter.class.getName()
              + ".");
    }
    try {
      Formatter f = (Formatter) c.getConstructor().newInstance();
      if (!f.name().equals(className)) {
        throw new InvalidConfigException(
            "Formatter class "
                + className
                + " names itself '"
                + f.name()
                + "'; a formatter loaded by class name must keep the default name().");
      }
      return f;
    } catch (ReflectiveOperationException e) {
      throw new InvalidConfigException(
          "Cannot make formatter "
              + className
              + " (it needs a public no-argument constructor): "
              + e,
          e);
    }
  }

  /** The recorded name of a formatter with fixed integer read parameters. */
  public static String nameWithParameters(String baseName, Map<String, Integer> parameters) {
    StringBuilder b = new StringBuilder(baseName);
    char sep = '?';
    for (Map.Entry<String, Integer> e : parameters.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return b.toString();
  }

  private static Map<String, Object> parseParameters(String name, int q) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    for (String kv : name.substring(q + 1).split("&")) {
      int eq = kv.indexOf('=');
      try {
        fixed.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
      } catch (RuntimeException e) {
        throw new InvalidConfigException(
            "Formatter '" + name + "': '" + kv + "' is not a parameter=integer pair.");
      }
    }
    return fixed;
  }

  /** A formatter reading with some parameters fixed by the record (a given caller's win). */
  private record WithParameters(Formatter base, String name, Map<String, Object> fixed)
      implements Formatter {

    WithParameters {
      for (String p : fixed.keySet()) {
        if (!base.parameters().contains(p)) {
          throw new InvalidConfigException(
              "Formatter '" + name + "': " + base.name() + " has no read parameter '" + p + "'.");
        }
      }
    }

    @Override
    public String extension() {
      return base.extension();
    }

    @Override
    public java.util.Set<String> parameters() {
      return base.parameters();
    }

    @Override
    public void write(Object object, java.nio.file.Path file) {
      base.write(object, file);
    }

    @Override
    public Object read(
        java.nio.file.Path file, Class<?> type, String component, Map<String, Object> parameters) {
      Map<String, Object> all = new LinkedHashMap<>(fixed);
      all.putAll(parameters);
      return base.read(file, type, component, all);
    }
  }
}
