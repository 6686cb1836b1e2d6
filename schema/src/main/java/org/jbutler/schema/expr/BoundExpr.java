package org.jbutler.schema.expr;

import java.util.List;
import java.util.Locale;
import org.jbutler.schema.dimensions.ColumnSpec;

/**
 * A {@code where} expression after {@link ExpressionBinder} has resolved its names against the
 * dimension universe, the query's dataset searches and the bind values, and checked its types.
 * Every node has a {@link Type} and the parsed node it came from (for error positions). A backend
 * translates the tree with a {@link Visitor}: the SQL registry into jOOQ conditions, a remote
 * client into its wire form, a spatial planner into the regions it must look at.
 */
public sealed interface BoundExpr {

  /** What a node evaluates to. */
  enum Type {
    NUMBER,
    STRING,
    TIME,
    TIMESPAN,
    BOOL,
    UUID,
    /** A region of the sky ({@code POINT}, {@code CIRCLE}, ... or a region bind). */
    REGION,
    NULL;

    /** The lower-case name used in error messages ({@code number}, {@code timespan}). */
    public String describe() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The node's type. */
  Type type();

  /** The parsed node this came from. */
  Expr source();

  /** Dispatches to the visitor's method for this node. */
  <R> R accept(Visitor<R> visitor);

  /**
   * Whether the node has a value a column could hold, as opposed to being only a condition (a
   * comparison, a logical operator, a boolean bind). A boolean column has both.
   */
  default boolean hasValue() {
    return type() != Type.BOOL || this instanceof ElementField;
  }

  /** One method per node. */
  interface Visitor<R> {
    R visitConstant(Constant node);

    R visitDimensionKey(DimensionKey node);

    R visitElementField(ElementField node);

    R visitElementTimespan(ElementTimespan node);

    R visitTimespanBound(TimespanBound node);

    R visitDatasetField(DatasetField node);

    R visitTimespanRange(TimespanRange node);

    R visitNot(Not node);

    R visitNegate(Negate node);

    R visitLogical(Logical node);

    R visitArithmetic(Arithmetic node);

    R visitComparison(Comparison node);

    R visitIsNull(IsNull node);

    R visitOverlaps(Overlaps node);

    R visitInList(InList node);

    R visitGlob(Glob node);

    R visitSkyPixOverlaps(SkyPixOverlaps node);

    R visitElementRegion(ElementRegion node);

    R visitRegionOverlaps(RegionOverlaps node);

    R visitRegionJoin(RegionJoin node);
  }

  // ------------------------------------------------------------------ leaves

  /**
   * A literal or bind value: a {@code Long} or other {@code Number} (NUMBER), {@code String},
   * {@code Long} TAI nanoseconds (TIME), {@code java.util.UUID}, {@code Boolean}, or null (NULL).
   */
  record Constant(Type type, Object value, Expr source) implements BoundExpr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitConstant(this);
    }
  }

  /** The value of a dimension ({@code detector}, {@code exposure.id}). */
  record DimensionKey(String dimension, Type type, Expr source) implements BoundExpr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitDimensionKey(this);
    }
  }

  /** A field of a dimension element's record ({@code detector.full_name}). */
  record ElementField(String element, String field, ColumnSpec spec, Type type, Expr source)
      implements BoundExpr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitElementField(this);
    }
  }

  /** An element's validity range ({@code exposure.timespan}). */
  record ElementTimespan(String element, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.TIMESPAN;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitElementTimespan(this);
    }
  }

  /** One end of an element's timespan ({@code exposure.timespan.begin}). */
  record TimespanBound(String element, boolean begin, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.TIME;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitTimespanBound(this);
    }
  }

  /**
   * A field of the i-th dataset search ({@code dataset_id}, {@code ingest_date}, {@code run},
   * {@code collection}, {@code timespan}).
   */
  record DatasetField(int search, String field, Type type, Expr source) implements BoundExpr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitDatasetField(this);
    }
  }

  /** A time range {@code (t1, t2)} or a Timespan bind; an unbounded end is a constant. */
  record TimespanRange(BoundExpr begin, BoundExpr end, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.TIMESPAN;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitTimespanRange(this);
    }
  }

  // ------------------------------------------------------------------ operators

  /** {@code NOT condition}. */
  record Not(BoundExpr operand, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitNot(this);
    }
  }

  /** {@code -number}. */
  record Negate(BoundExpr operand, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitNegate(this);
    }
  }

  /** AND or OR. */
  enum LogicalOp {
    AND,
    OR
  }

  /** {@code condition AND|OR condition}. */
  record Logical(LogicalOp op, BoundExpr lhs, BoundExpr rhs, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitLogical(this);
    }
  }

  /** + - * / %. */
  enum ArithmeticOp {
    PLUS("+"),
    MINUS("-"),
    TIMES("*"),
    DIVIDE("/"),
    MODULO("%");

    private final String symbol;

    ArithmeticOp(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }

    static ArithmeticOp of(String symbol) {
      for (ArithmeticOp op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException(symbol);
    }
  }

  /** Arithmetic on numbers. */
  record Arithmetic(ArithmeticOp op, BoundExpr lhs, BoundExpr rhs, Expr source)
      implements BoundExpr {
    @Override
    public Type type() {
      return Type.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitArithmetic(this);
    }
  }

  /** = != < <= > >=. */
  enum ComparisonOp {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    ComparisonOp(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }

    static ComparisonOp of(String symbol) {
      for (ComparisonOp op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException(symbol);
    }
  }

  /**
   * A comparison of two operands of the same type (neither a timespan); two conditions compare only
   * with = and !=.
   */
  record Comparison(ComparisonOp op, BoundExpr lhs, BoundExpr rhs, Expr source)
      implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitComparison(this);
    }
  }

  /** {@code x = NULL} (IS NULL) or {@code x != NULL} (IS NOT NULL, {@code negated}). */
  record IsNull(BoundExpr operand, boolean negated, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitIsNull(this);
    }
  }

  /**
   * Whether two time intervals share an instant; each side a timespan or a single time (the
   * half-open interval {@code [t, t + 1 ns)}).
   */
  record Overlaps(BoundExpr lhs, BoundExpr rhs, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitOverlaps(this);
    }
  }

  /** An item of an IN list that is not a plain constant. */
  sealed interface InItem {}

  /** {@code start..stop[:stride]}, inclusive. */
  record RangeItem(long start, long stop, long stride) implements InItem {}

  /** Any other operand of the list's type (a column, a UUID('...') call, a scalar bind). */
  record ExprItem(BoundExpr value) implements InItem {}

  /**
   * {@code lhs [NOT] IN (...)}: the items that are not constants, in their order, then the constant
   * values (literals and the elements of list binds: {@code Long}/{@code Double}/{@code String}/TAI
   * {@code Long}/{@code UUID}) as one IN.
   */
  record InList(
      BoundExpr lhs, List<InItem> items, List<Object> values, boolean negated, Expr source)
      implements BoundExpr {
    /** The lists are copied. */
    public InList {
      items = List.copyOf(items);
      values = List.copyOf(values);
    }

    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitInList(this);
    }
  }

  /** daf_butler's {@code GLOB(column, 'pattern')}: case-sensitive, {@code *} and {@code ?}. */
  record Glob(BoundExpr column, String pattern, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitGlob(this);
    }
  }

  /**
   * {@code htm7 OVERLAPS <region>}: the pixelization dimension's value is one of the pixels of
   * {@code level} that may overlap the region (its envelope; a superset, as daf_butler's).
   *
   * @param pixel the skypix dimension's key
   * @param system the pixelization ({@code htm})
   * @param level its level
   * @param region the region
   */
  record SkyPixOverlaps(
      DimensionKey pixel,
      String system,
      int level,
      org.jbutler.schema.region.Region region,
      Expr source)
      implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitSkyPixOverlaps(this);
    }
  }

  /** A spatial element's region ({@code visit_detector_region.region}). */
  record ElementRegion(String element, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.REGION;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitElementRegion(this);
    }
  }

  /**
   * {@code element.region OVERLAPS <region>}: decided with the exact regions after the rows are
   * read (daf_butler's post-filter), so it may appear only at the top level of the expression,
   * joined to the rest by AND.
   *
   * @param column the element's region
   * @param region the region it must overlap
   */
  record RegionOverlaps(ElementRegion column, org.jbutler.schema.region.Region region, Expr source)
      implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitRegionOverlaps(this);
    }

    /**
     * Whether a stored region overlaps the query's: a point must be inside it; otherwise the
     * regions must not be known to be disjoint.
     */
    public boolean test(org.jbutler.schema.region.Region stored) {
      if (region instanceof org.jbutler.schema.region.Circle c && c.openingAngle() == 0) {
        return stored.contains(c.center());
      }
      return !stored.relate(region).disjoint();
    }
  }

  /**
   * {@code a.region OVERLAPS b.region}: an explicit spatial join of two elements' records, chosen
   * through shared pixels and then by the exact regions; at the top level only.
   */
  record RegionJoin(ElementRegion lhs, ElementRegion rhs, Expr source) implements BoundExpr {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitRegionJoin(this);
    }
  }
}
