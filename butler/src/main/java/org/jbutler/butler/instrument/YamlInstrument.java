package org.jbutler.butler.instrument;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.Header;
import org.jbutler.registry.Registry;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * An instrument as a YAML definition: its name, detectors, physical filters and bands, and how a
 * raw file's header cards give the exposure's metadata. {@code raw.hdus} says where detectors are:
 * {@code primary} (the default: one detector per file, pixels in the first HDU that has them),
 * {@code extensions} (each image extension is a detector, its cards over the primary's) or a map of
 * cards an extension must match ({@code {EXTNAME: SCI}}). Each raw field is a template over cards
 * ({@code "{DATE-OBS}T{UT}"}, {@code "{filename}"}) with an optional {@code map} of values, {@code
 * digits: true} (keep only digits, for ids built from dates) and {@code default}. {@code begin} has
 * a {@code scale} (utc, tai) and is ISO or, if numeric, an MJD. SimCam ships as one ({@code SimCam}
 * on the class path); any other is a YAML file.
 */
final class YamlInstrument implements Instrument {

  private static final Pattern CARD = Pattern.compile("\\{([^{}]+)}");

  private final String name;
  private final Map<String, Object> config;

  private YamlInstrument(String name, Map<String, Object> config) {
    this.name = name;
    this.config = config;
  }

  /**
   * Loads a definition shipped with jbutler or a YAML file, or returns null if neither exists.
   *
   * @throws InvalidConfigException naming the file and the problem
   */
  @SuppressWarnings("unchecked")
  static YamlInstrument loadOrNull(String nameOrPath) {
    ObjectMapper yaml = org.jbutler.schema.Yaml.lenient();
    Map<String, Object> config;
    try {
      InputStream shipped =
          YamlInstrument.class.getResourceAsStream(
              "/org/jbutler/butler/instruments/" + nameOrPath + ".yaml");
      if (shipped != null) {
        try (shipped) {
          config = yaml.readValue(shipped, Map.class);
        }
      } else if (Files.isRegularFile(Path.of(nameOrPath))) {
        config = yaml.readValue(Path.of(nameOrPath).toFile(), Map.class);
      } else {
        return null;
      }
    } catch (IOException e) {
      throw new InvalidConfigException(
          "Cannot read instrument definition " + nameOrPath + ": " + e.getMessage(), e);
    }
    Object n = config.get("name");
    if (!(n instanceof String s) || s.isBlank()) {
      throw new InvalidConfigException("Instrument definition " + nameOrPath + " has no name.");
    }
    if (!(config.get("raw") instanceof Map)) {
      throw new InvalidConfigException(
          "Instrument definition " + nameOrPath + " has no raw: section.");
    }
    Object hdus = ((Map<String, Object>) config.get("raw")).getOrDefault("hdus", "auto");
    if (!(hdus instanceof Map) && !List.of("auto", "primary", "extensions").contains(hdus)) {
      throw new InvalidConfigException(
          "Instrument definition "
              + nameOrPath
              + ": raw.hdus must be auto, primary, extensions or a map of cards to match, not "
              + hdus
              + ".");
    }
    return new YamlInstrument(s, config);
  }

  @Override
  public String name() {
    return name;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> list(String key) {
    Object v = config.getOrDefault(key, List.of());
    return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @Override
  public void register(Registry r) {
    var u = r.universe();
    Map<String, Object> inst = new LinkedHashMap<>();
    inst.put("name", name);
    inst.put("detector_max", list("detectors").size() + 1);
    inst.put("class_name", "yaml:" + name);
    r.transaction(
        () -> {
          r.syncDimensionRecord(
              "instrument", DimensionRecord.of(u.element("instrument"), inst), false);
          for (Map<String, Object> d : list("detectors")) {
            Map<String, Object> values = new LinkedHashMap<>(d);
            values.put("instrument", name);
            r.syncDimensionRecord(
                "detector", DimensionRecord.of(u.element("detector"), values), false);
          }
          for (Map<String, Object> f : list("filters")) {
            Map<String, Object> values = new LinkedHashMap<>(f);
            values.put("instrument", name);
            r.syncDimensionRecord(
                "physical_filter", DimensionRecord.of(u.element("physical_filter"), values), false);
          }
        });
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<RawInfo> read(Path file) {
    Object hdus = ((Map<String, Object>) config.get("raw")).getOrDefault("hdus", "auto");
    String filename = file.toString();
    if ("primary".equals(hdus)) {
      return List.of(read(FitsIo.readHeader(file, 0), filename, -1));
    }
    List<FitsIo.HduHeader> all = FitsIo.readHeaders(file);
    if (all.isEmpty()) {
      throw org.jbutler.datastore.ArtifactException.damaged(
          file + " is not a FITS file (it has no header).", null);
    }
    Header primary = all.get(0).header();
    if ("auto".equals(hdus) && (all.get(0).image() || all.size() == 1)) {
      return List.of(read(primary, filename, -1));
    }
    List<RawInfo> out = new ArrayList<>();
    for (FitsIo.HduHeader h : all.subList(1, all.size())) {
      if (!h.image() || (hdus instanceof Map<?, ?> match && !matches(h, match))) {
        continue;
      }
      Header merged = new Header(primary);
      for (Header.Card c : h.header().cards()) {
        merged.set(c.key(), c.value(), c.comment());
      }
      out.add(read(merged, filename + "[" + h.index() + "]", h.index()));
    }
    if (out.isEmpty()) {
      throw new InvalidConfigException(
          filename
              + ": no image extension"
              + (hdus instanceof Map ? " matching " + hdus : "")
              + " (the instrument's raw.hdus).");
    }
    return out;
  }

  private static boolean matches(FitsIo.HduHeader h, Map<?, ?> match) {
    for (Map.Entry<?, ?> e : match.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object v = key.equalsIgnoreCase("EXTNAME") ? h.extname() : h.header().get(key).orElse(null);
      if (v == null || !String.valueOf(v).trim().equals(String.valueOf(e.getValue()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a raw's metadata from header cards.
   *
   * @param hdu the HDU holding the detector's pixels, or -1 for the first with pixels
   * @throws InvalidConfigException naming the file and the missing or unreadable card
   */
  @SuppressWarnings("unchecked")
  RawInfo read(Header header, String filename, int hdu) {
    Map<String, Object> raw = (Map<String, Object>) config.get("raw");
    String exposure = field(raw, "exposure", header, filename, true);
    String begin = field(raw, "begin", header, filename, true);
    Map<String, Object> beginSpec = (Map<String, Object>) raw.get("begin");
    TimeScale scale = TimeScale.fromName(String.valueOf(beginSpec.getOrDefault("scale", "utc")));
    long beginTai;
    try {
      beginTai =
          begin.matches("-?\\d+(\\.\\d*)?")
              ? Times.parseMjd(begin, scale)
              : Times.parseIso(begin, scale);
    } catch (RuntimeException e) {
      throw new InvalidConfigException(
          filename + ": cannot read the start time '" + begin + "': " + e.getMessage(), e);
    }
    double offsetHours = ((Number) raw.getOrDefault("day_obs_offset_hours", 0)).doubleValue();
    String dayIso = Times.formatIso(beginTai - (long) (offsetHours * 3600e9), scale, 0);
    int dayObs = Integer.parseInt(dayIso.substring(0, 10).replace("-", ""));
    String obsId = field(raw, "obs_id", header, filename, true);
    return new RawInfo(
        parseLong(exposure, "exposure", filename),
        obsId,
        optional(raw, "group", header, filename, obsId),
        parseLong(optional(raw, "detector", header, filename, "0"), "detector", filename),
        field(raw, "physical_filter", header, filename, true),
        Double.parseDouble(optional(raw, "exposure_time", header, filename, "0")),
        optional(raw, "observation_type", header, filename, "science"),
        optional(raw, "target_name", header, filename, ""),
        beginTai,
        dayObs,
        hdu);
  }

  private String optional(
      Map<String, Object> raw, String key, Header h, String filename, String fallback) {
    return raw.containsKey(key) ? field(raw, key, h, filename, true) : fallback;
  }

  private static long parseLong(String v, String what, String filename) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          filename + ": the " + what + " '" + v + "' is not an integer.");
    }
  }

  @SuppressWarnings("unchecked")
  private String field(
      Map<String, Object> raw, String key, Header h, String filename, boolean required) {
    Object specObject = raw.get(key);
    if (!(specObject instanceof Map)) {
      throw new InvalidConfigException(
          "Instrument " + name + ": raw field '" + key + "' needs {format: ...}.");
    }
    Map<String, Object> spec = (Map<String, Object>) specObject;
    String template = String.valueOf(spec.getOrDefault("format", ""));
    Matcher m = CARD.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String card = m.group(1);
      String value;
      if (card.equals("filename")) {
        String base = Path.of(filename.replaceAll("\\[\\d+]$", "")).getFileName().toString();
        value = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
      } else {
        Object v = h.get(card).orElse(null);
        if (v == null) {
          if (spec.containsKey("default")) {
            return String.valueOf(spec.get("default"));
          }
          throw new InvalidConfigException(
              filename + ": no " + card + " card in the header (needed for " + key + ").");
        }
        value =
            v instanceof Double d && d == Math.rint(d) && !key.equals("exposure_time")
                ? String.valueOf(d.longValue())
                : String.valueOf(v).trim();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String value = out.toString();
    if (Boolean.TRUE.equals(spec.get("digits"))) {
      value = value.replaceAll("\\D", "");
    }
    Object mapped =
        spec.get("map") instanceof Map<?, ?> map ? map.get(value.toLowerCase(Locale.ROOT)) : null;
    return mapped != null ? String.valueOf(mapped) : value;
  }
}
