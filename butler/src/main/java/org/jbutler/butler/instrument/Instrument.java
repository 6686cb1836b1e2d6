package org.jbutler.butler.instrument;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.datastore.Header;
import org.jbutler.registry.Registry;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.region.ConvexPolygon;

/**
 * An instrument: its name, the records it registers (instrument, detectors, physical filters) and
 * how to describe a raw file. Most instruments are a YAML definition ({@code SimCam} ships as one);
 * an odd one implements this interface in Java and is loaded by its class name.
 */
public interface Instrument {

  /**
   * One detector's raw metadata, read from a file's headers.
   *
   * @param begin the start of the observation, TAI nanoseconds
   * @param hdu the HDU holding the detector's pixels, or -1 for the first that has them
   */
  record RawInfo(
      long exposure,
      String obsId,
      String group,
      long detector,
      String physicalFilter,
      double exposureTime,
      String observationType,
      String targetName,
      long begin,
      int dayObs,
      int hdu) {}

  /** The instrument's name. */
  String name();

  /** Inserts (or checks) the instrument, detector and filter records; idempotent. */
  void register(Registry registry);

  /**
   * Describes a raw file: one entry per detector it holds.
   *
   * @throws RuntimeException with a message naming the file and the problem (a missing card, an
   *     unreadable value, not FITS)
   */
  List<RawInfo> read(Path file);

  /** The day_obs, group and exposure records a raw needs, in that order. */
  default List<DimensionRecord> exposureRecords(Registry r, RawInfo info) {
    var u = r.universe();
    List<DimensionRecord> out = new ArrayList<>();
    out.add(
        DimensionRecord.of(
            u.element("day_obs"), Map.of("instrument", name(), "id", info.dayObs())));
    out.add(
        DimensionRecord.of(u.element("group"), Map.of("instrument", name(), "name", info.group())));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("instrument", name());
    e.put("id", info.exposure());
    e.put("obs_id", info.obsId());
    e.put("physical_filter", info.physicalFilter());
    e.put("group", info.group());
    e.put("day_obs", info.dayObs());
    e.put("exposure_time", info.exposureTime());
    e.put("dark_time", info.exposureTime());
    e.put("observation_type", info.observationType());
    e.put("target_name", info.targetName());
    e.put("timespan", Timespan.of(info.begin(), info.begin() + (long) (info.exposureTime() * 1e9)));
    out.add(DimensionRecord.of(u.element("exposure"), e));
    return out;
  }

  /**
   * The sky region of one detector's pixels in a raw, for define-visits (the visit_detector_region
   * record; the visit's region is the hull of its detectors'). By default the detector's pixel box
   * padded by 250 pixels through the TAN WCS in the raw's header, as obs_base's {@code
   * computeVisitRegions} does, or empty when the header has none (the visit then has no region). An
   * instrument with a better model (distortion, a pointing table) overrides this.
   *
   * @param header the raw's header, as its {@code metadata} component gives it
   */
  default Optional<ConvexPolygon> detectorRegion(Header header, long exposure, long detector) {
    return RawWcs.paddedRegion(header);
  }

  /**
   * Loads an instrument: a name shipped with jbutler ({@code SimCam}), a YAML definition file, or
   * the class name of an {@code Instrument} implementation with a public no-argument constructor.
   *
   * @throws InvalidConfigException naming what was given and the problem
   */
  static Instrument load(String nameOrPathOrClass) {
    Instrument yaml = YamlInstrument.loadOrNull(nameOrPathOrClass);
    if (yaml != null) {
      return yaml;
    }
    if (nameOrPathOrClass.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+")
        && !nameOrPathOrClass.matches("(?i).*\\.ya?ml")) {
      try {
        Class<?> c = Class.forName(nameOrPathOrClass);
        if (!Instrument.class.isAssignableFrom(c)) {
          throw new InvalidConfigException(
              nameOrPathOrClass + " is not an implementation of " + Instrument.class.getName());
        }
        return (Instrument) c.getConstructor().newInstance();
      } catch (ClassNotFoundException e) {
        // fall through to the message below
      } catch (NoSuchMethodException
          | InstantiationException
          | IllegalAccessException
          | InvocationTargetException e) {
        throw new InvalidConfigException(
            "Cannot create the instrument " + nameOrPathOrClass + ": " + e, e);
      }
    }
    throw new InvalidConfigException(
        "No instrument '"
            + nameOrPathOrClass
            + "': give a YAML definition file, the class name of an Instrument, or SimCam.");
  }
}
