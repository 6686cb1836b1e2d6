package org.jbutler.registry;

import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The results of a registry query. Nothing runs until asked: {@link #toList()} reads the rows,
 * {@link #count()} and {@link #any()} ask the database without reading them, and {@link
 * #explainNoResults()} says why a query is empty.
 *
 * @param <T> data IDs, dataset refs or dimension records
 */
public final class QueryResult<T> implements Iterable<T> {

  private final Supplier<List<T>> rows;
  private final LongSupplier count;
  private final BooleanSupplier any;
  private final Supplier<List<String>> explain;
  private List<T> read;

  QueryResult(
      Supplier<List<T>> rows,
      LongSupplier count,
      BooleanSupplier any,
      Supplier<List<String>> explain) {
    this.rows = rows;
    this.count = count;
    this.any = any;
    this.explain = explain;
  }

  /** Runs the query (once) and returns every result, in the query's order. */
  public synchronized List<T> toList() {
    if (read == null) {
      read = List.copyOf(rows.get());
    }
    return read;
  }

  /** The results as a stream. */
  public Stream<T> stream() {
    return toList().stream();
  }

  @Override
  public Iterator<T> iterator() {
    return toList().iterator();
  }

  /** Counts the results in the database (ignoring the limit). */
  public long count() {
    return read != null ? read.size() : count.getAsLong();
  }

  /** Whether there is at least one result. */
  public boolean any() {
    return read != null ? !read.isEmpty() : any.getAsBoolean();
  }

  /**
   * Reasons the query has no results, as far as they can be found (a dataset type absent from a
   * collection, a dimension value that does not exist, a constraint that removes every row). Empty
   * when the query has results.
   */
  public List<String> explainNoResults() {
    return any() ? List.of() : explain.get();
  }
}
