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
import org.jbutler.schema.region.Region;
import org.jbutler.schema.region.TanWcs;
import org.jbutler.schema.region.UnitVector3d;

/**
 * A skymap as the skymap package has it: tracts, each a gnomonic (TAN) projection with square
 * pixels cut into a grid of patches with an overlap border, written to the registry as {@code
 * skymap}, {@code tract} and {@code patch} records with their sky regions ({@code butler
 * register-skymap}). Subclasses place the tracts: {@link DiscreteSkyMap} at given centres, {@link
 * RingsSkyMap} tiling the whole sphere in rings of declination.
 *
 * <p>Patch {@code (x, y)} of a tract covers pixels {@code [x·W, (x+1)·W) × [y·H, (y+1)·H)} (W × H
 * the patch inner dimensions), has index {@code nx·y + x}, and its region is its pixel box grown by
 * the border (clipped to the tract) with half a pixel on every side (Box2D corners), mapped to the
 * sky. Only the TAN projection is implemented (the skymap package's default is STG).
 */
public abstract sealed class SkyMap permits DiscreteSkyMap, RingsSkyMap {

  /**
   * The tract and patch layout every skymap shares, with the skymap package's field names.
   *
   * @param pixelScale arcseconds per pixel
   * @param patchInnerDimensions patch size in pixels, [x, y]
   * @param patchBorder pixels added around each patch
   * @param tractOverlap degrees by which neighbouring tracts overlap (added to each tract's size)
   */
  public record Geometry(
      double pixelScale, List<Integer> patchInnerDimensions, int patchBorder, double tractOverlap) {

    /** Checks. */
    public Geometry {
      if (!(pixelScale > 0)) {
        throw new InvalidConfigException("pixelScale must be positive (arcseconds per pixel).");
      }
      if (patchInnerDimensions == null
          || patchInnerDimensions.size() != 2
          || patchInnerDimensions.get(0) < 1
          || patchInnerDimensions.get(1) < 1) {
        throw new InvalidConfigException("patchInnerDimensions must be two positive sizes [x, y].");
      }
      if (patchBorder < 0 || !(tractOverlap >= 0)) {
        throw new InvalidConfigException("patchBorder and tractOverlap must not be negative.");
      }
      patchInnerDimensions = List.copyOf(patchInnerDimensions);
    }

    /** Reads the shared keys of a config, with the skymap package's defaults. */
    @SuppressWarnings("unchecked")
    static Geometry read(Map<String, Object> m) {
      try {
        return new Geometry(
            ((Number) m.getOrDefault("pixelScale", 0.333)).doubleValue(),
            ((List<Number>) m.getOrDefault("patchInnerDimensions", List.of(4000, 4000)))
                .stream().map(Number::intValue).toList(),
            ((Number) m.getOrDefault("patchBorder", 100)).intValue(),
            ((Number) m.getOrDefault("tractOverlap", 1.0)).doubleValue());
      } catch (ClassCastException e) {
        throw new InvalidConfigException(
            "pixelScale, patchBorder and tractOverlap must be numbers and patchInnerDimensions a"
                + " list of two integers.");
      }
    }

    String canonical() {
      return String.format(
          Locale.ROOT,
          "%.12g;%s;%d;%.12g",
          pixelScale,
          patchInnerDimensions,
          patchBorder,
          tractOverlap);
    }
  }

  /**
   * A tract: its projection, its size in pixels and patches, and its inner sky region (the part of
   * the sky it is the tract for; {@link #findTract} answers by it).
   *
   * @param id the tract number
   * @param wcs the tract's projection (1-based pixels)
   * @param width pixels along x
   * @param height pixels along y
   * @param nx patches along x
   * @param ny patches along y
   * @param inner the tract's inner region
   */
  public record Tract(int id, TanWcs wcs, int width, int height, int nx, int ny, Region inner) {

    /** The tract's centre (its tangent point). */
    public UnitVector3d centre() {
      return UnitVector3d.fromDegrees(wcs.crval1(), wcs.crval2());
    }
  }

  /**
   * A patch of a tract.
   *
   * @param tract the tract
   * @param x the patch column
   * @param y the patch row
   * @param inner the inner pixel box {x0, y0, x1, y1} (0-based, end exclusive)
   * @param outer the outer pixel box, border included (clipped to the tract)
   */
  public record Patch(Tract tract, int x, int y, int[] inner, int[] outer) {
    /** The patch index, {@code nx·y + x}. */
    public int index() {
      return tract.nx() * y + x;
    }

    /** The patch's WCS: its tract's (patches share their tract's pixel grid). */
    public TanWcs wcs() {
      return tract.wcs();
    }
  }

  private final String name;
  private final Geometry geometry;
  private final List<Tract> tracts = new ArrayList<>();

  SkyMap(String name, Geometry geometry) {
    if (name == null || name.isBlank() || "null".equals(name)) {
      throw new InvalidConfigException("A skymap config needs a name.");
    }
    this.name = name;
    this.geometry = geometry;
  }

  /**
   * Reads a skymap config: {@code skyMap: discrete} (the default) or {@code skyMap: rings}, with
   * that skymap's keys and the shared ones ({@code name}, {@code pixelScale}, {@code
   * patchInnerDimensions}, {@code patchBorder}, {@code tractOverlap}, {@code projection: TAN}).
   */
  public static SkyMap read(Path file) {
    Map<String, Object> m = readYaml(file);
    Object kind = m.getOrDefault("skyMap", "discrete");
    return switch (String.valueOf(kind)) {
      case "discrete" -> new DiscreteSkyMap(DiscreteSkyMap.Config.of(m, file));
      case "rings" -> new RingsSkyMap(RingsSkyMap.Config.of(m, file));
      default ->
          throw new InvalidConfigException(
              "Unknown skyMap '" + kind + "' in " + file + "; known: discrete, rings.");
    };
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readYaml(Path file) {
    try {
      Object v = org.jbutler.schema.Yaml.strict().readValue(Files.readString(file), Object.class);
      if (!(v instanceof Map<?, ?> m)) {
        throw new InvalidConfigException("The skymap config " + file + " is not a YAML mapping.");
      }
      return (Map<String, Object>) m;
    } catch (java.io.IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of(
          "Cannot read the skymap config " + file, e);
    }
  }

  /** Refuses keys outside {@code known} and projections other than TAN. */
  static void checkKeys(Map<String, Object> m, Path file, List<String> known) {
    Object projection = m.getOrDefault("projection", "TAN");
    if (!"TAN".equalsIgnoreCase(String.valueOf(projection))) {
      throw new InvalidConfigException(
          "Skymap projection '" + projection + "' is not supported; use TAN.");
    }
    List<String> shared =
        List.of(
            "name",
            "skyMap",
            "pixelScale",
            "patchInnerDimensions",
            "patchBorder",
            "tractOverlap",
            "projection");
    for (String k : m.keySet()) {
      if (!shared.contains(k) && !known.contains(k)) {
        throw new InvalidConfigException(
            "Unknown skymap config key '"
                + k
                + "' in "
                + (file == null ? "the config" : file)
                + "; this skymap takes "
                + String.join(", ", known)
                + " and "
                + String.join(", ", shared)
                + ".");
      }
    }
  }

  /** The skymap's name (its {@code skymap} dimension value). */
  public String name() {
    return name;
  }

  /** The patch layout. */
  public Geometry geometry() {
    return geometry;
  }

  /** The tracts, by number. */
  public List<Tract> tracts() {
    return List.copyOf(tracts);
  }

  /** A tract by number. */
  public Tract tract(int id) {
    return tracts.get(id);
  }

  /**
   * Adds the next tract as the skymap package's {@code ExplicitTractInfo} lays it out: a TAN
   * projection at {@code centre} whose pixel box holds the points {@code radius + tractOverlap}
   * from the centre north, south, east and west (rounded up to whole patches, the tangent point in
   * the middle).
   */
  final void addTract(UnitVector3d centre, double radiusDeg, Region inner) {
    double reach = Math.toRadians(radiusDeg + geometry.tractOverlap());
    double side = reach >= Math.PI / 2 ? 180 : 2 * Math.toDegrees(Math.tan(reach));
    double widthDeg = side;
    double heightDeg = side;
    double scale = geometry.pixelScale() / 3600.0;
    int w = geometry.patchInnerDimensions().get(0);
    int h = geometry.patchInnerDimensions().get(1);
    int nx = Math.max(1, (int) Math.ceil(widthDeg / scale / w));
    int ny = Math.max(1, (int) Math.ceil(heightDeg / scale / h));
    int width = nx * w;
    int height = ny * h;
    TanWcs wcs =
        new TanWcs(
            Math.toDegrees(centre.lon()),
            Math.toDegrees(centre.lat()),
            width / 2.0 + 0.5,
            height / 2.0 + 0.5,
            -scale,
            0,
            0,
            scale);
    tracts.add(new Tract(tracts.size(), wcs, width, height, nx, ny, inner));
  }

  /** The number of patches over all tracts. */
  public long patchCount() {
    return tracts.stream().mapToLong(t -> (long) t.nx() * t.ny()).sum();
  }

  /** A tract's patches, by index. */
  public List<Patch> patches(Tract t) {
    List<Patch> out = new ArrayList<>();
    for (int y = 0; y < t.ny(); y++) {
      for (int x = 0; x < t.nx(); x++) {
        out.add(patch(t, x, y));
      }
    }
    return out;
  }

  /** Patch (x, y) of a tract. */
  public Patch patch(Tract t, int x, int y) {
    int w = geometry.patchInnerDimensions().get(0);
    int h = geometry.patchInnerDimensions().get(1);
    int b = geometry.patchBorder();
    int[] inner = {x * w, y * h, (x + 1) * w, (y + 1) * h};
    int[] outer = {
      Math.max(0, inner[0] - b),
      Math.max(0, inner[1] - b),
      Math.min(t.width(), inner[2] + b),
      Math.min(t.height(), inner[3] + b)
    };
    return new Patch(t, x, y, inner, outer);
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

  /** A tract's region: its whole pixel box (the skymap package's outer sky polygon). */
  public ConvexPolygon region(Tract t) {
    return region(t, new int[] {0, 0, t.width(), t.height()});
  }

  /** A patch's region: its outer box. */
  public ConvexPolygon region(Patch p) {
    return region(p.tract(), p.outer());
  }

  /** The tract a point belongs to (the skymap package's {@code findTract}). */
  public abstract Tract findTract(UnitVector3d v);

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
    int w = geometry.patchInnerDimensions().get(0);
    int h = geometry.patchInnerDimensions().get(1);
    if (x < 0 || y < 0 || x >= t.width() || y >= t.height()) {
      return Optional.empty();
    }
    return Optional.of(patch(t, (int) (x / w), (int) (y / h)));
  }

  /**
   * The tracts whose outer region may hold part of a region, each with its patches that may (the
   * skymap package's {@code findTractPatchList}; conservative, as region relations are).
   */
  public Map<Tract, List<Patch>> findTractPatchList(Region region) {
    Map<Tract, List<Patch>> out = new java.util.LinkedHashMap<>();
    for (Tract t : tracts) {
      if (region(t).relate(region).disjoint()) {
        continue;
      }
      List<Patch> hit = new ArrayList<>();
      for (Patch p : patches(t)) {
        if (!region(p).relate(region).disjoint()) {
          hit.add(p);
        }
      }
      if (!hit.isEmpty()) {
        out.put(t, hit);
      }
    }
    return out;
  }

  /** A canonical text of the config, hashed into the skymap record. */
  abstract String canonical();

  /** The SHA-1 of the config's canonical text: the skymap record's {@code hash}. */
  public byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-1")
          .digest(canonical().getBytes(StandardCharsets.UTF_8));
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
                name,
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
                    + name
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
                    u.element("tract"), Map.of("skymap", name, "id", t.id(), "region", region(t))));
            for (Patch p : patches(t)) {
              patchRecords.add(
                  DimensionRecord.of(
                      u.element("patch"),
                      Map.of(
                          "skymap", name, "tract", t.id(), "id", p.index(), "cell_x", p.x(),
                          "cell_y", p.y(), "region", region(p))));
            }
            if (patchRecords.size() >= 50_000) {
              registry.insertDimensionRecords("tract", tractRecords);
              registry.insertDimensionRecords("patch", patchRecords);
              tractRecords.clear();
              patchRecords.clear();
            }
          }
          registry.insertDimensionRecords("tract", tractRecords);
          registry.insertDimensionRecords("patch", patchRecords);
          return true;
        });
  }
}
