package org.jbutler.datastore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * daf_butler's formatter class names and the jbutler formatters that read and write the same files:
 * imports honour the names daf_butler records, and exports write them, so a file crosses either way
 * under a name the other side knows. A daf_butler formatter with no jbutler reader (pickle,
 * parquet, astropy tables, matplotlib, ...) is refused by name, never guessed.
 */
public final class DafButlerFormatters {

  private DafButlerFormatters() {}

  /** daf_butler's class name → jbutler's formatter name. */
  private static final Map<String, String> TO_JBUTLER = table();

  private static Map<String, String> table() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("lsst.daf.butler.formatters.json.JsonFormatter", JacksonFormatter.json().name());
    m.put("lsst.daf.butler.formatters.yaml.YamlFormatter", JacksonFormatter.yaml().name());
    m.put(
        "lsst.obs.base.formatters.fitsExposure.FitsImageFormatter",
        FitsImageFormatter.class.getName());
    m.put(
        "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter",
        FitsExposureFormatter.class.getName());
    return Map.copyOf(m);
  }

  /** jbutler's formatter name → the daf_butler class name written to exports. */
  private static final Map<String, String> TO_DAF_BUTLER = inverse();

  private static Map<String, String> inverse() {
    Map<String, String> m = new LinkedHashMap<>();
    TO_JBUTLER.forEach((daf, ours) -> m.put(ours, daf));
    return Map.copyOf(m);
  }

  /** Whether a formatter name is one of the Python stack's ({@code lsst.*}). */
  public static boolean isDafButlerName(String name) {
    return name != null && name.startsWith("lsst.");
  }

  /** The jbutler formatter that reads the files a daf_butler formatter writes, if there is one. */
  public static Optional<String> jbutlerName(String dafButlerName) {
    return Optional.ofNullable(TO_JBUTLER.get(dafButlerName));
  }

  /**
   * The name to record in an export for a jbutler formatter: daf_butler's class name where
   * daf_butler reads the same file, else jbutler's own name. A name with fixed read parameters
   * ({@code ...FitsImageFormatter?hdu=2}) keeps jbutler's, as daf_butler has no such form.
   */
  public static String exportName(String jbutlerName) {
    return TO_DAF_BUTLER.getOrDefault(jbutlerName, jbutlerName);
  }

  /** The daf_butler names jbutler reads, for messages. */
  public static String known() {
    return String.join(", ", new java.util.TreeSet<>(TO_JBUTLER.keySet()));
  }
}
