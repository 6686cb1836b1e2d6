package org.jbutler.datastore;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DimensionGroup;
import org.jbutler.schema.StorageClass;

/**
 * File templates by key, looked up as daf_butler does: dataset type name, then a dimension set
 * ({@code physical_filter+detector+exposure}), then the storage class and its parents, then {@code
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

  private FileTemplates(Map<String, FileTemplate> byKey) {
    this.byKey = Map.copyOf(byKey);
  }

  /** Only the default template. */
  public static FileTemplates defaults() {
    return of(Map.of("default", DEFAULT));
  }

  /**
   * Templates from a config map (key to template text); {@code default} is added if absent.
   *
   * @throws org.jbutler.schema.InvalidConfigException naming an invalid template
   */
  public static FileTemplates of(Map<String, String> config) {
    Map<String, FileTemplate> m = new LinkedHashMap<>();
    config.forEach((k, v) -> m.put(k, FileTemplate.parse(v)));
    m.putIfAbsent("default", FileTemplate.parse(DEFAULT));
    return new FileTemplates(m);
  }

  /** The template for a dataset. */
  public FileTemplate lookup(DatasetRef ref, StorageClass storageClass) {
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
    return byKey.get("default");
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
