package org.jbutler.schema.region;

import java.util.ArrayList;
import java.util.List;

/**
 * Relationships between pairs of regions, conservative as {@link Relationship} says: exact for
 * circles and boxes among themselves, for polygons among themselves (separating edges, vertex
 * containment) and for polygons with circles smaller than a hemisphere; otherwise disjointness by
 * bounding circles and nothing more. A margin of {@value #EPS} radians keeps rounding from ever
 * producing a false claim.
 */
final class Relations {

  private Relations() {}

  static final double EPS = 1e-13;

  static Relationship relate(Region a, Region b) {
    if (a.isEmpty() || b.isEmpty()) {
      return new Relationship(true, b.isEmpty(), a.isEmpty());
    }
    if (b instanceof UnionRegion || b instanceof IntersectionRegion || b instanceof Ellipse) {
      return b.relate(a).inverse();
    }
    if (circlesDisjoint(a.boundingCircle(), b.boundingCircle())) {
      return Relationship.DISJOINT;
    }
    if (a instanceof Circle x && b instanceof Circle y) {
      return circleCircle(x, y);
    }
    if (a instanceof ConvexPolygon p && b instanceof ConvexPolygon q) {
      return polygonPolygon(p, q);
    }
    if (a instanceof ConvexPolygon p && b instanceof Circle c) {
      return polygonCircle(p, c);
    }
    if (a instanceof Circle c && b instanceof ConvexPolygon p) {
      return polygonCircle(p, c).inverse();
    }
    if (a instanceof Box x && b instanceof Box y) {
      return boxBox(x, y);
    }
    if (a instanceof ConvexPolygon p && b instanceof Box x) {
      return polygonBox(p, x);
    }
    if (a instanceof Box x && b instanceof ConvexPolygon p) {
      return polygonBox(p, x).inverse();
    }
    return Relationship.INTERSECTS;
  }

  static boolean circlesDisjoint(Circle a, Circle b) {
    if (a.isEmpty() || b.isEmpty()) {
      return true;
    }
    if (a.isFull() || b.isFull()) {
      return false;
    }
    return a.center().angleTo(b.center()) > a.openingAngle() + b.openingAngle() + EPS;
  }

  static Relationship circleCircle(Circle a, Circle b) {
    if (a.isFull()) {
      return new Relationship(false, true, b.isFull());
    }
    if (b.isFull()) {
      return Relationship.WITHIN;
    }
    double d = a.center().angleTo(b.center());
    double ra = a.openingAngle();
    double rb = b.openingAngle();
    if (d > ra + rb + EPS) {
      return Relationship.DISJOINT;
    }
    return new Relationship(false, d + rb <= ra - EPS, d + ra <= rb - EPS);
  }

  static Relationship polygonPolygon(ConvexPolygon p, ConvexPolygon q) {
    if (separated(p, q) || separated(q, p)) {
      return Relationship.DISJOINT;
    }
    boolean contains = q.vertices().stream().allMatch(p::contains);
    boolean within = p.vertices().stream().allMatch(q::contains);
    return new Relationship(false, contains, within);
  }

  /** Whether an edge of p has every vertex of q strictly on its outer side. */
  private static boolean separated(ConvexPolygon p, ConvexPolygon q) {
    List<UnitVector3d> v = p.vertices();
    for (int i = 0; i < v.size(); i++) {
      UnitVector3d a = v.get(i);
      UnitVector3d b = v.get((i + 1) % v.size());
      if (a.equals(b)) {
        continue;
      }
      boolean allOutside = true;
      for (UnitVector3d w : q.vertices()) {
        if (Orientation.of(a, b, w) >= 0) {
          allOutside = false;
          break;
        }
      }
      if (allOutside) {
        return true;
      }
    }
    return false;
  }

  static Relationship polygonCircle(ConvexPolygon p, Circle c) {
    if (c.isFull()) {
      return Relationship.WITHIN;
    }
    double r = c.openingAngle();
    if (r >= Math.PI / 2) {
      return Relationship.INTERSECTS; // bigger than a hemisphere: only bounding circles decided
    }
    double sinR = Math.sin(r);
    boolean centerInside = p.contains(c.center());
    boolean contains = centerInside;
    for (int i = 0; i < p.vertices().size(); i++) {
      UnitVector3d n = p.edgePole(i);
      if (n == null) {
        continue;
      }
      double s = n.dot(c.center()); // sine of the centre's angle above the edge's great circle
      if (s < -sinR - EPS) {
        return Relationship.DISJOINT; // the whole circle is outside this edge
      }
      if (s < sinR + EPS) {
        contains = false;
      }
    }
    if (!centerInside && distance(p, c.center()) > r + EPS) {
      return Relationship.DISJOINT; // outside, and farther than r from every edge
    }
    boolean within = p.vertices().stream().allMatch(c::contains);
    return new Relationship(false, contains, within);
  }

  /**
   * A polygon and a box share a point if a vertex of one is in the other or an edge of the polygon
   * crosses the box's boundary (its two meridians and two parallels); otherwise they are disjoint.
   * Containment is not claimed.
   */
  static Relationship polygonBox(ConvexPolygon p, Box box) {
    for (UnitVector3d v : p.vertices()) {
      if (box.contains(v)) {
        return Relationship.INTERSECTS;
      }
    }
    double width =
        box.lonA() <= box.lonB() ? box.lonB() - box.lonA() : box.lonB() + 2 * Math.PI - box.lonA();
    boolean fullLon = width >= 2 * Math.PI;
    if (!fullLon) {
      for (double lon : new double[] {box.lonA(), box.lonB()}) {
        for (double lat : new double[] {box.latA(), box.latB()}) {
          if (p.contains(UnitVector3d.fromLonLat(lon, lat))) {
            return Relationship.INTERSECTS;
          }
        }
      }
    } else {
      // A latitude band: any point of the polygon at a latitude inside it would be a vertex or on
      // an edge crossing a parallel, which the tests below find; a pole inside the polygon too.
      if ((box.latB() >= Math.PI / 2 && p.contains(UnitVector3d.Z))
          || (box.latA() <= -Math.PI / 2 && p.contains(UnitVector3d.Z.negate()))) {
        return Relationship.INTERSECTS;
      }
    }
    List<UnitVector3d> vs = p.vertices();
    for (int i = 0; i < vs.size(); i++) {
      UnitVector3d a = vs.get(i);
      UnitVector3d b = vs.get((i + 1) % vs.size());
      if (a.equals(b)) {
        continue;
      }
      for (double lat : new double[] {box.latA(), box.latB()}) {
        if (crossesParallel(a, b, lat, box)) {
          return Relationship.INTERSECTS;
        }
      }
      if (!fullLon) {
        for (double lon : new double[] {box.lonA(), box.lonB()}) {
          if (crossesMeridian(a, b, lon, box)) {
            return Relationship.INTERSECTS;
          }
        }
      }
    }
    return Relationship.DISJOINT;
  }

  /** Whether the arc a→b meets latitude {@code lat} at a longitude inside the box (with margin). */
  private static boolean crossesParallel(UnitVector3d a, UnitVector3d b, double lat, Box box) {
    double theta = a.angleTo(b);
    double[] c = a.cross(b);
    double[] w = UnitVector3d.of(c[0], c[1], c[2]).cross(a); // in the plane, 90 degrees from a
    // z(t) = a.z cos t + w.z sin t = sin(lat), t in [0, theta]
    double ca = a.z();
    double cb = w[2];
    double r = Math.hypot(ca, cb);
    double s = Math.sin(lat);
    if (r < 1e-15 || Math.abs(s) > r + EPS) {
      return false;
    }
    double phi = Math.atan2(cb, ca);
    double d = Math.acos(Math.max(-1, Math.min(1, s / r)));
    for (double t : new double[] {phi - d, phi + d}) {
      double tt = ((t % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      if (tt <= theta + EPS) {
        UnitVector3d q =
            UnitVector3d.of(
                a.x() * Math.cos(tt) + w[0] * Math.sin(tt),
                a.y() * Math.cos(tt) + w[1] * Math.sin(tt),
                a.z() * Math.cos(tt) + w[2] * Math.sin(tt));
        if (box.containsLon(q.lon()) || nearLon(q.lon(), box)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the arc a→b meets the meridian at {@code lon} at a latitude inside the box. */
  private static boolean crossesMeridian(UnitVector3d a, UnitVector3d b, double lon, Box box) {
    UnitVector3d m = UnitVector3d.fromLonLat(lon + Math.PI / 2, 0); // the meridian's pole
    double[] e = a.cross(b);
    double[] d = UnitVector3d.of(e[0], e[1], e[2]).cross(m);
    double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (n < 1e-15) {
      return false; // the edge lies on the meridian's great circle: its vertices decided it
    }
    for (int sign : new int[] {1, -1}) {
      UnitVector3d q = UnitVector3d.of(sign * d[0], sign * d[1], sign * d[2]);
      boolean onArc = Math.abs(a.angleTo(q) + q.angleTo(b) - a.angleTo(b)) < 1e-12;
      boolean onMeridian =
          Math.abs(q.lon() - lon) < 1e-9 || Math.abs(Math.abs(q.lon() - lon) - 2 * Math.PI) < 1e-9;
      double lat = q.lat();
      if (onArc && onMeridian && lat >= box.latA() - EPS && lat <= box.latB() + EPS) {
        return true;
      }
    }
    return false;
  }

  private static boolean nearLon(double lon, Box box) {
    return Math.abs(lon - box.lonA()) < 1e-12 || Math.abs(lon - box.lonB()) < 1e-12;
  }

  /** The angular distance from a point outside a polygon to its nearest edge. */
  static double distance(ConvexPolygon p, UnitVector3d v) {
    double best = Math.PI;
    List<UnitVector3d> vs = p.vertices();
    for (int i = 0; i < vs.size(); i++) {
      UnitVector3d a = vs.get(i);
      UnitVector3d b = vs.get((i + 1) % vs.size());
      best = Math.min(best, Math.min(v.angleTo(a), v.angleTo(b)));
      UnitVector3d n = p.edgePole(i);
      if (n == null) {
        continue;
      }
      double s = n.dot(v);
      double fx = v.x() - s * n.x();
      double fy = v.y() - s * n.y();
      double fz = v.z() - s * n.z();
      if (fx * fx + fy * fy + fz * fz < 1e-30) {
        continue; // v is a pole of the edge: every point of it is 90 degrees away
      }
      UnitVector3d foot = UnitVector3d.of(fx, fy, fz); // nearest point of the great circle
      if (Orientation.of(a, foot, n) >= 0 && Orientation.of(foot, b, n) >= 0) {
        best = Math.min(best, Math.asin(Math.min(1, Math.abs(s))));
      }
    }
    return best;
  }

  static Relationship boxBox(Box a, Box b) {
    boolean latDisjoint = a.latA() > b.latB() || b.latA() > a.latB();
    boolean sharePole =
        (a.latB() >= Math.PI / 2 && b.latB() >= Math.PI / 2)
            || (a.latA() <= -Math.PI / 2 && b.latA() <= -Math.PI / 2);
    List<double[]> sa = lonSegments(a);
    List<double[]> sb = lonSegments(b);
    boolean lonOverlap = false;
    for (double[] x : sa) {
      for (double[] y : sb) {
        lonOverlap |= x[0] <= y[1] && y[0] <= x[1];
      }
    }
    if (latDisjoint || (!lonOverlap && !sharePole)) {
      return Relationship.DISJOINT;
    }
    boolean aLat = a.latA() <= b.latA() && b.latB() <= a.latB();
    boolean bLat = b.latA() <= a.latA() && a.latB() <= b.latB();
    return new Relationship(false, aLat && segmentsCover(sa, sb), bLat && segmentsCover(sb, sa));
  }

  private static List<double[]> lonSegments(Box b) {
    double tau = 2 * Math.PI;
    List<double[]> out = new ArrayList<>();
    if (b.lonB() - b.lonA() >= tau) {
      out.add(new double[] {0, tau});
    } else if (b.lonA() <= b.lonB()) {
      out.add(new double[] {b.lonA(), b.lonB()});
    } else {
      out.add(new double[] {b.lonA(), tau});
      out.add(new double[] {0, b.lonB()});
    }
    return out;
  }

  /** Whether every segment of inner lies inside one segment of outer. */
  private static boolean segmentsCover(List<double[]> outer, List<double[]> inner) {
    for (double[] i : inner) {
      boolean inside = false;
      for (double[] o : outer) {
        inside |= o[0] <= i[0] && i[1] <= o[1];
      }
      if (!inside) {
        return false;
      }
    }
    return true;
  }

  /** A circle containing every given circle. */
  static Circle circleAround(List<Circle> circles) {
    List<Circle> nonEmpty = circles.stream().filter(c -> !c.isEmpty()).toList();
    if (nonEmpty.isEmpty()) {
      return Circle.empty();
    }
    double x = 0;
    double y = 0;
    double z = 0;
    for (Circle c : nonEmpty) {
      if (c.isFull()) {
        return new Circle(UnitVector3d.Z, 4, Math.PI);
      }
      x += c.center().x();
      y += c.center().y();
      z += c.center().z();
    }
    if (Math.sqrt(x * x + y * y + z * z) < 1e-9) {
      return new Circle(UnitVector3d.Z, 4, Math.PI);
    }
    UnitVector3d center = UnitVector3d.of(x, y, z);
    double r = 0;
    for (Circle c : nonEmpty) {
      r = Math.max(r, center.angleTo(c.center()) + c.openingAngle());
    }
    return Circle.of(center, r + EPS);
  }
}
