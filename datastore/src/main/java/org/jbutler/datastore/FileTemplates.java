package org.jbutler.datastore;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.dimensions.DimensionGroup;

/**
 * File templates by key, looked up as daf_butler does: an {@code instrument<NAME>} section for the
 * data ID's instrument first, then dataset type name, then a dimension set ({@code
 * physical_filter+detector+exposure}), then the storage class and its parents, then {@code
 * default}.
 */
public final class FileTemplates {

  /** daf_butler's default template. */
  public static final String DEFAULT =
      "{run:/}/{datasetType}.{component:?}/{tract:?}/{patch:?}/"
          + "{day_obs|visit.day_obs|exposure.day_obs:?}/{band:?}/{subfilter:?}/"
          + "{physical_filter:?}/{visit:?}/{exposure.obs_id|group:?}/"
          + "{datasetType}_{component:?}_{instrument:?}_{tract:?}_{patch:?}_{band:?}_"
          + "{physical_filter:?}_{visit:?}_{exposure.obs_id|group:?}_{detector.full_name:?}_"
          + "{skymap:?}_{skypix:?}_{run}";

  private final Map<String, FileTemplate> byKey;
  private final Map<String, FileTemplates> instruments;

  private FileTemplates(Map<String, FileTemplate> byKey, Map<String, FileTemplates> instruments) {
    this.byKey = Map.copyOf(byKey);
    this.instruments = Map.copyOf(instruments);
  }

  /** Only the default template. */
  public static FileTemplates defaults() {
    return of(Map.of("default", DEFAULT));
  }

  /**
   * Templates from a config map (key to template text); {@code default} is added if absent.
   *
   * @throws org.jbutler.schema.exceptions.InvalidConfigException naming an invalid template
   */
  public static FileTemplates of(Map<String, ?> config) {
    Map<String, FileTemplate> m = new LinkedHashMap<>();
    Map<String, FileTemplates> instruments = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("instrument<")
          && k.endsWith(">")
          && e.getValue() instanceof Map<?, ?> section) {
        Map<String, Object> inner = new LinkedHashMap<>();
        section.forEach((a, b) -> inner.put(String.valueOf(a), b));
        instruments.put(
            k.substring("instrument<".length(), k.length() - 1),
            new FileTemplates(parseAll(inner), Map.of()));
      } else if (e.getValue() instanceof String text) {
        m.put(k, FileTemplate.parse(text));
      } else {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "File template '" + k + "' must be a string (or an instrument<NAME> section).");
      }
    }
    m.putIfAbsent("default", FileTemplate.parse(DEFAULT));
    return new FileTemplates(m, instruments);
  }

  private static Map<String, FileTemplate> parseAll(Map<String, Object> config) {
    Map<String, FileTemplate> m = new LinkedHashMap<>();
    config.forEach((k, v) -> m.put(k, FileTemplate.parse(String.valueOf(v))));
    return m;
  }

  /** The template for a dataset. */
  public FileTemplate lookup(DatasetRef ref, StorageClass storageClass) {
    Object instrument =
        ref.dataId().dimensions().contains("instrument") ? ref.dataId().value("instrument") : null;
    FileTemplates section = instrument == null ? null : instruments.get(instrument.toString());
    if (section != null) {
      FileTemplate t = section.find(ref, storageClass);
      if (t == null) {
        t = section.byKey.get("default");
      }
      if (t != null) {
        return t;
      }
    }
    FileTemplate t = find(ref, storageClass);
    return t != null ? t : byKey.get("default");
  }

  /** The most specific template in this section, or null. */
  private FileTemplate find(DatasetRef ref, StorageClass storageClass) {
    FileTemplate t = byKey.get(ref.datasetType().parentName());
    if (t != null) {
      return t;
    }
    DimensionGroup g = ref.datasetType().dimensions();
    for (Map.Entry<String, FileTemplate> e : byKey.entrySet()) {
      if (e.getKey().contains("+") && matches(e.getKey(), g)) {
        return e.getValue();
      }
    }
    t = byKey.get(storageClass.name());
    if (t != null) {
      return t;
    }
    for (String parent : storageClass.parents()) {
      t = byKey.get(parent);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** A dimension-set key matches a group whose non-governor required dimensions it covers. */
  private static boolean matches(String key, DimensionGroup g) {
    Set<String> dims = new LinkedHashSet<>(Arrays.asList(key.split("\\+")));
    dims.remove("");
    Set<String> required = new LinkedHashSet<>(g.required());
    required.removeAll(g.governors());
    return dims.containsAll(required) && g.names().containsAll(dims);
  }
}
