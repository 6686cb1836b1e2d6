package org.jbutler.butler.skymap;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.region.Circle;
import org.jbutler.schema.region.UnitVector3d;

/**
 * A discrete skymap (the skymap package's {@code DiscreteSkyMap}): tracts at given centres, each
 * covering a circle of its radius plus the tract overlap. {@link #findTract} answers the tract
 * whose centre is nearest.
 */
public final class DiscreteSkyMap extends SkyMap {

  /**
   * The configuration, with the skymap package's field names.
   *
   * @param name the skymap's name (its {@code skymap} dimension value)
   * @param raList tract centres' RA, degrees
   * @param decList tract centres' Dec, degrees
   * @param radiusList each tract's radius, degrees
   * @param pixelScale arcseconds per pixel
   * @param patchInnerDimensions patch size in pixels, [x, y]
   * @param patchBorder pixels added around each patch
   * @param tractOverlap degrees added to each tract's radius
   */
  public record Config(
      String name,
      List<Double> raList,
      List<Double> decList,
      List<Double> radiusList,
      double pixelScale,
      List<Integer> patchInnerDimensions,
      int patchBorder,
      double tractOverlap) {

    /** Checks. */
    public Config {
      if (name == null || name.isBlank()) {
        throw new InvalidConfigException("A skymap config needs a name.");
      }
      if (raList == null
          || decList == null
          || radiusList == null
          || raList.isEmpty()
          || raList.size() != decList.size()
          || raList.size() != radiusList.size()) {
        throw new InvalidConfigException(
            "A discrete skymap needs raList, decList and radiusList of the same, non-zero length.");
      }
      raList = List.copyOf(raList);
      decList = List.copyOf(decList);
      radiusList = List.copyOf(radiusList);
      new Geometry(pixelScale, patchInnerDimensions, patchBorder, tractOverlap);
      patchInnerDimensions = List.copyOf(patchInnerDimensions);
    }

    /**
     * Reads a YAML config ({@code name}, {@code raList}, {@code decList}, {@code radiusList}, and
     * optionally {@code pixelScale} 0.333, {@code patchInnerDimensions} [4000, 4000], {@code
     * patchBorder} 100, {@code tractOverlap} 1.0, {@code projection} TAN).
     */
    public static Config read(Path file) {
      return of(SkyMap.readYaml(file), file);
    }

    static Config of(Map<String, Object> m, Path file) {
      checkKeys(m, file, List.of("raList", "decList", "radiusList"));
      Geometry g = Geometry.read(m);
      return new Config(
          String.valueOf(m.get("name")),
          numbers(m.get("raList")),
          numbers(m.get("decList")),
          numbers(m.get("radiusList")),
          g.pixelScale(),
          g.patchInnerDimensions(),
          g.patchBorder(),
          g.tractOverlap());
    }

    private static List<Double> numbers(Object v) {
      if (!(v instanceof List<?> l)) {
        return null;
      }
      return l.stream().map(x -> ((Number) x).doubleValue()).toList();
    }

    Geometry geometry() {
      return new Geometry(pixelScale, patchInnerDimensions, patchBorder, tractOverlap);
    }
  }

  private final Config config;

  /** Lays out the tracts of a config. */
  public DiscreteSkyMap(Config config) {
    super(config.name(), config.geometry());
    this.config = config;
    for (int t = 0; t < config.raList().size(); t++) {
      double radius = config.radiusList().get(t);
      UnitVector3d centre =
          UnitVector3d.fromDegrees(config.raList().get(t), config.decList().get(t));
      addTract(centre, radius, Circle.of(centre, Math.toRadians(radius)));
    }
  }

  /** The config. */
  public Config config() {
    return config;
  }

  /** The tract whose centre is nearest a point (as the skymap package's findTract). */
  @Override
  public Tract findTract(UnitVector3d v) {
    Tract best = null;
    double d = Double.MAX_VALUE;
    for (Tract t : tracts()) {
      double a = t.centre().angleTo(v);
      if (a < d) {
        d = a;
        best = t;
      }
    }
    return best;
  }

  @Override
  String canonical() {
    return String.format(
        java.util.Locale.ROOT,
        "discrete;%s;%s;%s;%s;%.12g;%s;%d;%.12g",
        config.name(),
        config.raList(),
        config.decList(),
        config.radiusList(),
        config.pixelScale(),
        config.patchInnerDimensions(),
        config.patchBorder(),
        config.tractOverlap());
  }
}
