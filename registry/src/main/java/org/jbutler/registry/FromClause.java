package org.jbutler.registry;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jbutler.registry.QueryBuilder.Search;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The FROM clause of one query as it is joined: element tables (each once, on the dimension keys it
 * shares with what is already joined), dataset searches as derived tables, and the lookups that
 * dataset fields need (the dataset row, collection names). It remembers which column holds each
 * dimension's value.
 */
final class FromClause {

  private final DimensionUniverse universe;
  private final DimensionGroup dimensions;
  private final Map<String, Field<Object>> keys = new LinkedHashMap<>();
  private final Set<String> joined = new LinkedHashSet<>();
  private final List<String> searchAliases = new ArrayList<>();
  private Table<?> from;
  private String temporalElement;

  FromClause(DimensionUniverse universe, DimensionGroup dimensions) {
    this.universe = universe;
    this.dimensions = dimensions;
  }

  /** The joined tables; a one-row table when nothing is joined. */
  Table<?> tables() {
    return from == null ? DSL.selectOne().asTable("no_dimensions") : from;
  }

  /** The column holding a dimension's value, if one is joined. */
  Optional<Field<Object>> findKey(String dimension) {
    return Optional.ofNullable(keys.get(dimension));
  }

  /** The column holding a dimension's value. */
  Field<Object> key(String dimension) {
    Field<Object> f = keys.get(dimension);
    if (f == null) {
      throw new IllegalStateException("dimension " + dimension + " not in query");
    }
    return f;
  }

  /** The alias of the i-th dataset search's derived table. */
  String searchAlias(int i) {
    return searchAliases.get(i);
  }

  /** How many dataset searches are joined. */
  int searchCount() {
    return searchAliases.size();
  }

  /** The element whose timespan calibration searches are matched against, if any. */
  Optional<String> temporalElement() {
    return Optional.ofNullable(temporalElement);
  }

  /** Joins an element's table on the keys it shares with what is joined (once). */
  void join(DimensionElement e) {
    if (!joined.add(e.name())) {
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
  void joinSearch(Search s) {
    String alias = "ds" + searchAliases.size();
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

  private static org.jooq.Select<Record> membership(
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

  /**
   * Joins a spatial element (if not yet) and its overlap rows, whose pixel index becomes the value
   * of the common skypix dimension {@code skypix}.
   */
  void joinOverlap(DimensionElement element, String skypix) {
    join(element);
    String alias = element.name() + "_overlap";
    if (!joined.add(alias)) {
      return;
    }
    List<Condition> on = new ArrayList<>();
    for (String r : element.required()) {
      String column = DimensionRecordStorage.keyColumn(element, r);
      on.add(field(name(alias, column)).eq(key(r)));
    }
    on.add(field(name(alias, "skypix_system"), String.class).eq(DSL.val("htm")));
    on.add(
        field(name(alias, "skypix_level"), Integer.class)
            .eq(DSL.val(universe.element(skypix).skyPixLevel())));
    from = from.join(Tables.overlapTable(element).as(alias)).on(DSL.and(on));
    keys.put(skypix, field(name(alias, "skypix_index")));
  }

  /**
   * The SQL half of a spatial join between two joined spatial elements: their overlap rows, joined
   * on a shared pixel of the common skypix. A pair sharing several pixels appears once per pixel;
   * every query over this clause selects distinct rows. Joined tables, not an {@code IN} over a
   * subquery, so that SQLite walks element → its pixels → the other's rows by index instead of
   * probing the product of the two tables.
   */
  void joinOverlapPair(DimensionElement a, DimensionElement b, int level) {
    List<Condition> onA = new ArrayList<>();
    for (String r : a.required()) {
      String column = DimensionRecordStorage.keyColumn(a, r);
      onA.add(field(name("oa", column)).eq(field(name(a.name(), column))));
    }
    onA.add(field(name("oa", "skypix_system"), String.class).eq(DSL.val("htm")));
    onA.add(field(name("oa", "skypix_level"), Integer.class).eq(DSL.val(level)));
    List<Condition> onB = new ArrayList<>();
    onB.add(field(name("ob", "skypix_system"), String.class).eq(DSL.val("htm")));
    onB.add(field(name("ob", "skypix_level"), Integer.class).eq(DSL.val(level)));
    onB.add(
        field(name("ob", "skypix_index"), Long.class)
            .eq(field(name("oa", "skypix_index"), Long.class)));
    for (String r : b.required()) {
      String column = DimensionRecordStorage.keyColumn(b, r);
      onB.add(field(name("ob", column)).eq(field(name(b.name(), column))));
    }
    from =
        from.join(Tables.overlapTable(a).as("oa"))
            .on(DSL.and(onA))
            .join(Tables.overlapTable(b).as("ob"))
            .on(DSL.and(onB));
  }

  /** Joins the dataset table of a search (for ingest_date and run) and returns its alias. */
  String datasetTable(String searchAlias) {
    String ds = searchAlias + "_dataset";
    if (joined.add(ds)) {
      from =
          from.join(table(name("dataset")).as(ds))
              .on(field(name(ds, "id")).eq(field(name(searchAlias, "dataset_id"))));
    }
    return ds;
  }

  /**
   * Joins the collection table as {@code alias} on the collection ID in {@code idColumn} (once) and
   * returns the column of the collection's name.
   */
  Field<Object> collectionName(String alias, Field<Object> idColumn) {
    if (joined.add(alias)) {
      from =
          from.join(table(name("collection")).as(alias))
              .on(field(name(alias, "collection_id")).eq(idColumn));
    }
    return field(name(alias, "name"));
  }
}
