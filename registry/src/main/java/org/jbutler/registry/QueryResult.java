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
public interface QueryResult<T> extends Iterable<T> {

  /**
   * A result from its parts, each run when first asked for (the rows once).
   *
   * @param rows reads every result, in the query's order
   * @param count counts the results without reading them
   * @param any whether there is at least one result
   * @param explain reasons the query is empty
   */
  static <T> QueryResult<T> of(
      Supplier<List<T>> rows,
      LongSupplier count,
      BooleanSupplier any,
      Supplier<List<String>> explain) {
    return new LazyQueryResult<>(rows, count, any, explain);
  }

  /** Runs the query (once) and returns every result, in the query's order. */
  List<T> toList();

  /**
   * The results as a stream. A large query streams them from the database (a cursor on a connection
   * of its own), so memory stays bounded however many rows there are: close the stream
   * (try-with-resources) when it is not read to its end. Inside a transaction, or on an in-memory
   * database, the rows are read at once.
   */
  default Stream<T> stream() {
    return toList().stream();
  }

  /** Runs an action on every result, streamed as {@link #stream()} reads them. */
  @Override
  default void forEach(java.util.function.Consumer<? super T> action) {
    try (Stream<T> s = stream()) {
      s.forEach(action);
    }
  }

  @Override
  default Iterator<T> iterator() {
    return toList().iterator();
  }

  /** Counts the results in the database (ignoring the limit). */
  long count();

  /** Whether there is at least one result. */
  boolean any();

  /**
   * Reasons the query has no results, as far as they can be found (a dataset type absent from a
   * collection, a dimension value that does not exist, a constraint that removes every row). Empty
   * when the query has results.
   */
  List<String> explainNoResults();
}
