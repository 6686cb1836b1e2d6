package org.jbutler.registry;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.Values;
import org.jbutler.schema.dimensions.ColumnSpec;
import org.jbutler.schema.dimensions.ColumnType;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.dimensions.UnresolvedDataId;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.expr.Expr;
import org.jbutler.schema.expr.ExprParser;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Builds one SQL query from dimensions, dataset searches and a {@code where} expression: it
 * resolves identifiers against the universe and the searches, adds the elements they mention to the
 * query's dimensions, joins the element tables (and {@code always_join} elements such as
 * visit_definition), the dataset searches (find-first ranked by collection order, calibration
 * collections matched by validity range against the query's temporal dimension) and translates the
 * expression into a jOOQ condition in which every literal and bind is a bind parameter.
 */
final class QueryBuilder {

  /** A dataset type searched in collections. */
  record Search(TypeInfo type, List<CollectionInfo> collections) {}

  /** A resolved identifier: what a name in the expression refers to. */
  private sealed interface Ref {}

  private record KeyRef(String dimension) implements Ref {}

  private record FieldRef(String element, String field, ColumnSpec spec) implements Ref {}

  private record TimespanRef(String element) implements Ref {}

  private record TimespanBoundRef(String element, boolean begin) implements Ref {}

  private record DatasetFieldRef(int search, String field) implements Ref {}

  private record BindRef(String name, Object value) implements Ref {}

  private enum NullRef implements Ref {
    INSTANCE
  }

  private enum Kind {
    NUMBER,
    STRING,
    TIME,
    TIMESPAN,
    BOOL,
    UUID,
    NULL
  }

  /** A translated sub-expression: a field (or begin/end fields for a timespan) or a condition. */
  private record Value(Kind kind, Field<?> field, Field<?> end, Condition condition, Expr source) {
    static Value of(Kind kind, Field<?> f, Expr source) {
      return new Value(kind, f, null, null, source);
    }
  }

  static final String DATASET_FIELDS_TEXT = "dataset_id, ingest_date, run, collection, timespan";
  private static final Set<String> DATASET_FIELDS =
      Set.of("dataset_id", "ingest_date", "run", "collection", "timespan");

  private final Db db;
  private final DimensionUniverse universe;
  private final List<Search> searches;
  private final DataQuery query;
  private final Optional<Expr> expression;
  private final Map<Expr, Ref> refs = new LinkedHashMap<>();
  private final Set<String> referencedElements = new LinkedHashSet<>();
  private final Set<String> referencedDimensions = new LinkedHashSet<>();
  private final Set<String> constrainedDimensions = new LinkedHashSet<>();
  private DimensionGroup dimensions;
  private final Map<String, Field<Object>> keys = new LinkedHashMap<>();
  private final Set<String> joinedElements = new LinkedHashSet<>();
  private Table<?> from;
  private final List<Condition> conditions = new ArrayList<>();
  private final List<String> searchAliases = new ArrayList<>();
  private String temporalElement;
  private boolean resolvingOrder;
  private final Set<String> neededKeys = new LinkedHashSet<>();
  private final List<Ref> orderRefs = new ArrayList<>();
  private final List<Expr.Identifier> orderIds = new ArrayList<>();
  private final List<Boolean> orderDescending = new ArrayList<>();

  QueryBuilder(
      Db db,
      DimensionUniverse universe,
      DimensionGroup requested,
      List<Search> searches,
      DataQuery query,
      Set<String> alsoJoin,
      java.util.Collection<String> outputKeys) {
    this.db = db;
    this.universe = universe;
    this.searches = searches;
    this.query = query;
    this.expression = ExprParser.parse(query.where());
    DimensionGroup dims = requested;
    for (Search s : searches) {
      dims = dims.union(s.type().type().dimensions());
    }
    this.dimensions = dims;
    referencedElements.addAll(alsoJoin);
    expression.ifPresent(this::resolveAll);
    for (String term : query.orderBy()) {
      boolean desc = term.startsWith("-");
      String n = desc ? term.substring(1) : term;
      Expr.Identifier id = new Expr.Identifier(n, 0);
      resolvingOrder = true;
      try {
        orderRefs.add(resolve(id));
      } catch (InvalidQueryException e) {
        throw new InvalidQueryException("Cannot order by '" + term + "': " + e.getMessage() + ".");
      } finally {
        resolvingOrder = false;
      }
      orderIds.add(id);
      orderDescending.add(desc);
    }
    neededKeys.addAll(outputKeys);
    for (String e : referencedElements) {
      dimensions = dimensions.union(universe.element(e).minimalGroup());
    }
    for (String d : referencedDimensions) {
      dimensions = dimensions.union(universe.element(d).minimalGroup());
    }
    UnresolvedDataId dataId = UnresolvedDataId.parse(universe, query.dataId());
    for (String d : dataId.values().keySet()) {
      dimensions = dimensions.union(universe.group(d));
      constrainedDimensions.add(d);
    }
    for (String c : dataId.recordConstraints().keySet()) {
      String element = c.substring(0, c.indexOf('.'));
      dimensions = dimensions.union(universe.element(element).minimalGroup());
      referencedElements.add(element);
    }
    build(dataId);
  }

  /** The dimensions of the query after adding those the expression and data ID mention. */
  DimensionGroup dimensions() {
    return dimensions;
  }

  /** The column holding a dimension's value. */
  Field<Object> key(String dimension) {
    Field<Object> f = keys.get(dimension);
    if (f == null) {
      throw new IllegalStateException("dimension " + dimension + " not in query");
    }
    return f;
  }

  /** The joined FROM clause. */
  Table<?> from() {
    return from;
  }

  /** Every condition, ANDed. */
  Condition where() {
    return DSL.and(conditions);
  }

  /** The alias of the i-th dataset search's derived table. */
  String searchAlias(int i) {
    return searchAliases.get(i);
  }

  /** The element whose timespan calibration searches are matched against, if any. */
  Optional<String> temporalElement() {
    return Optional.ofNullable(temporalElement);
  }

  // ------------------------------------------------------------------ resolution

  private void resolveAll(Expr e) {
    if (e instanceof Expr.Identifier id) {
      refs.put(id, resolve(id));
    } else if (e instanceof Expr.BindName b) {
      refs.put(b, bind(b.name(), b));
    } else if (e instanceof Expr.UnaryOp u) {
      resolveAll(u.operand());
    } else if (e instanceof Expr.BinaryOp b) {
      resolveAll(b.lhs());
      resolveAll(b.rhs());
      noteConstraint(b);
    } else if (e instanceof Expr.IsIn in) {
      resolveAll(in.lhs());
      in.values().forEach(this::resolveAll);
      if (refs.get(in.lhs()) instanceof KeyRef k && !in.notIn()) {
        constrainedDimensions.add(k.dimension());
      }
    } else if (e instanceof Expr.Parens p) {
      resolveAll(p.inner());
    } else if (e instanceof Expr.Tuple t) {
      resolveAll(t.first());
      resolveAll(t.second());
    } else if (e instanceof Expr.FunctionCall f && !f.name().equals("UUID")) {
      f.args().forEach(this::resolveAll);
    }
  }

  /** {@code dim = value} and the like count as constraining the dimension (governor rule). */
  private void noteConstraint(Expr.BinaryOp b) {
    if (b.op().equals("=")) {
      if (refs.get(b.lhs()) instanceof KeyRef k) {
        constrainedDimensions.add(k.dimension());
      }
      if (refs.get(b.rhs()) instanceof KeyRef k) {
        constrainedDimensions.add(k.dimension());
      }
    }
  }

  private Ref bind(String name, Expr at) {
    if (!query.bind().containsKey(name)) {
      throw bindError(
          at,
          "no value for bind ':"
              + name
              + "'"
              + (query.bind().isEmpty()
                  ? "; pass bind values with the query"
                  : "; binds given: " + Values.listing(query.bind().keySet())));
    }
    return new BindRef(name, query.bind().get(name));
  }

  private Ref resolve(Expr.Identifier id) {
    String n = id.name();
    String[] parts = n.split("\\.");
    if (parts.length == 1) {
      if (n.equalsIgnoreCase("NULL")) {
        return NullRef.INSTANCE;
      }
      Optional<DimensionElement> dim =
          universe.findElement(n).filter(DimensionElement::isDimension);
      if (dim.isPresent()) {
        referencedDimensions.add(n);
        return new KeyRef(n);
      }
      if (DATASET_FIELDS.contains(n)) {
        if (searches.size() == 1) {
          return new DatasetFieldRef(0, n);
        }
        throw bindError(
            id,
            searches.isEmpty()
                ? "'" + n + "' is a dataset field, but the query searches no datasets"
                : "'"
                    + n
                    + "' is ambiguous: the query searches several dataset types; qualify it ("
                    + searches.get(0).type().type().name()
                    + "."
                    + n
                    + ")");
      }
      List<String> owners = new ArrayList<>();
      for (String e : dimensions.elements()) {
        DimensionElement el = universe.element(e);
        if (el.fields().containsKey(n) && !el.required().contains(n) && !el.implied().contains(n)) {
          owners.add(e);
        }
      }
      if (owners.size() == 1) {
        referencedElements.add(owners.get(0));
        return new FieldRef(owners.get(0), n, universe.element(owners.get(0)).fields().get(n));
      }
      if (owners.size() > 1) {
        throw bindError(
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
      if (query.bind().containsKey(n)) {
        // daf_butler's deprecated form: a bare name that is only a bind key. Dimension and field
        // names win, so "instrument = :instrument" compares the column with the bind.
        return new BindRef(n, query.bind().get(n));
      }
      throw unknown(id, n);
    }
    String head = parts[0];
    for (int i = 0; i < searches.size(); i++) {
      if (searches.get(i).type().type().name().equals(head)) {
        if (parts.length == 2 && DATASET_FIELDS.contains(parts[1])) {
          return new DatasetFieldRef(i, parts[1]);
        }
        throw bindError(
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
        return new TimespanBoundRef(head, parts[2].equals("begin"));
      }
      throw bindError(id, "'" + n + "': only TIMESPAN.begin and TIMESPAN.end have parts");
    }
    if (e.isDimension()
        && (f.equals(e.primaryKey().name())
            || f.equals("id") && e.primaryKey().name().equals("id"))) {
      referencedDimensions.add(head);
      return new KeyRef(head);
    }
    if (e.required().contains(f) || e.implied().contains(f)) {
      referencedDimensions.add(head);
      return new KeyRef(f);
    }
    if (f.equals(DimensionElement.TIMESPAN_FIELD) && e.isTemporal()) {
      referencedElements.add(head);
      return new TimespanRef(head);
    }
    if (f.equals(DimensionElement.REGION_FIELD) && e.isSpatial()) {
      throw bindError(id, "spatial constraints are not supported yet ('" + n + "')");
    }
    ColumnSpec spec = e.fields().get(f);
    if (spec == null || !e.hasOwnTable()) {
      List<String> known = new ArrayList<>(e.fields().keySet());
      if (e.isTemporal()) {
        known.add("timespan");
      }
      throw bindError(
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
    return new FieldRef(head, f, spec);
  }

  private InvalidQueryException unknown(Expr at, String n) {
    List<String> candidates = new ArrayList<>();
    universe.dimensions().forEach(d -> candidates.add(d.name()));
    for (String e : dimensions.elements()) {
      candidates.addAll(universe.element(e).fields().keySet());
    }
    if (!searches.isEmpty()) {
      candidates.addAll(DATASET_FIELDS);
    }
    candidates.addAll(query.bind().keySet());
    return bindError(
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

  private InvalidQueryException bindError(Expr at, String what) {
    if (resolvingOrder) {
      return new InvalidQueryException(what); // an order-by term, not part of the expression
    }
    return new InvalidQueryException(
        "Cannot use the expression \""
            + query.where()
            + "\": "
            + what
            + " (at column "
            + (at.pos() + 1)
            + ").");
  }

  // ------------------------------------------------------------------ FROM and joins

  /**
   * Joins only what the query needs: the dataset searches (which hold their data ID columns), the
   * elements whose fields, timespans or relationships ({@code always_join}) are used, and a table
   * for every dimension key that must be read but no search provides. Foreign keys guarantee that a
   * key held by a search has its dimension record, so that table is not joined for nothing.
   */
  private void build(UnresolvedDataId dataId) {
    checkGovernors(dataId);
    for (String d : dimensions.names()) {
      if (universe.element(d).isSkyPix()) {
        throw new InvalidQueryException(
            "Dimension '" + d + "' is a sky pixelization; spatial queries are not supported yet.");
      }
    }
    for (Ref r : refs.values()) {
      if (r instanceof KeyRef k) {
        neededKeys.add(k.dimension());
      }
    }
    for (Ref r : orderRefs) {
      if (r instanceof KeyRef k) {
        neededKeys.add(k.dimension());
      }
    }
    neededKeys.addAll(dataId.values().keySet());
    UnresolvedDataId defaultValues = UnresolvedDataId.parse(universe, query.defaults());
    for (String d : defaultValues.values().keySet()) {
      if (dimensions.contains(d) && !constrainedDimensions.contains(d)) {
        neededKeys.add(d);
      }
    }
    for (int i = 0; i < searches.size(); i++) {
      joinSearch(i, searches.get(i));
    }
    Set<String> toJoin = new LinkedHashSet<>(referencedElements);
    for (String e : dimensions.elements()) {
      DimensionElement el = universe.element(e);
      if (el.hasOwnTable() && el.alwaysJoin()) {
        toJoin.add(e);
      }
    }
    if (temporalElement != null) {
      toJoin.add(temporalElement);
    }
    // Implied values come from the table of the dimension that implies them (exposure's
    // physical_filter, physical_filter's band), never from a table of their own. The implying
    // dimension's own key is then needed too, so that its table joins to the rest of the query
    // rather than standing alone: band through physical_filter through exposure is two hops.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String d : dimensions.names()) {
        DimensionElement el = universe.element(d);
        if (el.hasOwnTable()
            && !toJoin.contains(d)
            && el.implied().stream().anyMatch(neededKeys::contains)) {
          toJoin.add(d);
          neededKeys.add(d);
          grew = true;
        }
      }
    }
    for (String e : dimensions.elements()) {
      if (toJoin.contains(e) && universe.element(e).hasOwnTable()) {
        join(universe.element(e));
      }
    }
    for (String d : dimensions.names()) {
      if (!neededKeys.contains(d) || keys.containsKey(d)) {
        continue;
      }
      DimensionElement el = universe.element(d);
      if (el.hasOwnTable()) {
        join(el);
      } else if (el.impliedUnionTarget().isPresent()) {
        join(universe.element(el.impliedUnionTarget().get()));
      }
      if (!keys.containsKey(d)) {
        throw new InvalidQueryException(
            "Cannot query dimension '" + d + "': no table holds its values.");
      }
    }
    if (from == null) {
      from = DSL.selectOne().asTable("no_dimensions");
    }
    if (temporalElement != null) {
      for (int i = 0; i < searches.size(); i++) {
        String alias = searchAliases.get(i);
        conditions.add(
            field(name(alias, "timespan_begin"), Long.class)
                .lt(field(name(temporalElement, "timespan_end"), Long.class)));
        conditions.add(
            field(name(alias, "timespan_end"), Long.class)
                .gt(field(name(temporalElement, "timespan_begin"), Long.class)));
      }
    }
    // Data ID values and record fields, then defaults for governors left unconstrained.
    dataId.values().forEach((d, v) -> conditions.add(key(d).eq(DSL.val(v))));
    dataId
        .recordConstraints()
        .forEach(
            (c, v) -> {
              int dot = c.indexOf('.');
              conditions.add(field(name(c.substring(0, dot), c.substring(dot + 1))).eq(DSL.val(v)));
            });
    UnresolvedDataId defaults = UnresolvedDataId.parse(universe, query.defaults());
    defaults
        .values()
        .forEach(
            (d, v) -> {
              if (dimensions.contains(d) && !constrainedDimensions.contains(d)) {
                conditions.add(key(d).eq(DSL.val(v)));
              }
            });
    expression.ifPresent(e -> conditions.add(predicate(e)));
  }

  /**
   * The governor rule: an expression or data ID that constrains a dimension's value which depends
   * on a governor ({@code detector = 1} depends on instrument) must constrain the governor too. As
   * in daf_butler, a record field alone ({@code detector.purpose = 'SCIENCE'}) needs no governor:
   * it means the same thing for every instrument.
   */
  private void checkGovernors(UnresolvedDataId dataId) {
    Set<String> given = new LinkedHashSet<>(constrainedDimensions);
    given.addAll(dataId.values().keySet());
    UnresolvedDataId defaults = UnresolvedDataId.parse(universe, query.defaults());
    Set<String> touched = new LinkedHashSet<>();
    Set<String> values = new LinkedHashSet<>();
    for (Ref r : refs.values()) {
      if (r instanceof KeyRef k) {
        touched.add(k.dimension());
        values.add(k.dimension());
      } else if (r instanceof FieldRef f) {
        touched.add(f.element());
      } else if (r instanceof TimespanRef t) {
        touched.add(t.element());
      } else if (r instanceof TimespanBoundRef t) {
        touched.add(t.element());
      }
    }
    given.addAll(touched); // mentioning a governor in the expression counts (GLOB, IN, ...)
    for (String t : touched) {
      if (universe.element(t).isGovernor()) {
        constrainedDimensions.add(t);
      }
    }
    for (String t : values) {
      for (String g : universe.element(t).minimalGroup().governors()) {
        if (!g.equals(t) && !given.contains(g) && !defaults.values().containsKey(g)) {
          throw new InvalidQueryException(
              "The expression \""
                  + query.where()
                  + "\" constrains '"
                  + t
                  + "', whose values depend on '"
                  + g
                  + "', but nothing constrains "
                  + g
                  + "; add "
                  + g
                  + "='...' to the expression or the data ID (or set a default "
                  + g
                  + ").");
        }
      }
    }
  }

  private void join(DimensionElement e) {
    if (!joinedElements.add(e.name())) {
      return;
    }
    Table<Record> t = table(name(e.name())).as(name(e.name()));
    List<Condition> on = new ArrayList<>();
    for (String r : e.required()) {
      String column = DimensionRecordStorage.keyColumn(e, r);
      on.addAll(mapKey(r, field(name(e.name(), column))));
    }
    for (String i : e.implied()) {
      on.addAll(mapKey(i, field(name(e.name(), i))));
    }
    if (from == null) {
      from = t;
    } else if (on.isEmpty()) {
      from = from.crossJoin(t);
    } else {
      from = from.join(t).on(DSL.and(on));
    }
  }

  /** Records the column of a dimension, or returns the join condition to the known one. */
  private List<Condition> mapKey(String dimension, Field<Object> column) {
    if (!dimensions.contains(dimension)) {
      return List.of();
    }
    Field<Object> known = keys.get(dimension);
    if (known == null) {
      keys.put(dimension, column);
      return List.of();
    }
    return List.of(known.eq(column));
  }

  /**
   * Joins a dataset search: a derived table of (collection, dataset, data ID, validity) rows from
   * the tags table (RUN and TAGGED collections, valid at all times) and the calibs table
   * (CALIBRATION collections, matched against the query's temporal dimension if it has one).
   */
  private void joinSearch(int index, Search s) {
    String alias = "ds" + index;
    searchAliases.add(alias);
    TypeInfo t = s.type();
    List<String> dims = t.type().dimensions().required();
    List<Long> tagged = new ArrayList<>();
    List<Long> calibs = new ArrayList<>();
    for (CollectionInfo c : s.collections()) {
      if (c.type() == CollectionType.CALIBRATION) {
        if (t.calibsTable() != null) {
          calibs.add(c.id());
        }
      } else if (c.type() != CollectionType.CHAINED) {
        tagged.add(c.id());
      }
    }
    org.jooq.Select<Record> rows = null;
    if (!tagged.isEmpty() || calibs.isEmpty()) {
      rows =
          membership(
              t.tagsTable().last(),
              t,
              dims,
              tagged,
              DSL.val(Timespan.MIN_NSEC),
              DSL.val(Timespan.MAX_NSEC));
    }
    if (!calibs.isEmpty()) {
      String tn = t.calibsTable().last();
      org.jooq.Select<Record> c =
          membership(
              tn,
              t,
              dims,
              calibs,
              field(name(tn, "timespan_begin"), Long.class),
              field(name(tn, "timespan_end"), Long.class));
      rows = rows == null ? c : rows.unionAll(c);
      temporalElement = mostSpecificTemporalDimension();
    }
    Table<Record> derived = rows.asTable(alias);
    List<Condition> on = new ArrayList<>();
    for (String d : dims) {
      on.addAll(mapKey(d, field(name(alias, d))));
    }
    if (from == null) {
      from = derived;
    } else {
      from = on.isEmpty() ? from.crossJoin(derived) : from.join(derived).on(DSL.and(on));
    }
  }

  /**
   * The temporal dimension whose timespan a calibration search is matched against: exposure or
   * visit rather than the day_obs they imply.
   */
  private String mostSpecificTemporalDimension() {
    Set<String> implied = new LinkedHashSet<>();
    for (String e : dimensions.elements()) {
      implied.addAll(universe.element(e).implied());
    }
    for (String e : dimensions.elements()) {
      DimensionElement el = universe.element(e);
      if (el.isTemporal() && el.hasOwnTable() && el.isDimension() && !implied.contains(e)) {
        return e;
      }
    }
    return null;
  }

  private org.jooq.Select<Record> membership(
      String table,
      TypeInfo t,
      List<String> dims,
      List<Long> collections,
      Field<Long> begin,
      Field<Long> end) {
    List<Field<?>> cols = new ArrayList<>();
    cols.add(field(name(table, "collection_id")).as("collection_id"));
    cols.add(field(name(table, "dataset_id")).as("dataset_id"));
    for (String d : dims) {
      cols.add(field(name(table, d)).as(d));
    }
    cols.add(begin.as("timespan_begin"));
    cols.add(end.as("timespan_end"));
    Condition where =
        field(name(table, "dataset_type_id"), Long.class)
            .eq(t.id())
            .and(
                collections.isEmpty()
                    ? DSL.falseCondition()
                    : field(name(table, "collection_id"), Long.class).in(collections));
    return DSL.select(cols).from(table(name(table))).where(where);
  }

  // ------------------------------------------------------------------ expression translation

  private Condition predicate(Expr e) {
    Value v = value(e);
    if (v.kind() != Kind.BOOL) {
      throw bindError(e, "'" + e + "' is not a condition (it is a " + describe(v) + ")");
    }
    return v.condition();
  }

  private static String describe(Value v) {
    return v.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private Value value(Expr e) {
    if (e instanceof Expr.NumericLiteral n) {
      return Value.of(
          Kind.NUMBER,
          n.isInteger() ? DSL.val(Long.parseLong(n.text())) : DSL.val(Double.parseDouble(n.text())),
          e);
    } else if (e instanceof Expr.StringLiteral s) {
      return Value.of(Kind.STRING, DSL.val(s.value()), e);
    } else if (e instanceof Expr.TimeLiteral t) {
      return Value.of(Kind.TIME, DSL.val(t.tai()), e);
    } else if (e instanceof Expr.RangeLiteral r) {
      throw bindError(e, "a range (" + r + ") can only appear in an IN list");
    } else if (e instanceof Expr.Parens p) {
      return value(p.inner());
    } else if (e instanceof Expr.Identifier || e instanceof Expr.BindName) {
      return refValue(refs.get(e), e);
    } else if (e instanceof Expr.Tuple t) {
      Value a = value(t.first());
      Value b = value(t.second());
      return new Value(
          Kind.TIMESPAN, timeBound(a, Timespan.MIN_NSEC), timeBound(b, Timespan.MAX_NSEC), null, e);
    } else if (e instanceof Expr.UnaryOp u) {
      return unary(u);
    } else if (e instanceof Expr.BinaryOp b) {
      return binary(b);
    } else if (e instanceof Expr.IsIn in) {
      return isIn(in);
    }
    return call((Expr.FunctionCall) e);
  }

  private Field<?> timeBound(Value v, long unbounded) {
    if (v.kind() == Kind.NULL) {
      return DSL.val(unbounded);
    }
    if (v.kind() != Kind.TIME) {
      throw bindError(v.source(), "a time range holds times or NULL, not '" + v.source() + "'");
    }
    return v.field();
  }

  private Value refValue(Ref r, Expr at) {
    if (r instanceof KeyRef k) {
      return Value.of(kindOf(universe.element(k.dimension()).primaryKey()), key(k.dimension()), at);
    } else if (r instanceof FieldRef f) {
      Field<Object> col = field(name(f.element(), f.field()));
      if (f.spec().type() == ColumnType.BOOL) {
        return new Value(Kind.BOOL, col, null, col.cast(SQLDataType.BOOLEAN).isTrue(), at);
      }
      return Value.of(kindOf(f.spec()), col, at);
    } else if (r instanceof TimespanRef t) {
      return new Value(
          Kind.TIMESPAN,
          field(name(t.element(), "timespan_begin")),
          field(name(t.element(), "timespan_end")),
          null,
          at);
    } else if (r instanceof TimespanBoundRef t) {
      return Value.of(
          Kind.TIME, field(name(t.element(), t.begin() ? "timespan_begin" : "timespan_end")), at);
    } else if (r instanceof DatasetFieldRef d) {
      return datasetField(d, at);
    } else if (r instanceof BindRef b) {
      return bindValue(b, at);
    }
    return Value.of(Kind.NULL, DSL.inline((Object) null), at);
  }

  private static Kind kindOf(ColumnSpec spec) {
    switch (spec.type()) {
      case INT:
      case FLOAT:
        return Kind.NUMBER;
      case BOOL:
        return Kind.BOOL;
      default:
        return Kind.STRING;
    }
  }

  private Value datasetField(DatasetFieldRef d, Expr at) {
    String alias = searchAliases.get(d.search());
    switch (d.field()) {
      case "dataset_id":
        return Value.of(Kind.UUID, field(name(alias, "dataset_id")), at);
      case "collection":
        String c = alias + "_collection";
        if (joinedElements.add(c)) {
          from =
              from.join(table(name("collection")).as(c))
                  .on(field(name(c, "collection_id")).eq(field(name(alias, "collection_id"))));
        }
        return Value.of(Kind.STRING, field(name(c, "name")), at);
      case "ingest_date":
        return Value.of(Kind.TIME, field(name(datasetTable(alias), "ingest_date")), at);
      case "run":
        String run = alias + "_run";
        String ds = datasetTable(alias);
        if (joinedElements.add(run)) {
          from =
              from.join(table(name("collection")).as(run))
                  .on(field(name(run, "collection_id")).eq(field(name(ds, "run_id"))));
        }
        return Value.of(Kind.STRING, field(name(run, "name")), at);
      default:
        return new Value(
            Kind.TIMESPAN,
            field(name(alias, "timespan_begin")),
            field(name(alias, "timespan_end")),
            null,
            at);
    }
  }

  /** Joins the dataset table of a search (for ingest_date and run) and returns its alias. */
  String datasetTable(String searchAlias) {
    String ds = searchAlias + "_dataset";
    if (joinedElements.add(ds)) {
      from =
          from.join(table(name("dataset")).as(ds))
              .on(field(name(ds, "id")).eq(field(name(searchAlias, "dataset_id"))));
    }
    return ds;
  }

  private Value bindValue(BindRef b, Expr at) {
    Object v = b.value();
    if (v == null) {
      return Value.of(Kind.NULL, DSL.inline((Object) null), at);
    } else if (v instanceof Boolean bool) {
      return new Value(Kind.BOOL, null, null, DSL.condition(bool), at);
    } else if (v instanceof Integer i) {
      return Value.of(Kind.NUMBER, DSL.val((long) i), at);
    } else if (v instanceof Number n) {
      return Value.of(Kind.NUMBER, DSL.val(n), at);
    } else if (v instanceof String s) {
      return Value.of(Kind.STRING, DSL.val(s), at);
    } else if (v instanceof UUID u) {
      return Value.of(Kind.UUID, DSL.val(db.dialect().toDb(u)), at);
    } else if (v instanceof Timespan t) {
      return new Value(Kind.TIMESPAN, DSL.val(t.begin()), DSL.val(t.end()), null, at);
    } else if (v instanceof Collection<?>) {
      throw bindError(at, "bind ':" + b.name() + "' is a list; use it in IN (:" + b.name() + ")");
    }
    throw bindError(
        at,
        "bind ':"
            + b.name()
            + "' has a value of type "
            + v.getClass().getSimpleName()
            + "; use a number, string, boolean, UUID, Timespan or a list of those");
  }

  private Value unary(Expr.UnaryOp u) {
    Value v = value(u.operand());
    if (u.op().equals("NOT")) {
      if (v.kind() != Kind.BOOL) {
        throw bindError(u, "NOT applies to conditions, not to '" + u.operand() + "'");
      }
      return new Value(Kind.BOOL, null, null, DSL.not(v.condition()), u);
    }
    if (v.kind() != Kind.NUMBER) {
      throw bindError(u, "'" + u.op() + "' applies to numbers, not to '" + u.operand() + "'");
    }
    return u.op().equals("-") ? Value.of(Kind.NUMBER, v.field().neg(), u) : v;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Value binary(Expr.BinaryOp b) {
    String op = b.op();
    if (op.equals("AND") || op.equals("OR")) {
      Condition l = predicate(b.lhs());
      Condition r = predicate(b.rhs());
      return new Value(Kind.BOOL, null, null, op.equals("AND") ? l.and(r) : l.or(r), b);
    }
    Value l = value(b.lhs());
    Value r = value(b.rhs());
    if (op.equals("OVERLAPS")) {
      Field[] a = span(l);
      Field[] c = span(r);
      return new Value(Kind.BOOL, null, null, a[0].lt(c[1]).and(c[0].lt(a[1])), b);
    }
    if ("+-*/%".contains(op)) {
      if (l.kind() != Kind.NUMBER || r.kind() != Kind.NUMBER) {
        throw bindError(b, "'" + op + "' needs numbers: " + b);
      }
      Field lf = l.field();
      Field rf = r.field();
      Field out =
          switch (op) {
            case "+" -> lf.plus(rf);
            case "-" -> lf.minus(rf);
            case "*" -> lf.times(rf);
            case "/" -> lf.div(rf);
            default -> lf.mod(rf);
          };
      return Value.of(Kind.NUMBER, out, b);
    }
    // comparisons
    if (l.kind() == Kind.NULL || r.kind() == Kind.NULL) {
      Value f = l.kind() == Kind.NULL ? r : l;
      if (f.kind() == Kind.NULL || f.field() == null) {
        throw bindError(b, "compare a column with NULL: " + b);
      }
      if (op.equals("=")) {
        return new Value(Kind.BOOL, null, null, f.field().isNull(), b);
      }
      if (op.equals("!=")) {
        return new Value(Kind.BOOL, null, null, f.field().isNotNull(), b);
      }
      throw bindError(b, "NULL can only be compared with = or !=");
    }
    if (l.kind() == Kind.BOOL && r.kind() == Kind.BOOL && (op.equals("=") || op.equals("!="))) {
      Condition same = l.condition().eq(r.condition());
      return new Value(Kind.BOOL, null, null, op.equals("=") ? same : DSL.not(same), b);
    }
    if (l.kind() != r.kind() || l.kind() == Kind.TIMESPAN || l.kind() == Kind.BOOL) {
      throw bindError(
          b,
          "cannot compare '"
              + b.lhs()
              + "' ("
              + describe(l)
              + ") with '"
              + b.rhs()
              + "' ("
              + describe(r)
              + ")"
              + (l.kind() == Kind.TIMESPAN || r.kind() == Kind.TIMESPAN
                  ? "; use OVERLAPS, or TIMESPAN.begin / .end"
                  : ""));
    }
    Field lf = l.field();
    Field rf = r.field();
    Condition c =
        switch (op) {
          case "=" -> lf.eq(rf);
          case "!=" -> lf.ne(rf);
          case "<" -> lf.lt(rf);
          case "<=" -> lf.le(rf);
          case ">" -> lf.gt(rf);
          default -> lf.ge(rf);
        };
    return new Value(Kind.BOOL, null, null, c, b);
  }

  /** A timespan operand of OVERLAPS: timespans, time pairs, or single times (instants). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Field[] span(Value v) {
    return switch (v.kind()) {
      case TIMESPAN -> new Field[] {v.field(), v.end()};
      case TIME -> new Field[] {v.field(), ((Field) v.field()).plus(DSL.val(1L))};
      default ->
          throw bindError(
              v.source(),
              "OVERLAPS needs timespans, time pairs (t1, t2) or times, not '" + v.source() + "'");
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Value isIn(Expr.IsIn in) {
    Value lhs = value(in.lhs());
    if (lhs.field() == null || lhs.kind() == Kind.TIMESPAN) {
      throw bindError(in, "IN needs a column or value on its left, not '" + in.lhs() + "'");
    }
    Field f = lhs.field();
    List<Object> values = new ArrayList<>();
    List<Condition> alternatives = new ArrayList<>();
    for (Expr item : in.values()) {
      if (item instanceof Expr.RangeLiteral r) {
        if (lhs.kind() != Kind.NUMBER) {
          throw bindError(item, "a range needs a numeric column, not '" + in.lhs() + "'");
        }
        Condition c = f.between(DSL.val(r.start()), DSL.val(r.stop()));
        if (r.stride() != 1) {
          c = c.and(f.minus(DSL.val(r.start())).mod(DSL.val(r.stride())).eq(DSL.val(0L)));
        }
        alternatives.add(c);
        continue;
      }
      // A list bind, written :name or (daf_butler's older spelling) as a bare name.
      if ((item instanceof Expr.BindName || item instanceof Expr.Identifier)
          && refs.get(item) instanceof BindRef br
          && br.value() instanceof Collection<?> list) {
        for (Object o : list) {
          values.add(itemValue(lhs, o, item));
        }
        continue;
      }
      Expr plain = unwrap(item);
      if (plain instanceof Expr.NumericLiteral
          || plain instanceof Expr.StringLiteral
          || plain instanceof Expr.TimeLiteral) {
        Value v = listItemValue(plain, item, in, lhs);
        values.add(((org.jooq.Param<?>) v.field()).getValue());
        continue;
      }
      Value v = listItemValue(item, item, in, lhs);
      alternatives.add(f.eq(v.field()));
    }
    if (!values.isEmpty()) {
      alternatives.add(f.in(values.stream().map(DSL::val).toList()));
    }
    Condition any = DSL.or(alternatives);
    return new Value(Kind.BOOL, null, null, in.notIn() ? DSL.not(any) : any, in);
  }

  /** An IN-list item's value, which must be of the same kind as the left-hand side. */
  private Value listItemValue(Expr e, Expr item, Expr.IsIn in, Value lhs) {
    Value v = value(e);
    if (v.kind() != lhs.kind()) {
      throw bindError(
          item,
          "'"
              + item
              + "' ("
              + describe(v)
              + ") in a list for '"
              + in.lhs()
              + "' ("
              + describe(lhs)
              + ")");
    }
    return v;
  }

  private Object itemValue(Value lhs, Object o, Expr at) {
    Kind k =
        o instanceof Number
            ? Kind.NUMBER
            : o instanceof String ? Kind.STRING : o instanceof UUID ? Kind.UUID : null;
    if (k != lhs.kind()) {
      throw bindError(
          at, "bind list value " + Values.quote(o) + " does not match '" + lhs.source() + "'");
    }
    if (o instanceof Integer i) {
      return (long) i;
    }
    return o instanceof UUID u ? db.dialect().toDb(u) : o;
  }

  private Value call(Expr.FunctionCall f) {
    switch (f.name()) {
      case "UUID" -> {
        UUID u = UUID.fromString(((Expr.StringLiteral) f.args().get(0)).value());
        return Value.of(Kind.UUID, DSL.val(db.dialect().toDb(u)), f);
      }
      case "GLOB" -> {
        Value column = value(f.args().get(0));
        if (column.kind() != Kind.STRING || column.field() == null) {
          throw bindError(
              f, "GLOB's first argument must be a string column, not '" + f.args().get(0) + "'");
        }
        Value pattern = value(f.args().get(1));
        String text;
        if (f.args().get(1) instanceof Expr.StringLiteral s) {
          text = s.value();
        } else if (refs.get(unwrap(f.args().get(1))) instanceof BindRef b
            && b.value() instanceof String s) {
          text = s;
        } else {
          throw bindError(f, "GLOB's pattern must be a string (" + pattern.source() + ")");
        }
        return new Value(Kind.BOOL, null, null, glob(column.field(), text), f);
      }
      case "POINT", "CIRCLE", "BOX", "POLYGON", "REGION" ->
          throw bindError(f, "spatial constraints are not supported yet (" + f.name() + ")");
      default ->
          throw bindError(
              f,
              "unknown function "
                  + f.name()
                  + "; known: GLOB, UUID, POINT, CIRCLE, BOX, POLYGON, REGION");
    }
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof Expr.Parens p) {
      e = p.inner();
    }
    return e;
  }

  /**
   * daf_butler's GLOB: case-sensitive, {@code *} and {@code ?} only, a backslash escapes the next
   * character, brackets are literal. SQLite has GLOB itself (its brackets are escaped); elsewhere a
   * LIKE pattern with an escape character (case-sensitive on PostgreSQL and H2).
   */
  private Condition glob(Field<?> column, String pattern) {
    return db.dialect().glob(column, pattern);
  }

  // ------------------------------------------------------------------ ORDER BY

  /** The order-by terms ({@code -name} descending) as sort fields. */
  List<SortField<?>> orderBy() {
    List<SortField<?>> out = new ArrayList<>();
    for (int i = 0; i < orderRefs.size(); i++) {
      Value v = refValue(orderRefs.get(i), orderIds.get(i));
      if (v.field() == null || v.kind() == Kind.TIMESPAN) {
        throw new InvalidQueryException(
            "Cannot order by '"
                + orderIds.get(i).name()
                + "': order by keys, fields or TIMESPAN.begin/.end.");
      }
      out.add(orderDescending.get(i) ? v.field().desc() : v.field().asc());
    }
    return out;
  }
}
