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
    boolean within = p.vertices().stream().allMatch(c::contains);
    return new Relationship(false, contains, within);
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
