package org.jbutler.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The constraints and shape of a registry query, as daf_butler's query methods take them.
 *
 * @param where a {@code where} expression in daf_butler's language ("" for none)
 * @param bind values for {@code :name} binds; a value may be a collection, for {@code IN (:x)}
 * @param dataId values ANDed with the expression ({@code instrument=Cam1}); record fields such as
 *     {@code exposure.obs_id} are allowed
 * @param defaults a default data ID: each governor value (e.g. {@code instrument}) applies unless
 *     the expression or {@code dataId} constrains that dimension itself
 * @param orderBy dimension keys or record fields, {@code -name} for descending
 * @param limit at most this many results; 0 for all; a negative value caps at {@code -limit} and
 *     logs a warning when more results exist
 * @param attachRecords attach dimension records to the data IDs returned
 * @param findFirst a dataset query returns one dataset per data ID: the first in the collection
 *     order (see {@link #withFindFirst()})
 */
public record DataQuery(
    String where,
    Map<String, Object> bind,
    Map<String, Object> dataId,
    Map<String, Object> defaults,
    List<String> orderBy,
    int limit,
    boolean attachRecords,
    boolean findFirst) {

  /** Copies the maps and lists. */
  public DataQuery {
    where = where == null ? "" : where;
    bind = Map.copyOf(bind == null ? Map.of() : bind);
    dataId = new LinkedHashMap<>(dataId == null ? Map.of() : dataId);
    defaults = new LinkedHashMap<>(defaults == null ? Map.of() : defaults);
    orderBy = List.copyOf(orderBy == null ? List.of() : orderBy);
  }

  /** A query without constraints. */
  public static DataQuery all() {
    return new DataQuery("", Map.of(), Map.of(), Map.of(), List.of(), 0, false, false);
  }

  /** A query with a {@code where} expression. */
  public static DataQuery where(String where) {
    return all().withWhere(where);
  }

  /** This query with another expression. */
  public DataQuery withWhere(String expression) {
    return new DataQuery(
        expression, bind, dataId, defaults, orderBy, limit, attachRecords, findFirst);
  }

  /** This query with bind values. */
  public DataQuery withBind(Map<String, ?> values) {
    return new DataQuery(
        where,
        Map.copyOf(Objects.requireNonNull(values)),
        dataId,
        defaults,
        orderBy,
        limit,
        attachRecords,
        findFirst);
  }

  /** This query with a data ID constraint. */
  public DataQuery withDataId(Map<String, ?> values) {
    return new DataQuery(
        where,
        bind,
        new LinkedHashMap<>(values),
        defaults,
        orderBy,
        limit,
        attachRecords,
        findFirst);
  }

  /** This query with a default data ID. */
  public DataQuery withDefaults(Map<String, ?> values) {
    return new DataQuery(
        where, bind, dataId, new LinkedHashMap<>(values), orderBy, limit, attachRecords, findFirst);
  }

  /** This query with an order. */
  public DataQuery withOrderBy(String... fields) {
    return new DataQuery(
        where, bind, dataId, defaults, List.of(fields), limit, attachRecords, findFirst);
  }

  /** This query with a limit. */
  public DataQuery withLimit(int n) {
    return new DataQuery(where, bind, dataId, defaults, orderBy, n, attachRecords, findFirst);
  }

  /** This query with records attached to its data IDs. */
  public DataQuery withRecords() {
    return new DataQuery(where, bind, dataId, defaults, orderBy, limit, true, findFirst);
  }

  /**
   * This query for datasets, one per data ID: the first in the order of the collections searched
   * (which must then be listed by name, not by glob), as daf_butler's {@code findFirst=True}.
   */
  public DataQuery withFindFirst() {
    return new DataQuery(where, bind, dataId, defaults, orderBy, limit, attachRecords, true);
  }
}
