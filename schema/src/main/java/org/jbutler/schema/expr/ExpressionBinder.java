package org.jbutler.schema.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.Values;
import org.jbutler.schema.dimensions.ColumnSpec;
import org.jbutler.schema.dimensions.ColumnType;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.expr.BoundExpr.Constant;
import org.jbutler.schema.expr.BoundExpr.Type;

/**
 * Binds a parsed {@code where} expression (and order-by terms) to a query: what every name refers
 * to, then what every node's type is. It works in two phases so that a query planner can look at
 * what the expression mentions (the elements to join, the dimensions it constrains, for the
 * governor rule) before the types are checked:
 *
 * <ol>
 *   <li>{@link #resolve(Expr)} and {@link #resolveOrderTerm(String)}: names to dimensions, element
 *       fields, timespans, dataset fields and binds, with daf_butler's rules (a bare field name
 *       belongs to the one element of the query's dimensions that has it; a dimension name wins
 *       over a bind of the same name);
 *   <li>{@link #bind(Expr)}: the type-checked {@link BoundExpr} of a condition.
 * </ol>
 *
 * Errors are {@link InvalidQueryException}s that quote the expression and give the column.
 */
public final class ExpressionBinder {

  /** The fields every dataset search has, for messages. */
  public static final String DATASET_FIELDS_TEXT =
      "dataset_id, ingest_date, run, collection, timespan";

  private static final Set<String> DATASET_FIELDS =
      Set.of("dataset_id", "ingest_date", "run", "collection", "timespan");

  /** A bind value named in the expression, typed only when it is used. */
  private record BindRef(String name, Object value) {}

  /** An order-by term after phase one. */
  public static final class OrderTerm {
    private final String term;
    private final Object resolved;
    private final Expr.Identifier id;

    private OrderTerm(String term, Object resolved, Expr.Identifier id) {
      this.term = term;
      this.resolved = resolved;
      this.id = id;
    }

    /** The term as given ({@code -exposure.exposure_time}). */
    public String term() {
      return term;
    }

    /** The name without its sign. */
    public String name() {
      return id.name();
    }

    /** Whether the term asks for descending order (a leading {@code -}). */
    public boolean descending() {
      return term.startsWith("-");
    }

    /** The dimension whose key the term orders by, if it is a key. */
    public Optional<String> dimension() {
      return resolved instanceof BoundExpr.DimensionKey k
          ? Optional.of(k.dimension())
          : Optional.empty();
    }
  }

  private final DimensionUniverse universe;
  private final DimensionGroup dimensions;
  private final List<String> datasetTypes;
  private final Map<String, ?> bind;
  private final String where;
  private final Map<Expr, Object> resolved = new LinkedHashMap<>();
  private final Set<String> referencedElements = new LinkedHashSet<>();
  private final Set<String> referencedDimensions = new LinkedHashSet<>();
  private final Set<String> constrainedDimensions = new LinkedHashSet<>();
  private boolean resolvingOrder;

  /**
   * A binder for one query.
   *
   * @param dimensions the query's dimensions before the expression adds to them (bare field names
   *     are looked up in their elements)
   * @param datasetTypes the names of the dataset types the query searches, in search order
   * @param bind the bind values
   * @param where the expression text, quoted in errors
   */
  public ExpressionBinder(
      DimensionUniverse universe,
      DimensionGroup dimensions,
      List<String> datasetTypes,
      Map<String, ?> bind,
      String where) {
    this.universe = universe;
    this.dimensions = dimensions;
    this.datasetTypes = List.copyOf(datasetTypes);
    this.bind = bind;
    this.where = where;
  }

  /** Elements whose records the expression or order terms use (fields, timespans). */
  public Set<String> referencedElements() {
    return referencedElements;
  }

  /** Dimensions whose keys the expression or order terms use. */
  public Set<String> referencedDimensions() {
    return referencedDimensions;
  }

  /**
   * Dimensions the expression pins to values ({@code d = v}, {@code d IN (...)}), for the governor
   * rule and the defaults.
   */
  public Set<String> constrainedDimensions() {
    return constrainedDimensions;
  }

  /** The dimension keys the resolved expression uses, in order of appearance. */
  public List<String> keysUsed() {
    List<String> out = new ArrayList<>();
    for (Object r : resolved.values()) {
      if (r instanceof BoundExpr.DimensionKey k) {
        out.add(k.dimension());
      }
    }
    return out;
  }

  /**
   * The elements the resolved expression touches, for their keys, record fields or timespans, in
   * order of appearance; for the governor rule.
   */
  public Set<String> elementsTouched() {
    Set<String> out = new LinkedHashSet<>();
    for (Object r : resolved.values()) {
      if (r instanceof BoundExpr.DimensionKey k) {
        out.add(k.dimension());
      } else if (r instanceof BoundExpr.ElementField f) {
        out.add(f.element());
      } else if (r instanceof BoundExpr.ElementTimespan t) {
        out.add(t.element());
      } else if (r instanceof BoundExpr.TimespanBound t) {
        out.add(t.element());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ phase one: names

  /** Resolves every name in the expression. */
  public void resolve(Expr e) {
    if (e instanceof Expr.Identifier id) {
      resolved.put(id, resolveName(id));
    } else if (e instanceof Expr.BindName b) {
      resolved.put(b, bindRef(b.name(), b));
    } else if (e instanceof Expr.UnaryOp u) {
      resolve(u.operand());
    } else if (e instanceof Expr.BinaryOp b) {
      resolve(b.lhs());
      resolve(b.rhs());
      if (b.op().equals("=")) {
        noteConstraint(b.lhs());
        noteConstraint(b.rhs());
      }
    } else if (e instanceof Expr.IsIn in) {
      resolve(in.lhs());
      in.values().forEach(this::resolve);
      if (!in.notIn()) {
        noteConstraint(in.lhs());
      }
    } else if (e instanceof Expr.Parens p) {
      resolve(p.inner());
    } else if (e instanceof Expr.Tuple t) {
      resolve(t.first());
      resolve(t.second());
    } else if (e instanceof Expr.FunctionCall f && !f.name().equals("UUID")) {
      f.args().forEach(this::resolve);
    }
  }

  /** {@code dim = value} and {@code dim IN (...)} count as constraining the dimension. */
  private void noteConstraint(Expr side) {
    if (resolved.get(side) instanceof BoundExpr.DimensionKey k) {
      constrainedDimensions.add(k.dimension());
    }
  }

  /**
   * Resolves an order-by term ({@code name} or {@code -name} for descending).
   *
   * @throws InvalidQueryException "Cannot order by ..." if the name is unknown
   */
  public OrderTerm resolveOrderTerm(String term) {
    String n = term.startsWith("-") ? term.substring(1) : term;
    Expr.Identifier id = new Expr.Identifier(n, 0);
    resolvingOrder = true;
    try {
      return new OrderTerm(term, resolveName(id), id);
    } catch (InvalidQueryException e) {
      throw new InvalidQueryException("Cannot order by '" + term + "': " + e.getMessage() + ".");
    } finally {
      resolvingOrder = false;
    }
  }

  private BindRef bindRef(String name, Expr at) {
    if (!bind.containsKey(name)) {
      throw error(
          at,
          "no value for bind ':"
              + name
              + "'"
              + (bind.isEmpty()
                  ? "; pass bind values with the query"
                  : "; binds given: " + Values.listing(bind.keySet())));
    }
    return new BindRef(name, bind.get(name));
  }

  private Object resolveName(Expr.Identifier id) {
    String n = id.name();
    String[] parts = n.split("\\.");
    if (parts.length == 1) {
      return resolveBareName(id, n);
    }
    String head = parts[0];
    for (int i = 0; i < datasetTypes.size(); i++) {
      if (datasetTypes.get(i).equals(head)) {
        if (parts.length == 2 && DATASET_FIELDS.contains(parts[1])) {
          return datasetField(i, parts[1], id);
        }
        throw error(
            id, "'" + n + "': dataset '" + head + "' has the fields " + DATASET_FIELDS_TEXT);
      }
    }
    DimensionElement e = universe.findElement(head).orElse(null);
    if (e == null) {
      throw unknown(id, n);
    }
    String f = parts[1];
    if (parts.length == 3) {
      if (f.equals("timespan")
          && e.isTemporal()
          && (parts[2].equals("begin") || parts[2].equals("end"))) {
        referencedElements.add(head);
        return new BoundExpr.TimespanBound(head, parts[2].equals("begin"), id);
      }
      throw error(id, "'" + n + "': only TIMESPAN.begin and TIMESPAN.end have parts");
    }
    if (e.isDimension()
        && (f.equals(e.primaryKey().name())
            || f.equals("id") && e.primaryKey().name().equals("id"))) {
      referencedDimensions.add(head);
      return key(head, id);
    }
    if (e.required().contains(f) || e.implied().contains(f)) {
      referencedDimensions.add(head);
      return key(f, id);
    }
    if (f.equals(DimensionElement.TIMESPAN_FIELD) && e.isTemporal()) {
      referencedElements.add(head);
      return new BoundExpr.ElementTimespan(head, id);
    }
    if (f.equals(DimensionElement.REGION_FIELD) && e.isSpatial() && e.hasOwnTable()) {
      referencedElements.add(head);
      return new BoundExpr.ElementRegion(head, id);
    }
    ColumnSpec spec = e.fields().get(f);
    if (spec == null || !e.hasOwnTable()) {
      List<String> known = new ArrayList<>(e.fields().keySet());
      if (e.isTemporal()) {
        known.add("timespan");
      }
      throw error(
          id,
          "element '"
              + head
              + "' has no field '"
              + f
              + "'; its fields are "
              + Values.listing(known)
              + "."
              + Values.suggestion(f, known));
    }
    referencedElements.add(head);
    return field(head, f, spec, id);
  }

  private Object resolveBareName(Expr.Identifier id, String n) {
    if (n.equalsIgnoreCase("NULL")) {
      return new Constant(Type.NULL, null, id);
    }
    Optional<DimensionElement> dim = universe.findElement(n).filter(DimensionElement::isDimension);
    if (dim.isPresent()) {
      referencedDimensions.add(n);
      return key(n, id);
    }
    if (DATASET_FIELDS.contains(n)) {
      if (datasetTypes.size() == 1) {
        return datasetField(0, n, id);
      }
      throw error(
          id,
          datasetTypes.isEmpty()
              ? "'" + n + "' is a dataset field, but the query searches no datasets"
              : "'"
                  + n
                  + "' is ambiguous: the query searches several dataset types; qualify it ("
                  + datasetTypes.get(0)
                  + "."
                  + n
                  + ")");
    }
    List<String> owners = new ArrayList<>();
    for (String e : dimensions.elements()) {
      DimensionElement el = universe.element(e);
      // An element with no table of its own (band) has no record fields to read.
      if (el.hasOwnTable()
          && el.fields().containsKey(n)
          && !el.required().contains(n)
          && !el.implied().contains(n)) {
        owners.add(e);
      }
    }
    if (owners.size() == 1) {
      referencedElements.add(owners.get(0));
      return field(owners.get(0), n, universe.element(owners.get(0)).fields().get(n), id);
    }
    if (owners.size() > 1) {
      throw error(
          id,
          "ambiguous identifier '"
              + n
              + "': it is a field of "
              + String.join(", ", owners)
              + "; qualify it ("
              + owners.get(0)
              + "."
              + n
              + ")");
    }
    if (bind.containsKey(n)) {
      // daf_butler's deprecated form: a bare name that is only a bind key. Dimension and field
      // names win, so "instrument = :instrument" compares the column with the bind.
      return new BindRef(n, bind.get(n));
    }
    throw unknown(id, n);
  }

  private BoundExpr.DimensionKey key(String dimension, Expr at) {
    return new BoundExpr.DimensionKey(
        dimension, typeOf(universe.element(dimension).primaryKey()), at);
  }

  private static BoundExpr.ElementField field(
      String element, String name, ColumnSpec spec, Expr at) {
    return new BoundExpr.ElementField(element, name, spec, typeOf(spec), at);
  }

  private static BoundExpr.DatasetField datasetField(int search, String name, Expr at) {
    Type type =
        switch (name) {
          case "dataset_id" -> Type.UUID;
          case "ingest_date" -> Type.TIME;
          case "timespan" -> Type.TIMESPAN;
          default -> Type.STRING; // run, collection
        };
    return new BoundExpr.DatasetField(search, name, type, at);
  }

  private static Type typeOf(ColumnSpec spec) {
    if (spec.type() == ColumnType.INT || spec.type() == ColumnType.FLOAT) {
      return Type.NUMBER;
    }
    return spec.type() == ColumnType.BOOL ? Type.BOOL : Type.STRING;
  }

  private InvalidQueryException unknown(Expr at, String n) {
    List<String> candidates = new ArrayList<>();
    universe.dimensions().forEach(d -> candidates.add(d.name()));
    for (String e : dimensions.elements()) {
      if (universe.element(e).hasOwnTable()) {
        candidates.addAll(universe.element(e).fields().keySet());
      }
    }
    if (!datasetTypes.isEmpty()) {
      candidates.addAll(DATASET_FIELDS);
    }
    candidates.addAll(bind.keySet());
    return error(
        at,
        "unrecognized identifier '"
            + n
            + "'."
            + Values.suggestion(n, new LinkedHashSet<>(candidates))
            + " Names are dimensions (instrument, detector, ...), element fields"
            + " (detector.full_name), dataset fields ("
            + DATASET_FIELDS_TEXT
            + ") or binds (:name)");
  }

  private InvalidQueryException error(Expr at, String what) {
    if (resolvingOrder) {
      return new InvalidQueryException(what); // an order-by term, not part of the expression
    }
    return new InvalidQueryException(
        "Cannot use the expression \""
            + where
            + "\": "
            + what
            + " (at column "
            + (at.pos() + 1)
            + ").");
  }

  // ------------------------------------------------------------------ phase two: types

  /**
   * The type-checked tree of a resolved expression, which must be a condition.
   *
   * @throws InvalidQueryException naming the operand whose type does not fit
   */
  public BoundExpr bind(Expr e) {
    BoundExpr v = value(e);
    if (v.type() != Type.BOOL) {
      throw error(e, "'" + e + "' is not a condition (it is a " + v.type().describe() + ")");
    }
    checkSpatialPlacement(v, true);
    return v;
  }

  /**
   * Element-region constraints are decided after the rows are read, so (as in daf_butler) they may
   * not sit inside OR or NOT.
   */
  private void checkSpatialPlacement(BoundExpr e, boolean topLevel) {
    if (e instanceof BoundExpr.RegionJoin j && !topLevel) {
      throw error(
          j.source(),
          "a spatial join ('" + j.source() + "') cannot sit inside OR or NOT; join it with AND");
    } else if (e instanceof BoundExpr.RegionOverlaps o && !topLevel) {
      throw error(
          o.source(),
          "a constraint on an element's region ('"
              + o.source()
              + "') cannot sit inside OR or NOT; join it to the rest with AND");
    } else if (e instanceof BoundExpr.Logical l) {
      boolean and = l.op() == BoundExpr.LogicalOp.AND;
      checkSpatialPlacement(l.lhs(), topLevel && and);
      checkSpatialPlacement(l.rhs(), topLevel && and);
    } else if (e instanceof BoundExpr.Not n) {
      checkSpatialPlacement(n.operand(), false);
    } else if (e instanceof BoundExpr.Comparison c) {
      checkSpatialPlacement(c.lhs(), false);
      checkSpatialPlacement(c.rhs(), false);
    }
  }

  /** The explicit spatial joins of a bound condition (its top-level AND conjuncts). */
  public static List<BoundExpr.RegionJoin> regionJoins(BoundExpr e) {
    List<BoundExpr.RegionJoin> out = new ArrayList<>();
    if (e instanceof BoundExpr.RegionJoin j) {
      out.add(j);
    } else if (e instanceof BoundExpr.Logical l && l.op() == BoundExpr.LogicalOp.AND) {
      out.addAll(regionJoins(l.lhs()));
      out.addAll(regionJoins(l.rhs()));
    }
    return out;
  }

  /** The element-region constraints of a bound condition (its top-level AND conjuncts). */
  public static List<BoundExpr.RegionOverlaps> regionConstraints(BoundExpr e) {
    List<BoundExpr.RegionOverlaps> out = new ArrayList<>();
    if (e instanceof BoundExpr.RegionOverlaps o) {
      out.add(o);
    } else if (e instanceof BoundExpr.Logical l && l.op() == BoundExpr.LogicalOp.AND) {
      out.addAll(regionConstraints(l.lhs()));
      out.addAll(regionConstraints(l.rhs()));
    }
    return out;
  }

  /**
   * The column or value an order-by term sorts on.
   *
   * @throws InvalidQueryException if the term is a timespan or has no value to sort on
   */
  public BoundExpr bind(OrderTerm term) {
    BoundExpr v = leaf(term.resolved, term.id);
    if (!v.hasValue() || v.type() == Type.TIMESPAN || v.type() == Type.REGION) {
      throw new InvalidQueryException(
          "Cannot order by '" + term.name() + "': order by keys, fields or TIMESPAN.begin/.end.");
    }
    return v;
  }

  private BoundExpr value(Expr e) {
    if (e instanceof Expr.NumericLiteral n) {
      return new Constant(
          Type.NUMBER,
          n.isInteger() ? (Object) Long.parseLong(n.text()) : (Object) Double.parseDouble(n.text()),
          e);
    } else if (e instanceof Expr.StringLiteral s) {
      return new Constant(Type.STRING, s.value(), e);
    } else if (e instanceof Expr.TimeLiteral t) {
      return new Constant(Type.TIME, t.tai(), e);
    } else if (e instanceof Expr.RangeLiteral r) {
      throw error(e, "a range (" + r + ") can only appear in an IN list");
    } else if (e instanceof Expr.Parens p) {
      return value(p.inner());
    } else if (e instanceof Expr.Identifier || e instanceof Expr.BindName) {
      return leaf(resolved.get(e), e);
    } else if (e instanceof Expr.Tuple t) {
      BoundExpr a = value(t.first());
      BoundExpr b = value(t.second());
      return new BoundExpr.TimespanRange(
          timeBound(a, Timespan.MIN_NSEC), timeBound(b, Timespan.MAX_NSEC), e);
    } else if (e instanceof Expr.UnaryOp u) {
      return unary(u);
    } else if (e instanceof Expr.BinaryOp b) {
      return binary(b);
    } else if (e instanceof Expr.IsIn in) {
      return isIn(in);
    }
    return call((Expr.FunctionCall) e);
  }

  private BoundExpr timeBound(BoundExpr v, long unbounded) {
    if (v.type() == Type.NULL) {
      return new Constant(Type.TIME, unbounded, v.source());
    }
    if (v.type() != Type.TIME) {
      throw error(v.source(), "a time range holds times or NULL, not '" + v.source() + "'");
    }
    return v;
  }

  /** A resolved name: a column as it is, a bind typed by its value. */
  private BoundExpr leaf(Object r, Expr at) {
    if (r instanceof BindRef b) {
      return bindValue(b, at);
    }
    return (BoundExpr) r;
  }

  private BoundExpr bindValue(BindRef b, Expr at) {
    Object v = b.value();
    if (v == null) {
      return new Constant(Type.NULL, null, at);
    } else if (v instanceof Boolean bool) {
      return new Constant(Type.BOOL, bool, at);
    } else if (v instanceof Integer i) {
      return new Constant(Type.NUMBER, (long) i, at);
    } else if (v instanceof Number n) {
      return new Constant(Type.NUMBER, n, at);
    } else if (v instanceof String s) {
      return new Constant(Type.STRING, s, at);
    } else if (v instanceof UUID u) {
      return new Constant(Type.UUID, u, at);
    } else if (v instanceof org.jbutler.schema.region.Region r) {
      return new Constant(Type.REGION, r, at);
    } else if (v instanceof Timespan t) {
      return new BoundExpr.TimespanRange(
          new Constant(Type.TIME, t.begin(), at), new Constant(Type.TIME, t.end(), at), at);
    } else if (v instanceof Collection<?>) {
      throw error(at, "bind ':" + b.name() + "' is a list; use it in IN (:" + b.name() + ")");
    }
    throw error(
        at,
        "bind ':"
            + b.name()
            + "' has a value of type "
            + v.getClass().getSimpleName()
            + "; use a number, string, boolean, UUID, Timespan, Region or a list of those");
  }

  private BoundExpr unary(Expr.UnaryOp u) {
    BoundExpr v = value(u.operand());
    if (u.op().equals("NOT")) {
      if (v.type() != Type.BOOL) {
        throw error(u, "NOT applies to conditions, not to '" + u.operand() + "'");
      }
      return new BoundExpr.Not(v, u);
    }
    if (v.type() != Type.NUMBER) {
      throw error(u, "'" + u.op() + "' applies to numbers, not to '" + u.operand() + "'");
    }
    return u.op().equals("-") ? new BoundExpr.Negate(v, u) : v;
  }

  private BoundExpr binary(Expr.BinaryOp b) {
    String op = b.op();
    if (op.equals("AND") || op.equals("OR")) {
      BoundExpr l = bind(b.lhs());
      BoundExpr r = bind(b.rhs());
      return new BoundExpr.Logical(BoundExpr.LogicalOp.valueOf(op), l, r, b);
    }
    BoundExpr l = value(b.lhs());
    BoundExpr r = value(b.rhs());
    if (op.equals("OVERLAPS")) {
      if (l.type() == Type.REGION || r.type() == Type.REGION || isSkyPix(l) || isSkyPix(r)) {
        return regionOverlaps(l, r, b);
      }
      requireInterval(l);
      requireInterval(r);
      return new BoundExpr.Overlaps(l, r, b);
    }
    if ("+-*/%".contains(op)) {
      if (l.type() != Type.NUMBER || r.type() != Type.NUMBER) {
        throw error(b, "'" + op + "' needs numbers: " + b);
      }
      return new BoundExpr.Arithmetic(BoundExpr.ArithmeticOp.of(op), l, r, b);
    }
    if (l.type() == Type.NULL || r.type() == Type.NULL) {
      BoundExpr f = l.type() == Type.NULL ? r : l;
      if (f.type() == Type.NULL || !f.hasValue()) {
        throw error(b, "compare a column with NULL: " + b);
      }
      if (op.equals("=") || op.equals("!=")) {
        return new BoundExpr.IsNull(f, op.equals("!="), b);
      }
      throw error(b, "NULL can only be compared with = or !=");
    }
    if (l.type() == Type.REGION || r.type() == Type.REGION) {
      throw error(b, "regions can only be compared with OVERLAPS: " + b);
    }
    boolean conditions = l.type() == Type.BOOL && r.type() == Type.BOOL;
    if (!(conditions && (op.equals("=") || op.equals("!=")))
        && (l.type() != r.type() || l.type() == Type.TIMESPAN || l.type() == Type.BOOL)) {
      throw error(
          b,
          "cannot compare '"
              + b.lhs()
              + "' ("
              + l.type().describe()
              + ") with '"
              + b.rhs()
              + "' ("
              + r.type().describe()
              + ")"
              + (l.type() == Type.TIMESPAN || r.type() == Type.TIMESPAN
                  ? "; use OVERLAPS, or TIMESPAN.begin / .end"
                  : ""));
    }
    return new BoundExpr.Comparison(BoundExpr.ComparisonOp.of(op), l, r, b);
  }

  private boolean isSkyPix(BoundExpr e) {
    return e instanceof BoundExpr.DimensionKey k && universe.element(k.dimension()).isSkyPix();
  }

  /** {@code htm7 OVERLAPS <region>} (either way round). */
  private BoundExpr regionOverlaps(BoundExpr l, BoundExpr r, Expr.BinaryOp b) {
    if (l instanceof BoundExpr.ElementRegion || r instanceof BoundExpr.ElementRegion) {
      BoundExpr.ElementRegion column =
          (BoundExpr.ElementRegion) (l instanceof BoundExpr.ElementRegion ? l : r);
      BoundExpr other = column == l ? r : l;
      if (other instanceof Constant c && c.type() == Type.REGION) {
        return new BoundExpr.RegionOverlaps(
            column, (org.jbutler.schema.region.Region) c.value(), b);
      }
      if (other instanceof BoundExpr.ElementRegion o) {
        if (o.element().equals(column.element())) {
          throw error(b, "an element's region always overlaps itself: " + b);
        }
        return new BoundExpr.RegionJoin(column, o, b);
      }
      throw error(
          b,
          "'"
              + column.source()
              + "' OVERLAPS needs a region (POINT, CIRCLE, BOX, POLYGON, REGION or a region bind): "
              + b);
    }
    BoundExpr pixel = isSkyPix(l) ? l : isSkyPix(r) ? r : null;
    BoundExpr region = pixel == l ? r : l;
    if (pixel == null || !(region instanceof Constant c) || c.type() != Type.REGION) {
      throw error(
          b,
          "OVERLAPS with a region needs a sky pixelization dimension (htm7, ...) on one side and"
              + " a region (POINT, CIRCLE, BOX, POLYGON, REGION or a region bind) on the other: "
              + b);
    }
    BoundExpr.DimensionKey key = (BoundExpr.DimensionKey) pixel;
    DimensionElement e = universe.element(key.dimension());
    String system = e.skyPixSystem().orElseThrow();
    if (!system.equals("htm") && !system.equals("healpix")) {
      throw error(
          b,
          "the "
              + system
              + " pixelization ('"
              + key.dimension()
              + "') is not supported in spatial constraints; use an htm or healpix level");
    }
    return new BoundExpr.SkyPixOverlaps(
        key, system, e.skyPixLevel(), (org.jbutler.schema.region.Region) c.value(), b);
  }

  /** An operand of OVERLAPS: a timespan, a time pair, or a single time (an instant). */
  private void requireInterval(BoundExpr v) {
    if (v.type() != Type.TIMESPAN && v.type() != Type.TIME) {
      throw error(
          v.source(),
          "OVERLAPS needs timespans, time pairs (t1, t2) or times, not '" + v.source() + "'");
    }
  }

  private BoundExpr isIn(Expr.IsIn in) {
    BoundExpr lhs = value(in.lhs());
    if (!lhs.hasValue() || lhs.type() == Type.TIMESPAN) {
      throw error(in, "IN needs a column or value on its left, not '" + in.lhs() + "'");
    }
    List<BoundExpr.InItem> items = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Expr item : in.values()) {
      if (item instanceof Expr.RangeLiteral r) {
        if (lhs.type() != Type.NUMBER) {
          throw error(item, "a range needs a numeric column, not '" + in.lhs() + "'");
        }
        items.add(new BoundExpr.RangeItem(r.start(), r.stop(), r.stride()));
        continue;
      }
      // A list bind, written :name or (daf_butler's older spelling) as a bare name.
      if ((item instanceof Expr.BindName || item instanceof Expr.Identifier)
          && resolved.get(item) instanceof BindRef br
          && br.value() instanceof Collection<?> list) {
        for (Object o : list) {
          values.add(listElement(lhs, o, item));
        }
        continue;
      }
      Expr plain = unwrap(item);
      if (plain instanceof Expr.NumericLiteral
          || plain instanceof Expr.StringLiteral
          || plain instanceof Expr.TimeLiteral) {
        values.add(((Constant) listItem(plain, item, in, lhs)).value());
        continue;
      }
      items.add(new BoundExpr.ExprItem(listItem(item, item, in, lhs)));
    }
    return new BoundExpr.InList(lhs, items, values, in.notIn(), in);
  }

  /** An IN-list item's value, which must be of the same type as the left-hand side. */
  private BoundExpr listItem(Expr e, Expr item, Expr.IsIn in, BoundExpr lhs) {
    BoundExpr v = value(e);
    if (v.type() != lhs.type()) {
      throw error(
          item,
          "'"
              + item
              + "' ("
              + v.type().describe()
              + ") in a list for '"
              + in.lhs()
              + "' ("
              + lhs.type().describe()
              + ")");
    }
    return v;
  }

  private Object listElement(BoundExpr lhs, Object o, Expr at) {
    Type t =
        o instanceof Number
            ? Type.NUMBER
            : o instanceof String ? Type.STRING : o instanceof UUID ? Type.UUID : null;
    if (t != lhs.type()) {
      throw error(
          at, "bind list value " + Values.quote(o) + " does not match '" + lhs.source() + "'");
    }
    return o instanceof Integer i ? (Object) (long) i : o;
  }

  private BoundExpr call(Expr.FunctionCall f) {
    switch (f.name()) {
      case "UUID" -> {
        UUID u = UUID.fromString(((Expr.StringLiteral) f.args().get(0)).value());
        return new Constant(Type.UUID, u, f);
      }
      case "GLOB" -> {
        BoundExpr column = value(f.args().get(0));
        if (column.type() != Type.STRING || !column.hasValue()) {
          throw error(
              f, "GLOB's first argument must be a string column, not '" + f.args().get(0) + "'");
        }
        BoundExpr pattern = value(f.args().get(1));
        String text;
        if (f.args().get(1) instanceof Expr.StringLiteral s) {
          text = s.value();
        } else if (resolved.get(unwrap(f.args().get(1))) instanceof BindRef b
            && b.value() instanceof String s) {
          text = s;
        } else {
          throw error(f, "GLOB's pattern must be a string (" + pattern.source() + ")");
        }
        return new BoundExpr.Glob(column, text, f);
      }
      case "POINT", "CIRCLE", "BOX", "POLYGON", "REGION" -> {
        return new Constant(Type.REGION, RegionLiterals.of(this, f), f);
      }
      default ->
          throw error(
              f,
              "unknown function "
                  + f.name()
                  + "; known: GLOB, UUID, POINT, CIRCLE, BOX, POLYGON, REGION");
    }
  }

  /** A region constructor's numeric argument: literals, binds and arithmetic on them. */
  double number(Expr e) {
    Object v = RegionLiterals.fold(value(e));
    if (!(v instanceof Number n)) {
      throw error(
          e, "'" + e + "' is not a number known before the query runs (use literals or binds)");
    }
    return n.doubleValue();
  }

  /** A region constructor's string argument: a literal or a string bind. */
  String text(Expr e) {
    BoundExpr v = value(e);
    if (v instanceof Constant c && c.value() instanceof String s) {
      return s;
    }
    throw error(e, "'" + e + "' is not a string literal or string bind");
  }

  /** An error at a node of this expression, for {@link RegionLiterals}. */
  InvalidQueryException errorAt(Expr at, String what) {
    return error(at, what);
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof Expr.Parens p) {
      e = p.inner();
    }
    return e;
  }
}
