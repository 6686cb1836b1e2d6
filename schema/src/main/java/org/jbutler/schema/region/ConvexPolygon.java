package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A convex polygon on the sphere (sphgeom's {@code ConvexPolygon}): three or more vertices,
 * counter-clockwise seen from outside the sphere, joined by great-circle edges, smaller than a
 * hemisphere. Vertices are kept as given (an encoding round-trips byte for byte, repeated vertices
 * included).
 *
 * @param vertices the vertices, counter-clockwise
 */
public record ConvexPolygon(List<UnitVector3d> vertices) implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'p';

  /** Copies; at least three vertices. */
  public ConvexPolygon {
    vertices = List.copyOf(vertices);
    if (vertices.size() < 3) {
      throw new IllegalArgumentException(
          "A convex polygon has at least 3 vertices, not " + vertices.size() + ".");
    }
  }

  /** A polygon from vertices already in counter-clockwise order. */
  public static ConvexPolygon of(UnitVector3d... vertices) {
    return new ConvexPolygon(List.of(vertices));
  }

  /**
   * The convex hull of points that lie within one hemisphere (their order does not matter), as
   * sphgeom's {@code convexHull} and daf_butler's {@code POLYGON} make one.
   *
   * @throws IllegalArgumentException if fewer than 3 points are not on one great circle
   */
  public static ConvexPolygon convexHull(List<UnitVector3d> points) {
    double sx = 0;
    double sy = 0;
    double sz = 0;
    for (UnitVector3d p : points) {
      sx += p.x();
      sy += p.y();
      sz += p.z();
    }
    UnitVector3d c = UnitVector3d.of(sx, sy, sz);
    // Gnomonic projection onto the plane tangent at c: great circles become straight lines.
    UnitVector3d north =
        Math.abs(c.z()) < 0.9 ? UnitVector3d.Z : UnitVector3d.X; // any axis not parallel to c
    double[] e1 = c.cross(north);
    UnitVector3d u = UnitVector3d.of(e1[0], e1[1], e1[2]);
    double[] e2 =
        c.cross(u); // u x w = c: counter-clockwise in (u, w) is counter-clockwise seen from outside
    UnitVector3d w = UnitVector3d.of(e2[0], e2[1], e2[2]);
    List<double[]> pts = new ArrayList<>();
    for (UnitVector3d p : points) {
      double d = p.dot(c);
      if (!(d > 0)) {
        throw new IllegalArgumentException("The points of a polygon must lie within a hemisphere.");
      }
      pts.add(new double[] {p.dot(u) / d, p.dot(w) / d, pts.size()});
    }
    pts.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
    List<double[]> hull = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) { // Andrew's monotone chain: lower, then upper
      int start = hull.size();
      for (int i = 0; i < pts.size(); i++) {
        double[] p = pts.get(pass == 0 ? i : pts.size() - 1 - i);
        while (hull.size() >= start + 2
            && cross2(hull.get(hull.size() - 2), hull.get(hull.size() - 1), p) <= 0) {
          hull.remove(hull.size() - 1);
        }
        hull.add(p);
      }
      hull.remove(hull.size() - 1);
    }
    if (hull.size() < 3) {
      throw new IllegalArgumentException(
          "A polygon needs 3 or more points not on one great circle.");
    }
    List<UnitVector3d> vertices = new ArrayList<>();
    for (double[] h : hull) {
      vertices.add(points.get((int) h[2]));
    }
    return new ConvexPolygon(vertices);
  }

  private static double cross2(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public boolean contains(UnitVector3d v) {
    int n = vertices.size();
    for (int i = 0; i < n; i++) {
      UnitVector3d a = vertices.get(i);
      UnitVector3d b = vertices.get((i + 1) % n);
      if (!a.equals(b) && Orientation.of(a, b, v) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The normalised sum of the vertices: a point inside the polygon. */
  public UnitVector3d centroid() {
    double x = 0;
    double y = 0;
    double z = 0;
    for (UnitVector3d v : vertices) {
      x += v.x();
      y += v.y();
      z += v.z();
    }
    return UnitVector3d.of(x, y, z);
  }

  @Override
  public Circle boundingCircle() {
    UnitVector3d c = centroid();
    double r = 0;
    for (UnitVector3d v : vertices) {
      r = Math.max(r, c.angleTo(v));
    }
    return Circle.of(c, r + Box.MARGIN);
  }

  /** The inward pole of edge i (from vertex i to i+1), or null for a repeated vertex. */
  UnitVector3d edgePole(int i) {
    UnitVector3d a = vertices.get(i);
    UnitVector3d b = vertices.get((i + 1) % vertices.size());
    if (a.equals(b)) {
      return null;
    }
    return a.robustCross(b);
  }

  @Override
  public Relationship relate(Region other) {
    return Relations.relate(this, other);
  }

  @Override
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(1 + 24 * vertices.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(TYPE_CODE);
    for (UnitVector3d v : vertices) {
      b.putDouble(v.x()).putDouble(v.y()).putDouble(v.z());
    }
    return b.array();
  }

  static ConvexPolygon decode(ByteBuffer b, int length) {
    if (length < 73 || (length - 1) % 24 != 0) {
      throw new IllegalArgumentException(
          "A ConvexPolygon is encoded in 1 + 24 bytes per vertex (3 or more), not "
              + length
              + " bytes.");
    }
    int n = (length - 1) / 24;
    List<UnitVector3d> v = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      v.add(UnitVector3d.fromNormalized(b.getDouble(), b.getDouble(), b.getDouble()));
    }
    return new ConvexPolygon(v);
  }
}
