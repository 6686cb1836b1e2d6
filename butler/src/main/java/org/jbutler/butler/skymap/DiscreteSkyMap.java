package org.jbutler.butler.skymap;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jbutler.registry.Registry;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.TanWcs;
import org.jbutler.schema.region.UnitVector3d;

/**
 * A discrete skymap (the skymap package's {@code DiscreteSkyMap}): tracts at given centres, each a
 * gnomonic (TAN) projection with square pixels, cut into a grid of patches with an overlap border.
 * Registering it writes the {@code skymap}, {@code tract} and {@code patch} records with their sky
 * regions, as {@code butler register-skymap} does.
 *
 * <p>Patch {@code (x, y)} of a tract covers pixels {@code [x·W, (x+1)·W) × [y·H, (y+1)·H)} (W × H
 * the patch inner dimensions), has index {@code nx·y + x}, and its region is its pixel box grown by
 * the border (clipped to the tract) with half a pixel on every side (Box2D corners), mapped to the
 * sky. Only the TAN projection is implemented (the skymap package's default is STG).
 */
public final class DiscreteSkyMap {

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
   * @param tractOverlap degrees added to each tract's diameter
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
      if (!(pixelScale > 0)) {
        throw new InvalidConfigException("pixelScale must be positive (arcseconds per pixel).");
      }
      if (patchInnerDimensions == null
          || patchInnerDimensions.size() != 2
          || patchInnerDimensions.get(0) < 1
          || patchInnerDimensions.get(1) < 1) {
        throw new InvalidConfigException("patchInnerDimensions must be two positive sizes [x, y].");
      }
      raList = List.copyOf(raList);
      decList = List.copyOf(decList);
      radiusList = List.copyOf(radiusList);
      patchInnerDimensions = List.copyOf(patchInnerDimensions);
    }

    /**
     * Reads a YAML config ({@code name}, {@code raList}, {@code decList}, {@code radiusList}, and
     * optionally {@code pixelScale} 0.333, {@code patchInnerDimensions} [4000, 4000], {@code
     * patchBorder} 100, {@code tractOverlap} 1.0, {@code projection} TAN).
     */
    @SuppressWarnings("unchecked")
    public static Config read(Path file) {
      Map<String, Object> m;
      try {
        m = org.jbutler.schema.Yaml.strict().readValue(Files.readString(file), Map.class);
      } catch (java.io.IOException e) {
        throw org.jbutler.schema.exceptions.IoFailureException.of(
            "Cannot read the skymap config " + file, e);
      }
      Object projection = m.getOrDefault("projection", "TAN");
      if (!"TAN".equalsIgnoreCase(String.valueOf(projection))) {
        throw new InvalidConfigException(
            "Skymap projection '" + projection + "' is not supported; use TAN.");
      }
      for (String k : m.keySet()) {
        if (!List.of(
                "name",
                "skyMap",
                "raList",
                "decList",
                "radiusList",
                "pixelScale",
                "patchInnerDimensions",
                "patchBorder",
                "tractOverlap",
                "projection")
            .contains(k)) {
          throw new InvalidConfigException(
              "Unknown skymap config key '" + k + "' in " + file + ".");
        }
      }
      return new Config(
          String.valueOf(m.get("name")),
          numbers(m.get("raList")),
          numbers(m.get("decList")),
          numbers(m.get("radiusList")),
          ((Number) m.getOrDefault("pixelScale", 0.333)).doubleValue(),
          ((List<Number>) m.getOrDefault("patchInnerDimensions", List.of(4000, 4000)))
              .stream().map(Number::intValue).toList(),
          ((Number) m.getOrDefault("patchBorder", 100)).intValue(),
          ((Number) m.getOrDefault("tractOverlap", 1.0)).doubleValue());
    }

    private static List<Double> numbers(Object v) {
      if (!(v instanceof List<?> l)) {
        return null;
      }
      return l.stream().map(x -> ((Number) x).doubleValue()).toList();
    }

    /** A canonical text of the config, hashed into the skymap record. */
    String canonical() {
      return String.format(
          Locale.ROOT,
          "discrete;%s;%s;%s;%s;%.12g;%s;%d;%.12g",
          name,
          raList,
          decList,
          radiusList,
          pixelScale,
          patchInnerDimensions,
          patchBorder,
          tractOverlap);
    }
  }

  /**
   * A tract: its projection and its size in pixels and patches.
   *
   * @param id the tract number
   * @param wcs the tract's projection (1-based pixels)
   * @param width pixels along x
   * @param height pixels along y
   * @param nx patches along x
   * @param ny patches along y
   */
  public record Tract(int id, TanWcs wcs, int width, int height, int nx, int ny) {}

  /**
   * A patch of a tract.
   *
   * @param tract the tract
   * @param x the patch column
   * @param y the patch row
   * @param outer the outer pixel box {x0, y0, x1, y1} (0-based, end exclusive), border included
   */
  public record Patch(Tract tract, int x, int y, int[] outer) {
    /** The patch index, {@code nx·y + x}. */
    public int index() {
      return tract.nx() * y + x;
    }
  }

  private final Config config;
  private final List<Tract> tracts = new ArrayList<>();

  /** Lays out the tracts of a config. */
  public DiscreteSkyMap(Config config) {
    this.config = config;
    double scale = config.pixelScale() / 3600.0;
    int w = config.patchInnerDimensions().get(0);
    int h = config.patchInnerDimensions().get(1);
    for (int t = 0; t < config.raList().size(); t++) {
      double side = 2 * config.radiusList().get(t) + config.tractOverlap();
      int nx = (int) Math.ceil(side / scale / w);
      int ny = (int) Math.ceil(side / scale / h);
      int width = nx * w;
      int height = ny * h;
      TanWcs wcs =
          new TanWcs(
              config.raList().get(t),
              config.decList().get(t),
              width / 2.0 + 0.5,
              height / 2.0 + 0.5,
              -scale,
              0,
              0,
              scale);
      tracts.add(new Tract(t, wcs, width, height, nx, ny));
    }
  }

  /** The config. */
  public Config config() {
    return config;
  }

  /** The tracts, by number. */
  public List<Tract> tracts() {
    return List.copyOf(tracts);
  }

  /** A tract's patches, by index. */
  public List<Patch> patches(Tract t) {
    int w = config.patchInnerDimensions().get(0);
    int h = config.patchInnerDimensions().get(1);
    int b = config.patchBorder();
    List<Patch> out = new ArrayList<>();
    for (int y = 0; y < t.ny(); y++) {
      for (int x = 0; x < t.nx(); x++) {
        int[] outer = {
          Math.max(0, x * w - b),
          Math.max(0, y * h - b),
          Math.min(t.width(), (x + 1) * w + b),
          Math.min(t.height(), (y + 1) * h + b)
        };
        out.add(new Patch(t, x, y, outer));
      }
    }
    return out;
  }

  /** The sky region of a pixel box {x0, y0, x1, y1} (0-based, end exclusive) of a tract. */
  static ConvexPolygon region(Tract t, int[] box) {
    // 0-based pixel p spans [p - 0.5, p + 0.5]; FITS (1-based) adds 1. Box2D corners.
    double x0 = box[0] + 0.5;
    double y0 = box[1] + 0.5;
    double x1 = box[2] + 0.5;
    double y1 = box[3] + 0.5;
    return ConvexPolygon.convexHull(
        List.of(
            t.wcs().pixelToSky(x0, y0),
            t.wcs().pixelToSky(x1, y0),
            t.wcs().pixelToSky(x1, y1),
            t.wcs().pixelToSky(x0, y1)));
  }

  /** A tract's region: its whole pixel box. */
  public ConvexPolygon region(Tract t) {
    return region(t, new int[] {0, 0, t.width(), t.height()});
  }

  /** A patch's region: its outer box. */
  public ConvexPolygon region(Patch p) {
    return region(p.tract(), p.outer());
  }

  /** The tract whose centre is nearest a point (as the skymap package's findTract). */
  public Tract findTract(UnitVector3d v) {
    Tract best = null;
    double d = Double.MAX_VALUE;
    for (Tract t : tracts) {
      double a = UnitVector3d.fromDegrees(t.wcs().crval1(), t.wcs().crval2()).angleTo(v);
      if (a < d) {
        d = a;
        best = t;
      }
    }
    return best;
  }

  /** The patch of a tract whose inner box holds a point, if the point falls in the tract. */
  public Optional<Patch> findPatch(Tract t, UnitVector3d v) {
    double[] p;
    try {
      p = t.wcs().skyToPixel(v);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    double x = p[0] - 0.5; // FITS 1-based centre to 0-based edges
    double y = p[1] - 0.5;
    int w = config.patchInnerDimensions().get(0);
    int h = config.patchInnerDimensions().get(1);
    if (x < 0 || y < 0 || x >= t.width() || y >= t.height()) {
      return Optional.empty();
    }
    return Optional.of(patches(t).get(t.nx() * (int) (y / h) + (int) (x / w)));
  }

  /** The SHA-1 of the config's canonical text: the skymap record's {@code hash}. */
  public byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-1")
          .digest(config.canonical().getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the skymap, tract and patch records (with their regions) in one transaction. A skymap of
   * this name already registered with the same hash is left alone.
   *
   * @return whether anything was written
   * @throws ConflictingDefinitionException if a skymap of this name has another hash
   */
  public boolean register(Registry registry) {
    var u = registry.universe();
    int nxMax = tracts.stream().mapToInt(Tract::nx).max().orElse(0);
    int nyMax = tracts.stream().mapToInt(Tract::ny).max().orElse(0);
    DimensionRecord skymap =
        DimensionRecord.of(
            u.element("skymap"),
            Map.of(
                "name",
                config.name(),
                "hash",
                hash(),
                "tract_max",
                tracts.size(),
                "patch_nx_max",
                nxMax,
                "patch_ny_max",
                nyMax));
    return registry.transaction(
        () -> {
          Registry.SyncOutcome outcome;
          try {
            outcome = registry.syncDimensionRecord("skymap", skymap, false);
          } catch (ConflictingDefinitionException e) {
            throw new ConflictingDefinitionException(
                "A skymap named '"
                    + config.name()
                    + "' is already registered with another definition (its hash differs);"
                    + " give this one another name.",
                e);
          }
          if (outcome == Registry.SyncOutcome.UNCHANGED) {
            return false;
          }
          List<DimensionRecord> tractRecords = new ArrayList<>();
          List<DimensionRecord> patchRecords = new ArrayList<>();
          for (Tract t : tracts) {
            tractRecords.add(
                DimensionRecord.of(
                    u.element("tract"),
                    Map.of("skymap", config.name(), "id", t.id(), "region", region(t))));
            for (Patch p : patches(t)) {
              patchRecords.add(
                  DimensionRecord.of(
                      u.element("patch"),
                      Map.of(
                          "skymap",
                          config.name(),
                          "tract",
                          t.id(),
                          "id",
                          p.index(),
                          "cell_x",
                          p.x(),
                          "cell_y",
                          p.y(),
                          "region",
                          region(p))));
            }
          }
          registry.insertDimensionRecords("tract", tractRecords);
          registry.insertDimensionRecords("patch", patchRecords);
          return true;
        });
  }
}
