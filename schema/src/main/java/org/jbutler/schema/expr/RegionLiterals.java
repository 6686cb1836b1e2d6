package org.jbutler.schema.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jbutler.schema.region.Box;
import org.jbutler.schema.region.Circle;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.Region;
import org.jbutler.schema.region.UnitVector3d;

/**
 * The region constructors of the {@code where} language, all in degrees, each argument a literal, a
 * bind or arithmetic on them: {@code POINT(ra, dec)}, {@code CIRCLE(ra, dec, radius)}, {@code
 * BOX(ra, dec, width, height)} (centred), {@code POLYGON(ra1, dec1, ...)} (the convex hull: vertex
 * order does not matter) and {@code REGION('IVOA SIAv2 POS')} ({@code CIRCLE lon lat r}, {@code
 * RANGE lon1 lon2 lat1 lat2} with ±Inf, {@code POLYGON lon1 lat1 ...}).
 *
 * <p>{@code CIRCLE}'s third argument is the radius, as daf_butler documents it. (daf_butler's
 * Python implementation at the time of writing builds a circle of twice that radius; a query that
 * must match it exactly can pass {@code 2 * r}.)
 */
final class RegionLiterals {

  private RegionLiterals() {}

  static Region of(ExpressionBinder binder, Expr.FunctionCall f) {
    List<Expr> a = f.args();
    return switch (f.name()) {
      case "POINT" ->
          Circle.of(point(binder, f, binder.number(a.get(0)), binder.number(a.get(1))), 0);
      case "CIRCLE" -> {
        double r = binder.number(a.get(2));
        if (!(r >= 0) || r > 180) {
          throw binder.errorAt(f, "CIRCLE's radius must be between 0 and 180 degrees, not " + r);
        }
        yield Circle.of(
            point(binder, f, binder.number(a.get(0)), binder.number(a.get(1))), Math.toRadians(r));
      }
      case "BOX" -> {
        double ra = binder.number(a.get(0));
        double dec = binder.number(a.get(1));
        double w = binder.number(a.get(2));
        double h = binder.number(a.get(3));
        point(binder, f, ra, dec);
        if (!(w >= 0) || !(h >= 0)) {
          throw binder.errorAt(f, "BOX's width and height must not be negative");
        }
        yield Box.of(
            Math.toRadians(ra - w / 2),
            Math.toRadians(ra + w / 2),
            Math.toRadians(dec - h / 2),
            Math.toRadians(dec + h / 2),
            w >= 360);
      }
      case "POLYGON" -> {
        List<UnitVector3d> points = new ArrayList<>();
        for (int i = 0; i + 1 < a.size(); i += 2) {
          points.add(point(binder, f, binder.number(a.get(i)), binder.number(a.get(i + 1))));
        }
        yield hull(binder, f, points);
      }
      default -> ivoaPos(binder, f, binder.text(a.get(0)));
    };
  }

  private static UnitVector3d point(
      ExpressionBinder binder, Expr.FunctionCall f, double ra, double dec) {
    if (!Double.isFinite(ra) || !(dec >= -90 && dec <= 90)) {
      throw binder.errorAt(
          f, f.name() + " needs a finite RA and a Dec in [-90, 90], not (" + ra + ", " + dec + ")");
    }
    return UnitVector3d.fromDegrees(ra, dec);
  }

  private static ConvexPolygon hull(
      ExpressionBinder binder, Expr.FunctionCall f, List<UnitVector3d> points) {
    try {
      return ConvexPolygon.convexHull(points);
    } catch (IllegalArgumentException e) {
      throw binder.errorAt(f, f.name() + ": " + e.getMessage());
    }
  }

  /**
   * IVOA SIAv2 POS: {@code CIRCLE lon lat r}, {@code RANGE lon1 lon2 lat1 lat2}, {@code POLYGON
   * ...}.
   */
  private static Region ivoaPos(ExpressionBinder binder, Expr.FunctionCall f, String pos) {
    String[] t = pos.trim().split("\\s+");
    String shape = t[0].toUpperCase(Locale.ROOT);
    double[] v = new double[t.length - 1];
    try {
      for (int i = 1; i < t.length; i++) {
        v[i - 1] =
            Double.parseDouble(t[i].replace("Inf", "Infinity").replace("+Infinity", "Infinity"));
      }
    } catch (NumberFormatException e) {
      throw binder.errorAt(f, "REGION('" + pos + "'): '" + e.getMessage() + "' is not a number");
    }
    switch (shape) {
      case "CIRCLE" -> {
        if (v.length != 3) {
          throw binder.errorAt(f, "REGION('CIRCLE lon lat r') takes 3 numbers, not " + v.length);
        }
        return Circle.of(point(binder, f, v[0], v[1]), Math.toRadians(v[2]));
      }
      case "RANGE" -> {
        if (v.length != 4) {
          throw binder.errorAt(
              f, "REGION('RANGE lon1 lon2 lat1 lat2') takes 4 numbers, not " + v.length);
        }
        boolean fullLon = Double.isInfinite(v[0]) || Double.isInfinite(v[1]) || v[1] - v[0] >= 360;
        double lat1 = Double.isInfinite(v[2]) ? -90 : v[2];
        double lat2 = Double.isInfinite(v[3]) ? 90 : v[3];
        return Box.of(
            fullLon ? 0 : Math.toRadians(v[0]),
            fullLon ? 2 * Math.PI : Math.toRadians(v[1]),
            Math.toRadians(lat1),
            Math.toRadians(lat2),
            fullLon);
      }
      case "POLYGON" -> {
        if (v.length < 6 || v.length % 2 != 0) {
          throw binder.errorAt(f, "REGION('POLYGON ...') takes 3 or more lon lat pairs");
        }
        List<UnitVector3d> points = new ArrayList<>();
        for (int i = 0; i < v.length; i += 2) {
          points.add(point(binder, f, v[i], v[i + 1]));
        }
        return hull(binder, f, points);
      }
      default ->
          throw binder.errorAt(
              f,
              "REGION('" + pos + "'): the shape must be CIRCLE, RANGE or POLYGON (IVOA SIAv2 POS)");
    }
  }

  /** The value of a constant numeric expression, or null if it reads a column. */
  static Object fold(BoundExpr e) {
    if (e instanceof BoundExpr.Constant c && c.value() instanceof Number n) {
      return n.doubleValue();
    }
    if (e instanceof BoundExpr.Negate n && fold(n.operand()) instanceof Double d) {
      return -d;
    }
    if (e instanceof BoundExpr.Arithmetic a
        && fold(a.lhs()) instanceof Double x
        && fold(a.rhs()) instanceof Double y) {
      return switch (a.op()) {
        case PLUS -> x + y;
        case MINUS -> x - y;
        case TIMES -> x * y;
        case DIVIDE -> x / y;
        case MODULO -> x % y;
      };
    }
    return null;
  }
}
