package org.jbutler.registry;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jbutler.schema.expr.BoundExpr;
import org.jbutler.schema.expr.BoundExpr.Type;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Translates a bound expression into jOOQ: every literal and bind value becomes a bind parameter,
 * columns are named by the tables of the {@link FromClause} (which joins the dataset row or a
 * collection name when a dataset field needs it). The types were checked by the binder; this only
 * chooses the SQL.
 */
final class SqlTranslator implements BoundExpr.Visitor<SqlTranslator.Value> {

  /**
   * A translated node: a field (begin and end fields for a timespan), a condition, or both (a
   * boolean column).
   */
  record Value(Field<?> field, Field<?> end, Condition condition) {
    static Value of(Field<?> f) {
      return new Value(f, null, null);
    }

    static Value of(Condition c) {
      return new Value(null, null, c);
    }
  }

  private final FromClause from;
  private final SqlDialect dialect;
  private final org.jbutler.schema.dimensions.DimensionUniverse universe;
  private final int overlapLevel;

  /**
   * @param overlapLevel the common skypix level whose overlap rows the repository keeps (element
   *     region constraints then select their candidates by pixel), or −1
   */
  SqlTranslator(
      FromClause from,
      SqlDialect dialect,
      org.jbutler.schema.dimensions.DimensionUniverse universe,
      int overlapLevel) {
    this.from = from;
    this.dialect = dialect;
    this.universe = universe;
    this.overlapLevel = overlapLevel;
  }

  /** The condition of a bound predicate. */
  Condition condition(BoundExpr e) {
    return e.accept(this).condition();
  }

  /** The field of a bound value (an order-by term). */
  Field<?> fieldOf(BoundExpr e) {
    return e.accept(this).field();
  }

  @Override
  public Value visitConstant(BoundExpr.Constant c) {
    Object v = c.value();
    return switch (c.type()) {
      case BOOL -> Value.of(DSL.condition((Boolean) v));
      case NULL -> Value.of(DSL.inline((Object) null));
      case UUID -> Value.of(DSL.val(dialect.toDb((UUID) v)));
      default -> Value.of(DSL.val(v));
    };
  }

  @Override
  public Value visitDimensionKey(BoundExpr.DimensionKey k) {
    return Value.of(from.key(k.dimension()));
  }

  @Override
  public Value visitElementField(BoundExpr.ElementField f) {
    Field<Object> col = field(name(f.element(), f.field()));
    if (f.type() == Type.BOOL) {
      return new Value(col, null, col.cast(SQLDataType.BOOLEAN).isTrue());
    }
    return Value.of(col);
  }

  @Override
  public Value visitElementTimespan(BoundExpr.ElementTimespan t) {
    return new Value(
        field(name(t.element(), "timespan_begin")), field(name(t.element(), "timespan_end")), null);
  }

  @Override
  public Value visitTimespanBound(BoundExpr.TimespanBound t) {
    return Value.of(field(name(t.element(), t.begin() ? "timespan_begin" : "timespan_end")));
  }

  @Override
  public Value visitDatasetField(BoundExpr.DatasetField d) {
    String alias = from.searchAlias(d.search());
    return switch (d.field()) {
      case "dataset_id" -> Value.of(field(name(alias, "dataset_id")));
      case "collection" ->
          Value.of(from.collectionName(alias + "_collection", field(name(alias, "collection_id"))));
      case "ingest_date" -> Value.of(field(name(from.datasetTable(alias), "ingest_date")));
      case "run" -> {
        String ds = from.datasetTable(alias);
        yield Value.of(from.collectionName(alias + "_run", field(name(ds, "run_id"))));
      }
      default ->
          new Value(field(name(alias, "timespan_begin")), field(name(alias, "timespan_end")), null);
    };
  }

  @Override
  public Value visitTimespanRange(BoundExpr.TimespanRange r) {
    return new Value(r.begin().accept(this).field(), r.end().accept(this).field(), null);
  }

  @Override
  public Value visitNot(BoundExpr.Not n) {
    return Value.of(DSL.not(condition(n.operand())));
  }

  @Override
  public Value visitNegate(BoundExpr.Negate n) {
    return Value.of(fieldOf(n.operand()).neg());
  }

  @Override
  public Value visitLogical(BoundExpr.Logical l) {
    Condition a = condition(l.lhs());
    Condition b = condition(l.rhs());
    return Value.of(l.op() == BoundExpr.LogicalOp.AND ? a.and(b) : a.or(b));
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Value visitArithmetic(BoundExpr.Arithmetic a) {
    Field l = fieldOf(a.lhs());
    Field r = fieldOf(a.rhs());
    Field out =
        switch (a.op()) {
          case PLUS -> l.plus(r);
          case MINUS -> l.minus(r);
          case TIMES -> l.times(r);
          case DIVIDE -> l.div(r);
          case MODULO -> l.mod(r);
        };
    return Value.of(out);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Value visitComparison(BoundExpr.Comparison c) {
    Value l = c.lhs().accept(this);
    Value r = c.rhs().accept(this);
    if (c.lhs().type() == Type.BOOL) {
      Condition same = l.condition().eq(r.condition());
      return Value.of(c.op() == BoundExpr.ComparisonOp.EQ ? same : DSL.not(same));
    }
    Field lf = l.field();
    Field rf = r.field();
    Condition out =
        switch (c.op()) {
          case EQ -> lf.eq(rf);
          case NE -> lf.ne(rf);
          case LT -> lf.lt(rf);
          case LE -> lf.le(rf);
          case GT -> lf.gt(rf);
          case GE -> lf.ge(rf);
        };
    return Value.of(out);
  }

  @Override
  public Value visitIsNull(BoundExpr.IsNull n) {
    Field<?> f = fieldOf(n.operand());
    return Value.of(n.negated() ? f.isNotNull() : f.isNull());
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Value visitOverlaps(BoundExpr.Overlaps o) {
    Field[] a = span(o.lhs());
    Field[] c = span(o.rhs());
    return Value.of(a[0].lt(c[1]).and(c[0].lt(a[1])));
  }

  /** A timespan as [begin, end); a single time as [t, t + 1). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Field[] span(BoundExpr e) {
    Value v = e.accept(this);
    if (e.type() == Type.TIMESPAN) {
      return new Field[] {v.field(), v.end()};
    }
    return new Field[] {v.field(), ((Field) v.field()).plus(DSL.val(1L))};
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Value visitInList(BoundExpr.InList in) {
    Field f = fieldOf(in.lhs());
    List<Condition> alternatives = new ArrayList<>();
    for (BoundExpr.InItem item : in.items()) {
      if (item instanceof BoundExpr.RangeItem r) {
        Condition c = f.between(DSL.val(r.start()), DSL.val(r.stop()));
        if (r.stride() != 1) {
          c = c.and(f.minus(DSL.val(r.start())).mod(DSL.val(r.stride())).eq(DSL.val(0L)));
        }
        alternatives.add(c);
      } else {
        alternatives.add(f.eq(fieldOf(((BoundExpr.ExprItem) item).value())));
      }
    }
    if (!in.values().isEmpty()) {
      List<Field<?>> values = new ArrayList<>();
      for (Object v : in.values()) {
        values.add(DSL.val(v instanceof UUID u ? dialect.toDb(u) : v));
      }
      alternatives.add(f.in(values));
    }
    Condition any = DSL.or(alternatives);
    return Value.of(in.negated() ? DSL.not(any) : any);
  }

  /**
   * The pixel's value in the ranges of the region's envelope at the pixelization's level (a
   * superset of the pixels that overlap it, as daf_butler's: no post-filter), as BETWEEN conditions
   * with bind parameters.
   */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Value visitSkyPixOverlaps(BoundExpr.SkyPixOverlaps o) {
    Field f = from.key(o.pixel().dimension());
    List<long[]> ranges =
        org.jbutler.schema.region.Pixelization.of(o.system(), o.level()).envelope(o.region(), 64);
    List<Condition> any = new ArrayList<>();
    for (long[] r : ranges) {
      any.add(r[1] - r[0] == 1 ? f.eq(DSL.val(r[0])) : f.between(DSL.val(r[0]), DSL.val(r[1] - 1)));
    }
    return Value.of(any.isEmpty() ? DSL.falseCondition() : DSL.or(any));
  }

  @Override
  public Value visitElementRegion(BoundExpr.ElementRegion r) {
    return Value.of(field(name(r.element(), "region")));
  }

  /**
   * The candidates: records whose overlap rows share a pixel with the region's envelope (the exact
   * test follows when the rows are read, see {@link QueryBuilder#regionConstraints()}). Without
   * overlap rows every record is a candidate.
   */
  @Override
  public Value visitRegionOverlaps(BoundExpr.RegionOverlaps o) {
    if (overlapLevel < 0) {
      return Value.of(DSL.trueCondition());
    }
    org.jbutler.schema.dimensions.DimensionElement e = universe.element(o.column().element());
    List<Field<?>> outer = new ArrayList<>();
    List<Field<?>> inner = new ArrayList<>();
    for (String r : e.required()) {
      String column = DimensionRecordStorage.keyColumn(e, r);
      outer.add(field(name(e.name(), column)));
      inner.add(field(name(column)));
    }
    List<Condition> pixels = new ArrayList<>();
    for (long[] r :
        new org.jbutler.schema.region.HtmPixelization(overlapLevel).envelope(o.region(), 64)) {
      pixels.add(
          r[1] - r[0] == 1
              ? Tables.OVERLAP_INDEX.eq(DSL.val(r[0]))
              : Tables.OVERLAP_INDEX.between(DSL.val(r[0]), DSL.val(r[1] - 1)));
    }
    if (pixels.isEmpty()) {
      return Value.of(DSL.falseCondition());
    }
    var candidates =
        DSL.select(inner)
            .from(Tables.overlapTable(e))
            .where(Tables.OVERLAP_SYSTEM.eq(DSL.val("htm")))
            .and(Tables.OVERLAP_LEVEL.eq(DSL.val(overlapLevel)))
            .and(DSL.or(pixels));
    return Value.of(DSL.row(outer).in(candidates));
  }

  /** Planned by {@link QueryBuilder} as a spatial join; TRUE here. */
  @Override
  public Value visitRegionJoin(BoundExpr.RegionJoin j) {
    return Value.of(DSL.trueCondition());
  }

  @Override
  public Value visitGlob(BoundExpr.Glob g) {
    return Value.of(dialect.glob(fieldOf(g.column()), g.pattern()));
  }
}
