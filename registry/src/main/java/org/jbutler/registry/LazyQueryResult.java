package org.jbutler.registry;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link QueryResult} whose parts are functions run on demand: the rows read once and kept; count
 * and existence asked of the database until the rows have been read.
 */
final class LazyQueryResult<T> implements QueryResult<T> {

  private final Supplier<List<T>> rows;
  private final LongSupplier count;
  private final BooleanSupplier any;
  private final Supplier<List<String>> explain;
  private final Supplier<Stream<T>> stream;
  private List<T> read;

  LazyQueryResult(
      Supplier<List<T>> rows,
      LongSupplier count,
      BooleanSupplier any,
      Supplier<List<String>> explain) {
    this(rows, count, any, explain, null);
  }

  /**
   * @param stream opens a streamed read of the rows, or returns null when they must be read at
   *     once; null when the result never streams
   */
  LazyQueryResult(
      Supplier<List<T>> rows,
      LongSupplier count,
      BooleanSupplier any,
      Supplier<List<String>> explain,
      Supplier<Stream<T>> stream) {
    this.rows = rows;
    this.count = count;
    this.any = any;
    this.explain = explain;
    this.stream = stream;
  }

  @Override
  public Stream<T> stream() {
    synchronized (this) {
      if (read != null) {
        return read.stream();
      }
    }
    Stream<T> s = stream == null ? null : stream.get();
    return s != null ? s : toList().stream();
  }

  @Override
  public synchronized List<T> toList() {
    if (read == null) {
      read = List.copyOf(rows.get());
    }
    return read;
  }

  @Override
  public long count() {
    return read != null ? read.size() : count.getAsLong();
  }

  @Override
  public boolean any() {
    return read != null ? !read.isEmpty() : any.getAsBoolean();
  }

  @Override
  public List<String> explainNoResults() {
    return any() ? List.of() : explain.get();
  }
}
