package org.jbutler.registry;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.dimensions.UnresolvedDataId;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.expr.Expr;
import org.jbutler.schema.expr.ExprParser;
import org.jbutler.schema.expr.ExpressionBinder;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Plans one SQL query from dimensions, dataset searches and a {@code where} expression, in three
 * steps with one class each: {@link ExpressionBinder} resolves the expression's names (and then
 * checks its types); this class works out the query's dimensions (adding those the expression and
 * data ID mention), applies the governor rule and decides what to join; {@link FromClause} joins
 * the element tables, the dataset searches (calibration collections matched by validity range
 * against the query's temporal dimension) and what dataset fields need; {@link SqlTranslator} turns
 * the bound expression into a jOOQ condition in which every literal and bind is a bind parameter.
 */
final class QueryBuilder {

  /** A dataset type searched in collections. */
  record Search(TypeInfo type, List<CollectionInfo> collections) {}

  static final String DATASET_FIELDS_TEXT = ExpressionBinder.DATASET_FIELDS_TEXT;

  private final DimensionUniverse universe;
  private final DataQuery query;
  private final Optional<Expr> expression;
  private final ExpressionBinder binder;
  private final List<ExpressionBinder.OrderTerm> orderTerms = new ArrayList<>();
  private final Set<String> referencedElements = new LinkedHashSet<>();
  private final Set<String> constrainedDimensions = new LinkedHashSet<>();
  private final Set<String> neededKeys = new LinkedHashSet<>();
  private DimensionGroup dimensions;
  private final FromClause from;
  private final SqlTranslator translator;
  private final List<Condition> conditions = new ArrayList<>();
  private final List<org.jbutler.schema.expr.BoundExpr.RegionOverlaps> regionConstraints =
      new ArrayList<>();

  /**
   * The two elements of an automatic spatial join ({@code visit_detector_region} and {@code patch}
   * when a query spans both spatial families and no dataset search holds both), or null.
   */
  private List<String> spatialJoin;

  private final int overlapLevel;

  QueryBuilder(
      Db db,
      DimensionUniverse universe,
      DimensionGroup requested,
      List<Search> searches,
      DataQuery query,
      Set<String> alsoJoin,
      java.util.Collection<String> outputKeys) {
    this.universe = universe;
    this.query = query;
    this.expression = ExprParser.parse(query.where());
    DimensionGroup dims = requested;
    for (Search s : searches) {
      dims = dims.union(s.type().type().dimensions());
    }
    this.binder =
        new ExpressionBinder(
            universe,
            dims,
            searches.stream().map(s -> s.type().type().name()).toList(),
            query.bind(),
            query.where());
    expression.ifPresent(binder::resolve);
    for (String term : query.orderBy()) {
      orderTerms.add(binder.resolveOrderTerm(term));
    }
    referencedElements.addAll(alsoJoin);
    referencedElements.addAll(binder.referencedElements());
    constrainedDimensions.addAll(binder.constrainedDimensions());
    neededKeys.addAll(outputKeys);
    for (String e : referencedElements) {
      dims = dims.union(universe.element(e).minimalGroup());
    }
    for (String d : binder.referencedDimensions()) {
      dims = dims.union(universe.element(d).minimalGroup());
    }
    UnresolvedDataId dataId = UnresolvedDataId.parse(universe, query.dataId());
    for (String d : dataId.values().keySet()) {
      dims = dims.union(universe.group(d));
      constrainedDimensions.add(d);
    }
    for (String c : dataId.recordConstraints().keySet()) {
      String element = c.substring(0, c.indexOf('.'));
      dims = dims.union(universe.element(element).minimalGroup());
      referencedElements.add(element);
    }
    this.dimensions = dims;
    this.spatialJoin = automaticSpatialJoin(dims, searches);
    if (spatialJoin != null) {
      referencedElements.addAll(spatialJoin);
    }
    this.from = new FromClause(universe, dims);
    this.overlapLevel = db.overlapLevel();
    this.translator = new SqlTranslator(from, db.dialect(), universe, overlapLevel);
    build(searches, dataId);
  }

  /** The dimensions of the query after adding those the expression and data ID mention. */
  DimensionGroup dimensions() {
    return dimensions;
  }

  /** The column holding a dimension's value. */
  Field<Object> key(String dimension) {
    return from.key(dimension);
  }

  /** The joined FROM clause. */
  Table<?> from() {
    return from.tables();
  }

  /** Every condition, ANDed. */
  Condition where() {
    return DSL.and(conditions);
  }

  /** The alias of the i-th dataset search's derived table. */
  String searchAlias(int i) {
    return from.searchAlias(i);
  }

  /** Joins the dataset table of a search (for ingest_date and run) and returns its alias. */
  String datasetTable(String searchAlias) {
    return from.datasetTable(searchAlias);
  }

  /**
   * Whether rows must be checked against regions as they are read (element-region constraints of
   * the expression, an automatic spatial join): the caller selects {@link #regionColumns()} after
   * its other columns and keeps the rows {@link #keep} accepts; the SQL only chose candidates.
   */
  boolean hasRegionChecks() {
    return !regionConstraints.isEmpty() || spatialJoin != null;
  }

  /** The region columns the checks read, in order (base64 text, as the registry stores them). */
  List<Field<String>> regionColumns() {
    List<String> elements = new ArrayList<>();
    for (var c : regionConstraints) {
      elements.add(c.column().element());
    }
    if (spatialJoin != null) {
      elements.addAll(spatialJoin);
    }
    List<Field<String>> out = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      out.add(field(name(elements.get(i), "region"), String.class).as("region_check_" + i));
    }
    return out;
  }

  /**
   * Whether a row passes every region check, its region columns starting at {@code first}: each
   * constraint's region must overlap the given one; the two regions of a spatial join must overlap
   * each other.
   */
  boolean keep(Object[] row, int first) {
    int k = first;
    for (var c : regionConstraints) {
      Object text = row[k++];
      if (text == null || !c.test(org.jbutler.schema.region.Region.decodeBase64(text.toString()))) {
        return false;
      }
    }
    if (spatialJoin != null) {
      Object a = row[k];
      Object b = row[k + 1];
      if (a == null
          || b == null
          || org.jbutler.schema.region.Region.decodeBase64(a.toString())
              .relate(org.jbutler.schema.region.Region.decodeBase64(b.toString()))
              .disjoint()) {
        return false;
      }
    }
    return true;
  }

  /** The element whose timespan calibration searches are matched against, if any. */
  Optional<String> temporalElement() {
    return from.temporalElement();
  }

  // ------------------------------------------------------------------ FROM and joins

  /**
   * Joins only what the query needs: the dataset searches (which hold their data ID columns), the
   * elements whose fields, timespans or relationships ({@code always_join}) are used, and a table
   * for every dimension key that must be read but no search provides. Foreign keys guarantee that a
   * key held by a search has its dimension record, so that table is not joined for nothing.
   */
  private void build(List<Search> searches, UnresolvedDataId dataId) {
    checkGovernors(dataId);
    neededKeys.addAll(binder.keysUsed());
    for (ExpressionBinder.OrderTerm t : orderTerms) {
      t.dimension().ifPresent(neededKeys::add);
    }
    neededKeys.addAll(dataId.values().keySet());
    UnresolvedDataId defaultValues = UnresolvedDataId.parse(universe, query.defaults());
    for (String d : defaultValues.values().keySet()) {
      if (dimensions.contains(d) && !constrainedDimensions.contains(d)) {
        neededKeys.add(d);
      }
    }
    searches.forEach(from::joinSearch);
    String temporalElement = from.temporalElement().orElse(null);
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
        from.join(universe.element(e));
      }
    }
    for (String d : dimensions.names()) {
      if (!neededKeys.contains(d) || from.findKey(d).isPresent()) {
        continue;
      }
      DimensionElement el = universe.element(d);
      if (el.hasOwnTable()) {
        from.join(el);
      } else if (el.impliedUnionTarget().isPresent()) {
        from.join(universe.element(el.impliedUnionTarget().get()));
      } else if (el.isSkyPix()) {
        // The common skypix's values come from a spatial element's overlap rows (htm7 with
        // visit_detector_region: the pixels each detector's region touches), as in daf_butler.
        commonSkyPixSource(el).ifPresent(e -> from.joinOverlap(e, d));
      }
      if (from.findKey(d).isEmpty()) {
        throw new InvalidQueryException(
            el.isSkyPix()
                ? "Cannot query '"
                    + d
                    + "' here: a sky pixelization has no table of its own; search a dataset type"
                    + " that has it as a dimension (a reference catalogue sharded by "
                    + d
                    + "), or leave it out."
                : "Cannot query dimension '" + d + "': no table holds its values.");
      }
    }
    if (temporalElement != null) {
      for (int i = 0; i < from.searchCount(); i++) {
        String alias = from.searchAlias(i);
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
    org.jbutler.schema.expr.BoundExpr bound = expression.map(binder::bind).orElse(null);
    if (bound != null) {
      regionConstraints.addAll(ExpressionBinder.regionConstraints(bound));
      var joins = ExpressionBinder.regionJoins(bound);
      if (joins.size() > 1) {
        throw new InvalidQueryException(
            "The expression \""
                + query.where()
                + "\" asks for "
                + joins.size()
                + " spatial joins; one is supported.");
      }
      if (joins.size() == 1) {
        // An explicit join replaces the automatic one.
        spatialJoin = List.of(joins.get(0).lhs().element(), joins.get(0).rhs().element());
      }
    }
    if (spatialJoin != null && overlapLevel >= 0) {
      from.joinOverlapPair(
          universe.element(spatialJoin.get(0)), universe.element(spatialJoin.get(1)), overlapLevel);
    }
    if (bound != null) {
      conditions.add(translator.condition(bound));
    }
  }

  /**
   * daf_butler's automatic spatial join: when the query's dimensions reach two spatial families
   * (observations and skymap regions), their most specific elements (visit_detector_region, patch)
   * are joined by overlapping regions, unless a dataset search carries both (its rows embed the
   * relation).
   */
  private List<String> automaticSpatialJoin(DimensionGroup dims, List<Search> searches) {
    List<String> chosen = new ArrayList<>();
    for (List<String> members : universe.spatialFamilies().values()) {
      for (String m : members) {
        if (dims.elements().contains(m) && universe.element(m).hasOwnTable()) {
          chosen.add(m);
          break;
        }
      }
    }
    if (chosen.size() != 2) {
      return null;
    }
    for (Search s : searches) {
      List<String> have = s.type().type().dimensions().names();
      if (chosen.stream().allMatch(e -> have.containsAll(universe.element(e).required()))) {
        return null;
      }
    }
    return List.copyOf(chosen);
  }

  /**
   * The spatial element whose overlap rows can give a skypix dimension's values: only for the
   * common skypix (htm7), when the repository keeps overlap rows, from the most specific spatial
   * element among the query's dimensions.
   */
  private Optional<DimensionElement> commonSkyPixSource(DimensionElement skypix) {
    if (overlapLevel < 0
        || !skypix.name().equals(universe.commonSkyPix())
        || skypix.skyPixLevel() != overlapLevel) {
      return Optional.empty();
    }
    for (List<String> members : universe.spatialFamilies().values()) {
      for (String m : members) {
        if (dimensions.elements().contains(m) && universe.element(m).hasOwnTable()) {
          return Optional.of(universe.element(m));
        }
      }
    }
    return Optional.empty();
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
    Set<String> touched = binder.elementsTouched();
    Set<String> values = new LinkedHashSet<>(binder.keysUsed());
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

  // ------------------------------------------------------------------ ORDER BY

  /** The order-by terms ({@code -name} descending) as sort fields. */
  List<SortField<?>> orderBy() {
    List<SortField<?>> out = new ArrayList<>();
    for (ExpressionBinder.OrderTerm t : orderTerms) {
      Field<?> f = translator.fieldOf(binder.bind(t));
      out.add(t.descending() ? f.desc() : f.asc());
    }
    return out;
  }
}
