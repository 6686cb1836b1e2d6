package org.jbutler.butler.skymap;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.region.Box;
import org.jbutler.schema.region.Circle;
import org.jbutler.schema.region.Region;
import org.jbutler.schema.region.UnitVector3d;

/**
 * A rings skymap (the skymap package's {@code RingsSkyMap}): tracts tiling the whole sphere. The
 * sphere is cut into {@code numRings} rings of declination of height π/(numRings+1) between two
 * polar caps; ring {@code r} holds {@code floor(2π·cos(dec)/ringSize) + 1} tracts (dec the ring
 * edge nearer the equator, where it is widest), centred at {@code raStart + 2π·k/n}. Tract 0 is the
 * south cap, then the rings from south to north, the north cap last, as the skymap package numbers
 * them.
 *
 * <p>Each tract's inner region is its cell of the tiling (a lon/lat box; a circle for the caps), so
 * {@link #findTract} is exact; its pixel box covers the cell's TAN projection plus the tract
 * overlap.
 */
public final class RingsSkyMap extends SkyMap {

  /** The most rings a config may ask for. */
  public static final int MAX_RINGS = 1000;

  /**
   * The configuration, with the skymap package's field names.
   *
   * @param name the skymap's name
   * @param numRings rings between the polar caps
   * @param raStart RA of the first tract of each ring, degrees
   * @param geometry the shared patch layout
   */
  public record Config(String name, int numRings, double raStart, Geometry geometry) {

    /** Checks. */
    public Config {
      if (numRings < 1 || numRings > MAX_RINGS) {
        throw new InvalidConfigException(
            "numRings must be in 1-"
                + MAX_RINGS
                + ", not "
                + numRings
                + " (LSST's and HSC's skymaps use 120; "
                + MAX_RINGS
                + " rings are already about 1.3 million tracts).");
      }
    }

    /** Reads a YAML config ({@code skyMap: rings}, {@code numRings}, {@code raStart}, ...). */
    public static Config read(Path file) {
      return of(SkyMap.readYaml(file), file);
    }

    static Config of(Map<String, Object> m, Path file) {
      checkKeys(m, file, List.of("numRings", "raStart"));
      if (!(m.get("numRings") instanceof Number n)) {
        throw new InvalidConfigException("A rings skymap needs numRings (an integer).");
      }
      Object ra = m.getOrDefault("raStart", 0.0);
      if (!(ra instanceof Number raStart)) {
        throw new InvalidConfigException("raStart must be a number of degrees.");
      }
      return new Config(
          String.valueOf(m.get("name")), n.intValue(), raStart.doubleValue(), Geometry.read(m));
    }
  }

  private final Config config;
  private final double ringSize;
  private final int[] ringNums;
  private final int[] firstTract;

  /** Lays out the tracts of a config. */
  public RingsSkyMap(Config config) {
    super(config.name(), config.geometry());
    this.config = config;
    int rings = config.numRings();
    ringSize = Math.PI / (rings + 1);
    ringNums = new int[rings];
    firstTract = new int[rings];
    int next = 1;
    for (int i = 0; i < rings; i++) {
      double start = ringSize * (i + 0.5) - 0.5 * Math.PI;
      double stop = start + ringSize;
      double widest = Math.min(Math.abs(start), Math.abs(stop));
      if (start < 0 && stop > 0) {
        widest = 0;
      }
      ringNums[i] = (int) (2 * Math.PI * Math.cos(widest) / ringSize) + 1;
      firstTract[i] = next;
      next += ringNums[i];
    }
    double radius = Math.toDegrees(0.5 * ringSize);
    // South cap, the rings, the north cap.
    UnitVector3d south = UnitVector3d.fromLonLat(0, -0.5 * Math.PI);
    addTract(south, radius, Circle.of(south, 0.5 * ringSize));
    for (int i = 0; i < rings; i++) {
      double dec = ringSize * (i + 1) - 0.5 * Math.PI;
      double half = Math.PI / ringNums[i];
      for (int k = 0; k < ringNums[i]; k++) {
        double ra = Math.toRadians(config.raStart()) + 2 * Math.PI * k / ringNums[i];
        UnitVector3d centre = UnitVector3d.fromLonLat(ra, dec);
        addTract(
            centre,
            radius,
            Box.of(ra - half, ra + half, dec - 0.5 * ringSize, dec + 0.5 * ringSize, false));
      }
    }
    UnitVector3d north = UnitVector3d.fromLonLat(0, 0.5 * Math.PI);
    addTract(north, radius, Circle.of(north, 0.5 * ringSize));
  }

  /** The config. */
  public Config config() {
    return config;
  }

  /** The number of tracts in each ring, south to north. */
  public int[] ringNums() {
    return ringNums.clone();
  }

  /** The tract whose cell of the tiling holds the point. */
  @Override
  public Tract findTract(UnitVector3d v) {
    double dec = v.lat();
    int ring = (int) Math.floor((dec + 0.5 * Math.PI) / ringSize - 0.5);
    if (ring < 0) {
      return tract(0);
    }
    if (ring >= config.numRings()) {
      return tract(tracts().size() - 1);
    }
    int n = ringNums[ring];
    double ra = v.lon() - Math.toRadians(config.raStart());
    double turns = ra / (2 * Math.PI);
    turns -= Math.floor(turns);
    int k = (int) Math.floor(turns * n + 0.5) % n;
    return tract(firstTract[ring] + k);
  }

  @Override
  String canonical() {
    return String.format(
        Locale.ROOT,
        "rings;%s;%d;%.12g;%s",
        config.name(),
        config.numRings(),
        config.raStart(),
        config.geometry().canonical());
  }

  /** The inner region of a tract (its cell of the tiling). */
  public Region cell(int tract) {
    return tract(tract).inner();
  }
}
